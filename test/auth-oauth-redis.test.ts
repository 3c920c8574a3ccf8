/**
 * Two gateway instances sharing Redis (local, unique key prefix): the OAuth state started on one
 * instance completes on the other, tokens are shared, and concurrent refreshes across instances
 * burn the rotating refresh token only once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ManualClock } from '../src/lib/clock.js';
import { createGatewayAuth, type GatewayAuth } from '../src/auth/index.js';
import { SCOPES } from '../src/auth/scopes.js';
import { createSandboxOAuthServer, type SandboxOAuthServer } from '../src/sandbox/oauth-server.js';
import { authConfigFrom, serve, type Served } from './auth-support.js';

const ADMIN = 'gw-admin-token-for-shop-eu-123';
const TTL_MS = 300_000;

describe('OAuth with two gateway instances sharing Redis', () => {
  const clock = new ManualClock();
  const prefix = `asgw-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  let sandbox: Served;
  let gateway: Served;
  let oauthServer: SandboxOAuthServer;
  let a: GatewayAuth;
  let b: GatewayAuth;
  const issued: string[] = [];
  let tokenRequests = 0;

  const bearerOf = (g: GatewayAuth) => {
    const auth = g.accounts.authFor('shop-eu');
    if (auth.kind !== 'bearer') throw new Error('expected bearer');
    return auth;
  };

  beforeAll(async () => {
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    sandbox = await serve((r) => {
      if (new URL(r.url).pathname === '/oauth/token') tokenRequests++;
      return oauthServer.handle(r);
    });
    // A load balancer: /start goes to instance A, everything else to B.
    gateway = await serve((r) => (new URL(r.url).pathname.endsWith('/start') ? a : b).oauth!.handle(r));
    const redirectUri = `${gateway.url}/oauth/aftership/callback`;
    oauthServer = createSandboxOAuthServer({ clientId: 'gw-app', clientSecret: 'gw-app-secret-123', clock, accessTokenTtlMs: TTL_MS, onTokenIssued: (e) => issued.push(e.grantType) });
    const config = authConfigFrom({
      AFTERSHIP_ACCOUNTS: JSON.stringify([{ id: 'shop-eu', kind: 'oauth' }]),
      GATEWAY_TOKENS: JSON.stringify([{ name: 'admin', token: ADMIN, scopes: SCOPES, account: 'shop-eu' }]),
      AFTERSHIP_OAUTH_CLIENT_ID: 'gw-app',
      AFTERSHIP_OAUTH_CLIENT_SECRET: 'gw-app-secret-123',
      AFTERSHIP_OAUTH_REDIRECT_URI: redirectUri,
      AFTERSHIP_OAUTH_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
      AFTERSHIP_OAUTH_TOKEN_URL: `${sandbox.url}/oauth/token`,
      TOKEN_ENCRYPTION_KEY: 'oauth-test-encryption-key',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: prefix,
    });
    expect(config.tokenStore?.kind).toBe('redis');
    a = createGatewayAuth(config, { clock, redis });
    b = createGatewayAuth(config, { clock }); // opens its own connection
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await gateway.close();
    await sandbox.close();
  });

  it('completes on B an authorization started on A, storing sealed tokens in Redis', async () => {
    const start = await fetch(`${gateway.url}/oauth/aftership/start?account=shop-eu`, { redirect: 'manual', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(start.status).toBe(302);
    const cookie = start.headers.getSetCookie()[0].split(';')[0];
    expect(await redis.keys(`${prefix}oauth-state:*`)).toHaveLength(1);
    const approved = await fetch(`${start.headers.get('location')}&auto_approve=1`, { redirect: 'manual' });
    const done = await fetch(approved.headers.get('location')!, { headers: { cookie, accept: 'application/json' } });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ connected: true, account: 'shop-eu' });
    expect(await redis.keys(`${prefix}oauth-state:*`)).toHaveLength(0);

    const token = await bearerOf(a).getAccessToken();
    expect(await bearerOf(b).getAccessToken()).toBe(token);
    const raw = await redis.get(`${prefix}oauth-tokens:shop-eu`);
    expect(raw).not.toContain(token);
  });

  it('refreshes once when both instances find the token expiring at the same moment', async () => {
    clock.advance(TTL_MS);
    const before = issued.length;
    const requests = tokenRequests;
    const [ta, tb] = await Promise.all([bearerOf(a).getAccessToken(), bearerOf(b).getAccessToken()]);
    expect(ta).toBe(tb);
    expect(issued.length).toBe(before + 1);
    expect(tokenRequests).toBe(requests + 1); // B waited for A's refresh instead of burning the refresh token
    expect(oauthServer.isValidAccessToken(ta).valid).toBe(true);
  });

  it('picks up the token another instance refreshed instead of refreshing again', async () => {
    clock.advance(TTL_MS);
    const before = issued.length;
    const fromA = await bearerOf(a).getAccessToken();
    expect(issued.length).toBe(before + 1);
    expect(await bearerOf(b).getAccessToken()).toBe(fromA); // B's cached copy was stale
    expect(issued.length).toBe(before + 1);
    // A 401 on B with a token A has since replaced is cured by A's token, with no new refresh.
    clock.advance(10_000);
    await bearerOf(a).onUnauthorized!();
    expect(issued.length).toBe(before + 2);
    const fromA2 = await bearerOf(a).getAccessToken();
    expect(fromA2).not.toBe(fromA);
    await bearerOf(b).onUnauthorized!();
    expect(await bearerOf(b).getAccessToken()).toBe(fromA2);
    expect(issued.length).toBe(before + 2);
  });
});
