/**
 * The whole OAuth 2.0 flow over loopback HTTP: gateway handlers ⇄ sandbox OAuth server, the
 * encrypted token file, refresh before expiry and after a 401 (through the real AfterShip client),
 * revocation and state checks. Token lifetimes are driven by a ManualClock shared by both sides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAfterShipClient } from '../src/aftership/client.js';
import { OAuthConnectionError } from '../src/auth/oauth-tokens.js';
import { ManualClock } from '../src/lib/clock.js';
import { createGatewayAuth, type GatewayAuth } from '../src/auth/index.js';
import type { AuthConfig } from '../src/auth/config.js';
import { SCOPES } from '../src/auth/scopes.js';
import { createSandboxOAuthServer, type SandboxOAuthServer } from '../src/sandbox/oauth-server.js';
import { authConfigFrom, serve, type Served } from './auth-support.js';

const ADMIN = 'gw-admin-token-for-shop-eu-123';
const READER = 'gw-read-token-for-shop-eu-4567';
const TTL_MS = 120_000;

/** A browser: follows nothing by itself, keeps cookies. */
class Browser {
  cookies = new Map<string, string>();
  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: { ...headers, ...(cookie && { cookie }) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

describe('OAuth 2.0 connection of an AfterShip account', () => {
  const clock = new ManualClock();
  let dataDir: string;
  let sandbox: Served;
  let gateway: Served;
  let oauthServer: SandboxOAuthServer;
  let config: AuthConfig;
  let auth: GatewayAuth;
  let gatewayHandler: (r: Request) => Promise<Response> | undefined = () => undefined;
  const issued: string[] = [];
  let tokenRequests = 0;
  const apiSeen: string[] = [];
  /** Access tokens the fake AfterShip API refuses even though they have not expired. */
  const refused = new Set<string>();

  const bearer = () => {
    const a = auth.accounts.authFor('shop-eu');
    if (a.kind !== 'bearer' || !a.onUnauthorized) throw new Error('expected bearer auth with onUnauthorized');
    return a as { getAccessToken(): Promise<string>; onUnauthorized(): Promise<void> };
  };

  const connect = async (browser: Browser, startUrl: string, headers: Record<string, string>): Promise<Response> => {
    const start = await browser.get(startUrl, headers);
    expect(start.status).toBe(302);
    const authorize = await browser.get(`${start.headers.get('location')}&auto_approve=1`);
    expect(authorize.status).toBe(302);
    return browser.get(authorize.headers.get('location')!, { accept: 'application/json' });
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'asgw-oauth-'));
    sandbox = await serve(async (request) => {
      const path = new URL(request.url).pathname;
      if (path === '/oauth/token') tokenRequests++;
      const answer = oauthServer.handle(request);
      if (answer) return answer;
      // A minimal AfterShip API behind bearer auth, checked the way the sandbox does.
      if (path === '/tracking/2026-07/couriers') {
        const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
        apiSeen.push(token);
        const check = oauthServer.isValidAccessToken(token);
        if (!check.valid || refused.has(token)) {
          return Response.json({ meta: { code: 401, message: 'The API Key is invalid.', type: 'Unauthorized' }, data: {} }, { status: 401 });
        }
        return Response.json({ meta: { code: 200 }, data: { couriers: [{ slug: 'ups', name: 'UPS' }] } });
      }
      return undefined;
    });
    gateway = await serve((request) => gatewayHandler(request));
    const redirectUri = `${gateway.url}/oauth/aftership/callback`;
    oauthServer = createSandboxOAuthServer({
      clientId: 'gw-app',
      clientSecret: 'gw-app-secret-123',
      redirectUris: [redirectUri],
      clock,
      accessTokenTtlMs: TTL_MS,
      onTokenIssued: (e) => issued.push(e.grantType),
    });
    config = authConfigFrom({
      AFTERSHIP_ACCOUNTS: JSON.stringify([{ id: 'shop-eu', kind: 'oauth' }, { id: 'shop-us', kind: 'api-key', apiKey: 'asat_us_123456' }]),
      GATEWAY_TOKENS: JSON.stringify([
        { name: 'admin', token: ADMIN, scopes: SCOPES, account: 'shop-eu' },
        { name: 'reader', token: READER, scopes: ['aftership:tracking:read'], account: 'shop-eu' },
      ]),
      AFTERSHIP_OAUTH_CLIENT_ID: 'gw-app',
      AFTERSHIP_OAUTH_CLIENT_SECRET: 'gw-app-secret-123',
      AFTERSHIP_OAUTH_REDIRECT_URI: redirectUri,
      AFTERSHIP_OAUTH_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
      AFTERSHIP_OAUTH_TOKEN_URL: `${sandbox.url}/oauth/token`,
      TOKEN_ENCRYPTION_KEY: 'oauth-test-encryption-key',
      DATA_DIR: dataDir,
    });
    auth = createGatewayAuth(config, { clock });
    gatewayHandler = (request) => auth.oauth!.handle(request);
  });
  afterAll(async () => {
    await auth.close();
    await gateway.close();
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('only lets a caller of that account with every requested scope start', async () => {
    const url = `${gateway.url}/oauth/aftership/start?account=shop-eu`;
    const anonymous = await fetch(url, { redirect: 'manual' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const reader = await fetch(url, { redirect: 'manual', headers: { authorization: `Bearer ${READER}` } });
    expect(reader.status).toBe(403);
    const other = await fetch(`${gateway.url}/oauth/aftership/start?account=shop-us`, { redirect: 'manual', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(other.status).toBe(403);
  });

  it('is not connected before the flow, with a clear error', async () => {
    await expect(bearer().getAccessToken()).rejects.toThrow(
      'AfterShip OAuth account shop-eu is not connected yet; connect it at /oauth/aftership/start?account=shop-eu',
    );
  });

  it('connects: start → authorize (auto-approve) → callback → encrypted tokens → API calls work', async () => {
    const browser = new Browser();
    const start = await browser.get(`${gateway.url}/oauth/aftership/start?account=shop-eu`, { authorization: `Bearer ${ADMIN}` });
    expect(start.status).toBe(302);
    const to = new URL(start.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`${sandbox.url}/oauth/authorize`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: 'gw-app',
      redirect_uri: `${gateway.url}/oauth/aftership/callback`,
      response_type: 'code',
      scope: SCOPES.join(' '),
      code_challenge_method: 'S256',
    });
    expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    const setCookie = start.headers.getSetCookie()[0];
    expect(setCookie).toMatch(/^asgw_oauth_state=[\w-]+; Path=\/oauth\/aftership\/callback; HttpOnly; SameSite=Lax; Max-Age=600$/);
    expect(browser.cookies.get('asgw_oauth_state')).toBe(to.searchParams.get('state'));

    // The sandbox's consent page, then auto-approval.
    const consent = await browser.get(to.toString());
    expect(consent.status).toBe(200);
    expect(await consent.text()).toContain('aftership:tracking:read');
    const approved = await browser.get(`${to}&auto_approve=1`);
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe(to.searchParams.get('state'));
    expect(back.searchParams.get('hmac')).toMatch(/^[0-9a-f]{64}$/);

    const done = await browser.get(back.toString(), { accept: 'application/json' });
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ connected: true, account: 'shop-eu', scopes: [...SCOPES], expiresAt: new Date(clock.now() + TTL_MS).toISOString() });
    expect(browser.cookies.has('asgw_oauth_state')).toBe(false); // cleared
    expect(issued).toEqual(['authorization_code']);

    const accessToken = await bearer().getAccessToken();
    expect(oauthServer.isValidAccessToken(accessToken)).toEqual({ valid: true, scopes: [...SCOPES] });
    const file = await readFile(join(dataDir, 'aftership-oauth-tokens.json'), 'utf8');
    expect(file).not.toContain(accessToken);
    expect(file).not.toContain('sbx_rt_');

    const client = createAfterShipClient({ baseUrl: sandbox.url, auth: auth.accounts.authFor('shop-eu'), retry: { maxRetries: 0 } });
    expect(await client.listCouriers()).toEqual([{ slug: 'ups', name: 'UPS' }]);
    expect(apiSeen.at(-1)).toBe(accessToken);

    const status = await fetch(`${gateway.url}/oauth/aftership/status?account=shop-eu`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(await status.json()).toMatchObject({ account: 'shop-eu', connected: true });
  });

  it('refreshes shortly before expiry, once for many concurrent callers, without the caller noticing', async () => {
    const before = await bearer().getAccessToken();
    clock.advance(TTL_MS - 70_000); // 70 s left: still fresh
    expect(await bearer().getAccessToken()).toBe(before);
    expect(issued).toHaveLength(1);
    clock.advance(20_000); // 50 s left: inside the 60 s skew
    const tokens = await Promise.all(Array.from({ length: 5 }, () => bearer().getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(before);
    expect(issued).toEqual(['authorization_code', 'refresh_token']);
    const client = createAfterShipClient({ baseUrl: sandbox.url, auth: auth.accounts.authFor('shop-eu'), retry: { maxRetries: 0 } });
    clock.advance(TTL_MS); // long expired on both sides
    expect(await client.listCouriers()).toHaveLength(1);
    expect(issued).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
  });

  it('after a 401, refreshes once (shared by concurrent requests) and the retried call succeeds', async () => {
    clock.advance(10_000);
    const current = await bearer().getAccessToken();
    refused.add(current); // AfterShip stops accepting it early
    const client = createAfterShipClient({ baseUrl: sandbox.url, auth: auth.accounts.authFor('shop-eu'), retry: { maxRetries: 0 } });
    const n = issued.length;
    const results = await Promise.all([client.listCouriers({ active: true }), client.listCouriers({ active: false }), client.listCouriers()]);
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(issued.length).toBe(n + 1);
    expect(await bearer().getAccessToken()).not.toBe(current);
    // A second 401 right after a refresh is not cured by refreshing again.
    await bearer().onUnauthorized();
    expect(issued.length).toBe(n + 1);
  });

  it('reads the stored tokens after a restart', async () => {
    const current = await bearer().getAccessToken();
    const restarted = createGatewayAuth(config, { clock });
    const again = restarted.accounts.authFor('shop-eu') as { getAccessToken(): Promise<string> };
    expect(await again.getAccessToken()).toBe(current);
    await restarted.close();
  });

  it('gives a clear error when the refresh token was revoked', async () => {
    const stored = await auth.tokenStore!.get('shop-eu');
    oauthServer.revokeRefreshToken(stored!.refreshToken!);
    clock.advance(TTL_MS);
    const message = 'AfterShip OAuth connection for account shop-eu was revoked; reconnect at /oauth/aftership/start?account=shop-eu';
    const error = await bearer().getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthConnectionError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAUTHENTICATED', message, reason: 'revoked', connectUrl: '/oauth/aftership/start?account=shop-eu' });
    // Known dead: no further calls to the token endpoint.
    const requests = tokenRequests;
    await expect(bearer().getAccessToken()).rejects.toThrow(message);
    await expect(bearer().onUnauthorized()).rejects.toThrow(message);
    expect(tokenRequests).toBe(requests);
    // Through the client: the call fails as unauthenticated, naming the way out.
    const client = createAfterShipClient({ baseUrl: sandbox.url, auth: auth.accounts.authFor('shop-eu'), retry: { maxRetries: 0 } });
    const viaClient = await client.listCouriers().catch((e: unknown) => e);
    expect(viaClient).toMatchObject({ code: 'UPSTREAM_UNAUTHENTICATED' });
    expect((viaClient as Error).message).toContain('reconnect at /oauth/aftership/start?account=shop-eu');
  });

  it('reconnects after revocation, through a one-time link for API clients', async () => {
    const link = await fetch(`${gateway.url}/oauth/aftership/start?account=shop-eu`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(link.status).toBe(201);
    const { url } = (await link.json()) as { url: string };
    expect(url).toMatch(/\/oauth\/aftership\/start\?ticket=/);
    const browser = new Browser();
    const done = await connect(browser, url, {});
    expect(done.status).toBe(200);
    const client = createAfterShipClient({ baseUrl: sandbox.url, auth: auth.accounts.authFor('shop-eu'), retry: { maxRetries: 0 } });
    expect(await client.listCouriers()).toHaveLength(1);
    expect(oauthServer.isValidAccessToken(await bearer().getAccessToken()).valid).toBe(true);
    // The link works once.
    expect((await new Browser().get(url)).status).toBe(400);
  });

  it('refuses a callback whose state does not match the cookie, a replayed state and an expired one', async () => {
    const headers = { authorization: `Bearer ${ADMIN}`, accept: 'application/json' };
    const victim = new Browser();
    const start = await victim.get(`${gateway.url}/oauth/aftership/start?account=shop-eu`, headers);
    const approved = await victim.get(`${start.headers.get('location')}&auto_approve=1`);
    const callbackUrl = approved.headers.get('location')!;

    // Another browser (no cookie, or someone else's) cannot complete it.
    const attacker = new Browser();
    const noCookie = await attacker.get(callbackUrl, { accept: 'application/json' });
    expect(noCookie.status).toBe(400);
    expect((await noCookie.json()).error.code).toBe('STATE_MISMATCH');
    attacker.cookies.set('asgw_oauth_state', 'forged-state-value');
    const forged = await attacker.get(callbackUrl, { accept: 'application/json' });
    expect((await forged.json()).error.code).toBe('STATE_MISMATCH');

    // The right browser completes it once; the same state cannot be replayed.
    const cookie = victim.cookies.get('asgw_oauth_state')!;
    expect((await victim.get(callbackUrl, { accept: 'application/json' })).status).toBe(200);
    victim.cookies.set('asgw_oauth_state', cookie);
    const replay = await victim.get(callbackUrl, { accept: 'application/json' });
    expect((await replay.json()).error.code).toBe('STATE_EXPIRED');

    // A flow left open longer than 10 minutes expires.
    const slow = new Browser();
    const s2 = await slow.get(`${gateway.url}/oauth/aftership/start?account=shop-eu`, headers);
    const a2 = await slow.get(`${s2.headers.get('location')}&auto_approve=1`);
    clock.advance(601_000);
    const late = await slow.get(a2.headers.get('location')!, { accept: 'application/json' });
    expect(late.status).toBe(400);
    expect((await late.json()).error.code).toBe('STATE_EXPIRED');
  });

  it('reports a declined consent on a small HTML page', async () => {
    const browser = new Browser();
    const start = await browser.get(`${gateway.url}/oauth/aftership/start?account=shop-eu`, { authorization: `Bearer ${ADMIN}` });
    const authorizeUrl = new URL(start.headers.get('location')!);
    const form = new URLSearchParams(authorizeUrl.searchParams);
    form.set('decision', 'deny');
    const denied = await fetch(`${sandbox.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    expect(denied.status).toBe(302);
    const page = await browser.get(denied.headers.get('location')!);
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('did not authorize account shop-eu: the request was declined');
  });
});
