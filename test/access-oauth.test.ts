/**
 * An AfterShip account connected through OAuth, end to end: the gateway's /oauth/aftership/start →
 * the sandbox's authorize page (auto-approve) → /oauth/aftership/callback; GraphQL for that account
 * then reaches AfterShip with `Authorization: Bearer`, survives the token's expiry (refreshed by the
 * gateway, unseen by the client) and reports a revoked grant clearly, with the way to reconnect.
 * The account's organisation is its own sandbox; one ManualClock drives gateway and sandboxes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_SCOPES, SCOPES } from '../src/auth/scopes.js';
import { ManualClock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/logger.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createSandboxOAuthServer, type SandboxOAuthServer } from '../src/sandbox/oauth-server.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { bearer, createOrgRouter, post, type OrgRouter } from './access-support.js';

const ADMIN = 'shop-admin-token-000000001';
const READER = 'shop-reader-token-00000001';
const CLIENT_ID = 'gateway-app';
const CLIENT_SECRET = 'gateway-app-client-secret';
/** Registered before the gateway's ephemeral port is known: the "browser" maps this host to the gateway. */
const REDIRECT_URI = 'http://gateway.test/oauth/aftership/callback';
const TTL_MS = 120_000;

/** A browser: follows nothing by itself, keeps cookies, and resolves gateway.test to the gateway. */
class Browser {
  cookies = new Map<string, string>();
  constructor(private readonly gatewayUrl: string) {}
  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    const target = url.replace('http://gateway.test', this.gatewayUrl);
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(target, { redirect: 'manual', headers: { ...headers, ...(cookie && { cookie }) } });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0];
      const name = pair.slice(0, pair.indexOf('='));
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(pair.indexOf('=') + 1));
    }
    return res;
  }
}

describe('an AfterShip account connected through OAuth', () => {
  const clock = new ManualClock();
  const issued: string[] = [];
  let dataDir: string;
  let oauth: SandboxOAuthServer;
  let shop: Sandbox;
  let router: OrgRouter;
  let gw: TestGateway;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'asgw-access-oauth-'));
    oauth = createSandboxOAuthServer({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [REDIRECT_URI],
      clock,
      accessTokenTtlMs: TTL_MS,
      onTokenIssued: (e) => issued.push(e.grantType),
    });
    // The shop's organisation: only OAuth bearer tokens get in (its API key is never configured).
    shop = createSandbox({ apiKey: 'shop-org-key-never-used', seed: 5, randomSeed: 7, clock, oauth, enforceRateLimits: false, logger: silentLogger });
    const shopUrl = await shop.listen(0, '127.0.0.1');
    router = createOrgRouter({ shop: { url: shopUrl, ownsBearer: () => true } });
    gw = await startGateway({
      sandbox: { clock, enforceRateLimits: false },
      deps: { clock, fetch: router.fetch },
      env: {
        GATEWAY_AUTH: 'tokens',
        GATEWAY_TOKENS: JSON.stringify([
          { name: 'shop-admin', token: ADMIN, scopes: SCOPES, account: 'shop' },
          { name: 'shop-reader', token: READER, scopes: READ_SCOPES, account: 'shop' },
        ]),
        AFTERSHIP_ACCOUNTS: JSON.stringify([{ id: 'shop', kind: 'oauth' }]),
        AFTERSHIP_OAUTH_CLIENT_ID: CLIENT_ID,
        AFTERSHIP_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
        AFTERSHIP_OAUTH_REDIRECT_URI: REDIRECT_URI,
        AFTERSHIP_OAUTH_AUTHORIZE_URL: `${shopUrl}/oauth/authorize`,
        AFTERSHIP_OAUTH_TOKEN_URL: `${shopUrl}/oauth/token`,
        TOKEN_ENCRYPTION_KEY: 'access-oauth-test-encryption-key',
        DATA_DIR: dataDir,
        // The ManualClock only moves when told: no account-wide window to wait out.
        AFTERSHIP_RATE_LIMIT_PER_MINUTE: '0',
      },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await shop?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const connect = async (): Promise<Response> => {
    const browser = new Browser(gw.url);
    const start = await browser.get(`${gw.url}/oauth/aftership/start?account=shop`, bearer(ADMIN));
    expect(start.status).toBe(302);
    const authorizeUrl = new URL(start.headers.get('location')!);
    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${shop.url}/oauth/authorize`);
    authorizeUrl.searchParams.set('auto_approve', '1');
    const approved = await browser.get(authorizeUrl.toString());
    expect(approved.status).toBe(302);
    expect(approved.headers.get('location')).toMatch(/^http:\/\/gateway\.test\/oauth\/aftership\/callback\?/);
    return browser.get(approved.headers.get('location')!, { accept: 'application/json' });
  };

  const trackings = () =>
    post<{ trackings: { totalCount: number; edges: { node: { aftershipId: string } }[] } }>(
      gw.graphqlUrl,
      '{ trackings(first: 5) { totalCount edges { node { aftershipId } } } }',
      {},
      bearer(READER),
    );

  it('before connecting, a query for the account says how to connect it', async () => {
    const res = await trackings();
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'AfterShip OAuth account shop is not connected yet; connect it at /oauth/aftership/start?account=shop',
      extensions: { code: 'UPSTREAM_UNAUTHENTICATED', connectUrl: '/oauth/aftership/start?account=shop' },
    });
    expect(router.sent).toEqual([]);
  });

  it('only a token of the account with every requested scope may start the connection', async () => {
    const res = await fetch(`${gw.url}/oauth/aftership/start?account=shop`, { redirect: 'manual', headers: bearer(READER) });
    expect(res.status).toBe(403);
    expect((await fetch(`${gw.url}/oauth/aftership/start?account=shop`, { redirect: 'manual' })).status).toBe(401);
  });

  it('connects through the sandbox, then GraphQL reaches AfterShip with the bearer token of the account', async () => {
    const done = await connect();
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ connected: true, account: 'shop', scopes: [...SCOPES] });
    expect(issued).toEqual(['authorization_code']);

    const res = await trackings();
    expect(res.body.errors).toBeUndefined();
    // The shop's own organisation answered, not the default account's sandbox.
    expect(res.body.data!.trackings.totalCount).toBe(shop.store.count());
    const shopIds = new Set(shop.store.list().map((t) => t.id));
    for (const e of res.body.data!.trackings.edges) expect(shopIds.has(e.node.aftershipId)).toBe(true);
    expect(gw.sandbox.requests.count()).toBe(0);
    expect(router.sent).toHaveLength(1);
    expect(router.sent[0]).toMatchObject({ org: 'shop', apiKey: null, authorization: expect.stringMatching(/^Bearer sbx_at_/) });
    expect(shop.requests.count({ endpoint: 'GET /trackings', status: 200 })).toBe(1);
  });

  it('when the access token expires, the gateway refreshes it and the client notices nothing', async () => {
    const before = router.sent.at(-1)!.authorization;
    clock.advance(TTL_MS); // expired on both sides
    const res = await trackings();
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.trackings.totalCount).toBe(shop.store.count());
    expect(issued).toEqual(['authorization_code', 'refresh_token']);
    const after = router.sent.at(-1)!.authorization;
    expect(after).toMatch(/^Bearer sbx_at_/);
    expect(after).not.toBe(before);
    // The expired token was never sent: the refresh happened first.
    expect(shop.requests.count({ status: 401 })).toBe(0);
  });

  it('a revoked grant gives a clear error in the GraphQL response, naming how to reconnect', async () => {
    const stored = await gw.app.ops.tokenStore!.get('shop');
    oauth.revokeRefreshToken(stored!.refreshToken!); // the merchant revoked the app: its tokens die too
    clock.advance(10_000);
    const res = await trackings();
    expect(res.status).toBe(200);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'AfterShip OAuth connection for account shop was revoked; reconnect at /oauth/aftership/start?account=shop',
      extensions: { code: 'UPSTREAM_UNAUTHENTICATED', connectUrl: '/oauth/aftership/start?account=shop' },
    });
    expect(shop.requests.count({ status: 401 })).toBe(1);
    expect(issued).toEqual(['authorization_code', 'refresh_token']);
  });

  it('once revoked, further queries send nothing to AfterShip until the account is reconnected', async () => {
    const sentBefore = router.sent.length;
    const requestsBefore = shop.requests.count();
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000);
      const res = await trackings();
      expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'UPSTREAM_UNAUTHENTICATED', connectUrl: '/oauth/aftership/start?account=shop' } });
      expect(res.body.errors?.[0].message).toMatch(/revoked; reconnect at/);
    }
    expect(router.sent.length).toBe(sentBefore);
    expect(shop.requests.count()).toBe(requestsBefore);
    expect(issued).toEqual(['authorization_code', 'refresh_token']);
  });

  it('a callback with another state is refused without spoiling the pending connection', async () => {
    const browser = new Browser(gw.url);
    const start = await browser.get(`${gw.url}/oauth/aftership/start?account=shop`, bearer(ADMIN));
    const authorizeUrl = new URL(start.headers.get('location')!);
    authorizeUrl.searchParams.set('auto_approve', '1');
    const approved = await browser.get(authorizeUrl.toString());
    const genuine = approved.headers.get('location')!;
    // Someone makes the browser open a callback of theirs (their code, their state) first.
    const forged = new URL(genuine);
    forged.searchParams.set('state', 'an-attackers-own-state-value');
    forged.searchParams.set('code', 'sbx_code_of_the_attacker');
    const refused = await browser.get(forged.toString(), { accept: 'application/json' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('STATE_MISMATCH');
    expect(refused.headers.getSetCookie()).toEqual([]);
    const done = await browser.get(genuine, { accept: 'application/json' });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ connected: true, account: 'shop' });
    const res = await trackings();
    expect(res.body.errors).toBeUndefined();
    oauth.revokeAll(); // the next test connects again from a revoked grant
    clock.advance(TTL_MS);
    expect((await trackings()).body.errors?.[0].message).toMatch(/revoked/);
  });

  it('reconnecting makes the account usable again', async () => {
    expect((await connect()).status).toBe(200);
    const res = await trackings();
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.trackings.totalCount).toBe(shop.store.count());
  });
});
