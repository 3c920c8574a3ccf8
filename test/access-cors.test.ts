/**
 * Browser frontends on another origin: with access control on, only the origins in CORS_ORIGINS get
 * CORS headers (none by default: same-origin only), never with credentials; the CORS preflight (which
 * never carries credentials) is answered, and the real request is still authenticated. The open
 * sandbox demo keeps answering any origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const TOKEN = 'web-token-for-cors-tests-123';
const ORIGIN = 'https://shop.example.com';

describe('CORS with access control', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      env: {
        GATEWAY_AUTH: 'tokens',
        GATEWAY_TOKENS: JSON.stringify([{ name: 'web', token: TOKEN, scopes: ['aftership:tracking:read'] }]),
        CORS_ORIGINS: `${ORIGIN}, http://localhost:3000`,
      },
      sandbox: { seed: 1 },
    });
  });
  afterAll(() => gw?.close());

  it('answers the preflight without credentials, then authenticates the request itself', async () => {
    const before = gw.sandbox.requests.count();
    const preflight = await fetch(gw.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(await preflight.text()).toBe('');

    const post = (headers: Record<string, string>) =>
      fetch(gw.graphqlUrl, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });
    const refused = await post({});
    expect(refused.status).toBe(401);
    // Readable by the page, so it can tell "sign in" from a network failure.
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const ok = await post({ authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    expect(ok.headers.get('vary')).toContain('Origin');
    expect(await ok.json()).toEqual({ data: { __typename: 'Query' } });
    expect(gw.sandbox.requests.count()).toBe(before);
  });

  it('gives an origin not in CORS_ORIGINS no CORS headers, so its page cannot read the answer', async () => {
    const other = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { origin: 'https://evil.example.net', 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(gw.graphqlUrl, { method: 'OPTIONS', headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS defaults', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });
  const crossOrigin = (gw: TestGateway, headers: Record<string, string> = {}) =>
    fetch(gw.graphqlUrl, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });

  it('is same-origin only when access control is on and CORS_ORIGINS is unset', async () => {
    const gw = await startGateway({ env: { GATEWAY_AUTH: 'tokens', GATEWAY_TOKENS: JSON.stringify([{ name: 'web', token: TOKEN, scopes: ['aftership:tracking:read'] }]) }, sandbox: { seed: 1 } });
    cleanups.push(() => gw.close());
    const res = await crossOrigin(gw, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers any origin, without credentials, in the open sandbox demo', async () => {
    const gw = await startGateway({ sandboxMode: true, env: { SANDBOX_SEED: '1' } });
    cleanups.push(() => gw.close());
    const res = await crossOrigin(gw);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
