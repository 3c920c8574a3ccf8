/**
 * Browser frontends on another origin: with access control on, the CORS preflight (which never
 * carries credentials) is answered, and the real request is still authenticated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const TOKEN = 'web-token-for-cors-tests-123';
const ORIGIN = 'https://shop.example.com';

describe('CORS with access control', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      env: { GATEWAY_AUTH: 'tokens', GATEWAY_TOKENS: JSON.stringify([{ name: 'web', token: TOKEN, scopes: ['aftership:tracking:read'] }]) },
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
    expect(await ok.json()).toEqual({ data: { __typename: 'Query' } });
    expect(gw.sandbox.requests.count()).toBe(before);
  });
});
