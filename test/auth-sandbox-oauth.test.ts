/** The sandbox's OAuth server on its own, over loopback HTTP: the OAuth 2.0 rules it enforces. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ManualClock } from '../src/lib/clock.js';
import { createSandboxOAuthServer, type SandboxOAuthServer } from '../src/sandbox/oauth-server.js';
import { serve, type Served } from './auth-support.js';

const REDIRECT = 'http://127.0.0.1:1/cb';
const VERIFIER = 'a-pkce-code-verifier-that-is-long-enough-0123456789';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

describe('sandbox OAuth server', () => {
  const clock = new ManualClock();
  let server: SandboxOAuthServer;
  let http: Served;

  beforeAll(async () => {
    server = createSandboxOAuthServer({ clientId: 'app', clientSecret: 'app-secret', redirectUris: [REDIRECT], clock, accessTokenTtlMs: 60_000 });
    http = await serve((r) => server.handle(r));
  });
  afterAll(() => http.close());

  const authorize = async (params: Record<string, string>): Promise<Response> => {
    const q = new URLSearchParams({ client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: 'aftership:tracking:read', state: 's1', auto_approve: '1', ...params });
    return fetch(`${http.url}/oauth/authorize?${q}`, { redirect: 'manual' });
  };
  const codeOf = async (params: Record<string, string> = {}): Promise<string> => {
    const res = await authorize({ code_challenge: CHALLENGE, code_challenge_method: 'S256', ...params });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!).searchParams.get('code')!;
  };
  const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${http.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });
  const exchange = (code: string, extra: Record<string, string> = {}) =>
    token({ grant_type: 'authorization_code', code, client_id: 'app', client_secret: 'app-secret', redirect_uri: REDIRECT, code_verifier: VERIFIER, ...extra });

  it('is not an OAuth path: undefined', () => {
    expect(server.handle(new Request('http://x/tracking/2026-07/trackings'))).toBeUndefined();
  });

  it('never redirects for an unknown client or an unregistered redirect URI', async () => {
    expect((await authorize({ client_id: 'nope' })).status).toBe(400);
    expect((await authorize({ redirect_uri: 'https://evil.test/cb' })).status).toBe(400);
  });

  it('redirects errors for a bad scope or response type, keeping the state', async () => {
    const scope = new URL((await authorize({ scope: 'aftership:everything' })).headers.get('location')!);
    expect(Object.fromEntries(scope.searchParams)).toMatchObject({ error: 'invalid_scope', state: 's1' });
    const type = new URL((await authorize({ response_type: 'token' })).headers.get('location')!);
    expect(type.searchParams.get('error')).toBe('unsupported_response_type');
    const plain = new URL((await authorize({ code_challenge: 'x', code_challenge_method: 'plain' })).headers.get('location')!);
    expect(plain.searchParams.get('error')).toBe('invalid_request');
  });

  it('issues standard OAuth JSON for a code with the right PKCE verifier, once', async () => {
    const code = await codeOf();
    const bad = await exchange(code, { code_verifier: 'wrong-verifier-wrong-verifier-wrong-verifier-00' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' });
    const ok = await exchange(code);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 60, scope: 'aftership:tracking:read' });
    expect(server.isValidAccessToken(body.access_token as string)).toEqual({ valid: true, scopes: ['aftership:tracking:read'] });
    // Reuse of a code fails and revokes what it issued.
    const again = await exchange(code);
    expect((await again.json()).error).toBe('invalid_grant');
    expect(server.isValidAccessToken(body.access_token as string).valid).toBe(false);
  });

  it('authenticates the client (body or HTTP Basic) and rejects bad grant types', async () => {
    const code = await codeOf();
    const wrong = await exchange(code, { client_secret: 'guess' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toBe('invalid_client');
    const basic = await token(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: VERIFIER },
      { authorization: `Basic ${Buffer.from('app:app-secret').toString('base64')}` },
    );
    expect(basic.status).toBe(200);
    const grant = await token({ grant_type: 'password', client_id: 'app', client_secret: 'app-secret' });
    expect((await grant.json()).error).toBe('unsupported_grant_type');
    const json = await fetch(`${http.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
  });

  it('expires access tokens by its clock and rotates refresh tokens', async () => {
    const first = (await (await exchange(await codeOf())).json()) as { access_token: string; refresh_token: string };
    clock.advance(60_000);
    expect(server.isValidAccessToken(first.access_token)).toEqual({ valid: false });
    const refresh = (rt: string) => token({ grant_type: 'refresh_token', refresh_token: rt, client_id: 'app', client_secret: 'app-secret' });
    const second = (await (await refresh(first.refresh_token)).json()) as { access_token: string; refresh_token: string };
    expect(server.isValidAccessToken(second.access_token).valid).toBe(true);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await (await refresh(first.refresh_token)).json()).error).toBe('invalid_grant');
    server.revokeRefreshToken(second.refresh_token);
    expect(server.isValidAccessToken(second.access_token).valid).toBe(false);
    expect((await refresh(second.refresh_token)).status).toBe(400);
  });

  it('revokeAll ends every grant, and expired codes are refused', async () => {
    const t = (await (await exchange(await codeOf())).json()) as { access_token: string };
    server.revokeAll();
    expect(server.isValidAccessToken(t.access_token).valid).toBe(false);
    const code = await codeOf();
    clock.advance(600_001);
    expect((await (await exchange(code)).json()).error_description).toMatch(/invalid or expired/);
  });
});
