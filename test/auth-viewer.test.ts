import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { ManualClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { AuthError, authErrorResponse, createAuthenticator, type Authenticator } from '../src/auth/viewer.js';
import { READ_SCOPES, SCOPES } from '../src/auth/scopes.js';
import { authConfigFrom, serve, type Served } from './auth-support.js';

const READ_TOKEN = 'gw-read-only-token-0123456789';
const ADMIN_TOKEN = 'gw-admin-token-abcdefghijkl';
const SECRET = 'hs256-shared-secret-for-the-gateway-tests!';

/** A tiny protected endpoint: answers the viewer as JSON, or the AuthError as a 401/403. */
function protectedApp(auth: Authenticator) {
  return async (request: Request): Promise<Response> => {
    const v = await auth.authenticateRequest(request);
    if (v instanceof AuthError) return authErrorResponse(v);
    return Response.json({ ...v, scopes: [...v.scopes] });
  };
}

describe('gateway clients by API token and HS256 JWT', () => {
  const clock = new ManualClock();
  const lines: string[] = [];
  let server: Served;

  beforeAll(async () => {
    const config = authConfigFrom({
      AFTERSHIP_API_KEY: 'asat_1234567890',
      AFTERSHIP_ACCOUNTS: JSON.stringify([{ id: 'shop-us', kind: 'api-key', apiKey: 'asat_us_123456' }]),
      GATEWAY_TOKENS: JSON.stringify([
        { name: 'dashboard', token: READ_TOKEN, scopes: READ_SCOPES },
        { name: 'ops', token: ADMIN_TOKEN, scopes: SCOPES, account: 'shop-us' },
      ]),
      GATEWAY_JWT_SECRET: SECRET,
      GATEWAY_JWT_ISSUER: 'https://idp.test/',
      GATEWAY_JWT_AUDIENCE: 'aftership-gateway',
    });
    expect(config.mode).toBe('tokens,jwt');
    const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void lines.push(l) } });
    const auth = createAuthenticator(config, { clock, logger, accounts: { has: (id) => id === 'default' || id === 'shop-us' } });
    server = await serve(protectedApp(auth));
  });
  afterAll(() => server.close());

  const call = (authorization?: string) => fetch(server.url + '/graphql', { headers: authorization ? { authorization } : {} });
  const jwt = (claims: Record<string, unknown>, opts: { exp?: number; iss?: string; aud?: string; secret?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(opts.iss ?? 'https://idp.test/')
      .setAudience(opts.aud ?? 'aftership-gateway')
      .setSubject('svc-reporting')
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .setExpirationTime(opts.exp ?? Math.floor(clock.now() / 1000) + 300)
      .sign(new TextEncoder().encode(opts.secret ?? SECRET));

  it('refuses a request without a token: 401 with WWW-Authenticate: Bearer', async () => {
    const res = await call();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="aftership-graphql-gateway"');
    expect((await res.json()).errors[0]).toEqual({ message: 'Authentication required: send "Authorization: Bearer <token>"', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a malformed header and an unknown token', async () => {
    const basic = await call('Basic abc');
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
    const unknown = await call('Bearer not-a-configured-token-123');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toMatch(/^Bearer realm="aftership-graphql-gateway", error="invalid_token"/);
  });

  it('gives a read-only API token a viewer with only the read scopes', async () => {
    const res = await call(`Bearer ${READ_TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'dashboard', accountId: 'default', kind: 'api-token', scopes: [...READ_SCOPES] });
    const ops = await (await call(`bearer ${ADMIN_TOKEN}`)).json();
    expect(ops).toMatchObject({ name: 'ops', accountId: 'shop-us', scopes: [...SCOPES] });
  });

  it('accepts a valid JWT, with scopes from "scope" or "scopes" and the account claim', async () => {
    const a = await (await call(`Bearer ${await jwt({ scope: 'openid aftership:tracking:read' })}`)).json();
    expect(a).toEqual({ name: 'svc-reporting', accountId: 'default', kind: 'jwt', scopes: ['aftership:tracking:read'] });
    const b = await (await call(`Bearer ${await jwt({ scopes: ['aftership:tracking:write'], aftership_account: 'shop-us' })}`)).json();
    expect(b).toMatchObject({ accountId: 'shop-us', scopes: ['aftership:tracking:write'] });
  });

  it('refuses expired, tampered, wrongly signed and mis-addressed JWTs', async () => {
    const good = await jwt({ scope: 'aftership:tracking:read' });
    const expired = await jwt({}, { exp: Math.floor(clock.now() / 1000) - 60 });
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = [h, Buffer.from(JSON.stringify({ ...payload, scope: [...SCOPES].join(' ') })).toString('base64url'), s].join('.');
    const cases: [string, RegExp][] = [
      [expired, /The token has expired/],
      [tampered, /The token signature is invalid/],
      [await jwt({}, { secret: 'another-secret-that-is-long-enough-1234' }), /The token signature is invalid/],
      [await jwt({}, { iss: 'https://evil.test/' }), /"iss" claim is not accepted/],
      [await jwt({}, { aud: 'someone-else' }), /"aud" claim is not accepted/],
      [`${h}.${p}.`, /signature is invalid|malformed/],
    ];
    for (const [token, message] of cases) {
      const res = await call(`Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      expect((await res.json()).errors[0].message).toMatch(message);
    }
    // Time moves on: the good token expires too (5 s tolerance).
    clock.advance(306_000);
    expect((await call(`Bearer ${good}`)).status).toBe(401);
  });

  it('refuses a JWT whose expiry is further away than GATEWAY_JWT_MAX_LIFETIME_SECONDS (default a day)', async () => {
    const now = Math.floor(clock.now() / 1000);
    const centuries = await call(`Bearer ${await jwt({ scope: 'aftership:tracking:read' }, { exp: now + 300 * 365 * 86_400 })}`);
    expect(centuries.status).toBe(401);
    expect((await centuries.json()).errors[0].message).toMatch(/expires too far in the future: at most 86400 s/);
    expect((await call(`Bearer ${await jwt({}, { exp: now + 86_400 + 60 })}`)).status).toBe(401);
    expect((await call(`Bearer ${await jwt({}, { exp: now + 86_400 })}`)).status).toBe(200);
  });

  it('refuses a JWT without `exp` (a token that never expires)', async () => {
    const forever = await new SignJWT({ scope: 'aftership:tracking:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://idp.test/')
      .setAudience('aftership-gateway')
      .setSubject('svc-reporting')
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .sign(new TextEncoder().encode(SECRET));
    const res = await call(`Bearer ${forever}`);
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].message).toMatch(/"exp" claim is missing/);
  });

  it('refuses a JWT for an account the gateway does not serve (403)', async () => {
    const res = await call(`Bearer ${await jwt({ aftership_account: 'someone-elses-shop' })}`);
    expect(res.status).toBe(403);
    expect((await res.json()).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('never logs tokens', () => {
    const all = lines.join('\n');
    expect(all).not.toContain(READ_TOKEN);
    expect(all).not.toMatch(/eyJ/);
  });
});

describe('JWT verified against a JWKS served over HTTP', () => {
  let jwks: Served;
  let app: Served;
  let jwksHits = 0;
  let privateKey: CryptoKey;
  const clock = new ManualClock();

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = await serve((request) => {
      if (new URL(request.url).pathname !== '/.well-known/jwks.json') return undefined;
      jwksHits++;
      return Response.json({ keys: [jwk] });
    });
    const config = authConfigFrom({
      GATEWAY_JWT_JWKS_URL: `${jwks.url}/.well-known/jwks.json`,
      GATEWAY_JWT_ISSUER: 'https://idp.test/',
      GATEWAY_JWT_AUDIENCE: 'aftership-gateway',
      GATEWAY_JWT_ACCOUNT_CLAIM: 'https://gw.test/account',
    });
    app = await serve(protectedApp(createAuthenticator(config, { clock })));
  });
  afterAll(async () => {
    await app.close();
    await jwks.close();
  });

  const sign = (key: CryptoKey, kid: string, claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer('https://idp.test/')
      .setAudience('aftership-gateway')
      .setSubject('partner-app')
      .setExpirationTime(Math.floor(clock.now() / 1000) + 60)
      .sign(key);

  it('accepts tokens signed by a key in the set and reads the configured account claim', async () => {
    const token = await sign(privateKey, 'k1', { scope: 'aftership:courier:read', 'https://gw.test/account': 'default' });
    const res = await fetch(app.url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'partner-app', accountId: 'default', kind: 'jwt', scopes: ['aftership:courier:read'] });
    // The key set is cached: a second request does not download it again.
    await fetch(app.url, { headers: { authorization: `Bearer ${token}` } });
    expect(jwksHits).toBe(1);
  });

  it('refuses tokens signed by an unknown key, and HS256 tokens (algorithm confusion)', async () => {
    const other = await generateKeyPair('ES256');
    const res = await fetch(app.url, { headers: { authorization: `Bearer ${await sign(other.privateKey, 'k1', {})}` } });
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].message).toBe('The token signature is invalid');
    const hs = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    const res2 = await fetch(app.url, { headers: { authorization: `Bearer ${hs}` } });
    expect(res2.status).toBe(401);
    expect((await res2.json()).errors[0].message).toMatch(/algorithm/);
  });

  it('answers 503 (not 401) when the key set cannot be loaded', async () => {
    const dead = await serve(() => undefined);
    const url = `${dead.url}/jwks.json`;
    await dead.close();
    const auth = createAuthenticator(authConfigFrom({ GATEWAY_JWT_JWKS_URL: url }), { clock });
    const r = await auth.authenticateRequest(`Bearer ${await sign(privateKey, 'k1', {})}`);
    expect(r).toBeInstanceOf(AuthError);
    expect((r as AuthError).status).toBe(503);
  });
});

describe('open mode and credentials from other carriers', () => {
  it('gives every request the full scopes of the default account when open', async () => {
    const auth = createAuthenticator(authConfigFrom({}));
    const v = await auth.authenticateRequest(undefined);
    expect(v).toMatchObject({ kind: 'open', accountId: 'default', name: 'anonymous' });
    expect((v as { scopes: Set<string> }).scopes.size).toBe(SCOPES.length);
  });

  it('reads graphql-ws connectionParams and raw tokens', async () => {
    const auth = createAuthenticator(authConfigFrom({ GATEWAY_TOKENS: JSON.stringify([{ name: 'ws', token: READ_TOKEN, scopes: ['aftership:tracking:read'] }]) }));
    expect(await auth.authenticateRequest({ authorization: `Bearer ${READ_TOKEN}` })).toMatchObject({ name: 'ws' });
    expect(await auth.authenticateRequest({ Authorization: `Bearer ${READ_TOKEN}` })).toMatchObject({ name: 'ws' });
    expect(await auth.authenticateRequest(READ_TOKEN)).toMatchObject({ name: 'ws' });
    expect(await auth.authenticateRequest({})).toBeInstanceOf(AuthError);
  });
});
