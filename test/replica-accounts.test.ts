/**
 * Accounts other than the default one get a warm replica too (issue 14): an AFTERSHIP_ACCOUNTS entry
 * is not listed at start, its warm-up starts the first time the account is used, and from then on its
 * trackings are answered by id without GET /trackings/:id; an OAuth account starts its warm-up when it
 * is connected (through /oauth/aftership), not at its first use after that.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { READ_SCOPES, SCOPES } from '../src/auth/scopes.js';
import { systemClock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/logger.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createSandboxOAuthServer } from '../src/sandbox/oauth-server.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { bearer, createOrgRouter, post } from './access-support.js';

const TOKEN_B = 'replica-account-b-token-01';
const KEY_B = 'replica-account-b-aftership-key';
const ADMIN_SHOP = 'replica-shop-admin-token-01';
const ON = { REPLICA_ENABLED: 'true', REPLICA_WINDOW_DAYS: '120' };

const sandboxes: Sandbox[] = [];
let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

const metric = async (gateway: TestGateway, name: string, account: string): Promise<number | undefined> => {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const m = new RegExp(`^${name}\\{account="${account}"\\} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the warm replica of accounts other than the default one', () => {
  it('an AFTERSHIP_ACCOUNTS account warms up on its first use, then answers its trackings by id without GET /trackings/:id', async () => {
    const b = createSandbox({ apiKey: KEY_B, seed: 400, randomSeed: 5, autoAdvance: false, logger: silentLogger });
    sandboxes.push(b);
    const router = createOrgRouter({ b: { url: await b.listen(0, '127.0.0.1'), apiKey: KEY_B } });
    gw = await startGateway({
      sandbox: { seed: 50 },
      deps: { fetch: router.fetch },
      env: {
        ...ON,
        GATEWAY_AUTH: 'tokens',
        GATEWAY_TOKENS: JSON.stringify([{ name: 'b-reader', token: TOKEN_B, scopes: READ_SCOPES, account: 'b' }]),
        AFTERSHIP_ACCOUNTS: JSON.stringify([{ id: 'b', kind: 'api-key', apiKey: KEY_B }]),
      },
    });
    // At start only the default account warms up; b is not touched.
    await gw.app.ops.account().replicaSync!.warmup();
    expect(await metric(gw, 'gateway_replica_warm', 'b')).toBeUndefined();
    expect(b.requests.count()).toBe(0);

    // First use: one lookup by id. Its warm-up starts and lists the account (the lookup itself may race
    // it with GET /trackings/:id while that endpoint has room: test/replica-first-seconds).
    const ids = b.store.list().map((t) => t.id!);
    const first = await post<{ tracking: { aftershipId: string } | null }>(gw.graphqlUrl, `{ tracking(id: "${ids[0]}") { aftershipId } }`, {}, bearer(TOKEN_B));
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.tracking?.aftershipId).toBe(ids[0]);
    await until(async () => (await metric(gw!, 'gateway_replica_warm', 'b')) === 1, 20_000, "b's warm-up");
    expect(await metric(gw, 'gateway_replica_trackings', 'b')).toBe(ids.length);
    expect(await metric(gw, 'gateway_replica_complete', 'b')).toBe(1);

    const perIdBefore = b.requests.count({ endpoint: 'GET /trackings/:id' });
    expect(perIdBefore).toBeLessThanOrEqual(1);
    const query = `{ ${ids.slice(1, 51).map((id, i) => `t${i}: tracking(id: "${id}") { aftershipId }`).join(' ')} }`;
    const rest = await post<Record<string, { aftershipId: string } | null>>(gw.graphqlUrl, query, {}, bearer(TOKEN_B));
    expect(rest.body.errors).toBeUndefined();
    expect(Object.values(rest.body.data!).map((t) => t?.aftershipId)).toEqual(ids.slice(1, 51));
    expect(b.requests.count({ endpoint: 'GET /trackings/:id' })).toBe(perIdBefore);
    expect(b.requests.count({ endpoint: 'GET /trackings', status: 200 })).toBe(b.requests.count({ endpoint: 'GET /trackings' }));
  });

  it('an OAuth account starts its warm-up when it is connected', async () => {
    const clientId = 'replica-gateway-app';
    const clientSecret = 'replica-gateway-app-secret';
    const redirectUri = 'http://gateway.test/oauth/aftership/callback';
    const oauth = createSandboxOAuthServer({ clientId, clientSecret, redirectUris: [redirectUri], clock: systemClock });
    const shop = createSandbox({ apiKey: 'shop-key-never-used', seed: 300, randomSeed: 11, oauth, autoAdvance: false, logger: silentLogger });
    sandboxes.push(shop);
    const shopUrl = await shop.listen(0, '127.0.0.1');
    const router = createOrgRouter({ shop: { url: shopUrl, ownsBearer: () => true } });
    gw = await startGateway({
      sandbox: { seed: 20 },
      deps: { fetch: router.fetch },
      env: {
        ...ON,
        GATEWAY_AUTH: 'tokens',
        GATEWAY_TOKENS: JSON.stringify([{ name: 'shop-admin', token: ADMIN_SHOP, scopes: SCOPES, account: 'shop' }]),
        AFTERSHIP_ACCOUNTS: JSON.stringify([{ id: 'shop', kind: 'oauth' }]),
        AFTERSHIP_OAUTH_CLIENT_ID: clientId,
        AFTERSHIP_OAUTH_CLIENT_SECRET: clientSecret,
        AFTERSHIP_OAUTH_REDIRECT_URI: redirectUri,
        AFTERSHIP_OAUTH_AUTHORIZE_URL: `${shopUrl}/oauth/authorize`,
        AFTERSHIP_OAUTH_TOKEN_URL: `${shopUrl}/oauth/token`,
        TOKEN_ENCRYPTION_KEY: 'replica-accounts-test-encryption-key',
      },
    });
    const gateway = gw;
    expect(await metric(gateway, 'gateway_replica_warm', 'shop')).toBeUndefined();

    // The connection, as a browser makes it (cookies kept, gateway.test mapped to the gateway).
    const cookies = new Map<string, string>();
    const browse = async (url: string, headers: Record<string, string> = {}): Promise<Response> => {
      const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await fetch(url.replace('http://gateway.test', gateway.url), { redirect: 'manual', headers: { ...headers, ...(cookie && { cookie }) } });
      for (const line of res.headers.getSetCookie()) {
        const pair = line.split(';')[0];
        cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      return res;
    };
    const start = await browse(`${gateway.url}/oauth/aftership/start?account=shop`, bearer(ADMIN_SHOP));
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('auto_approve', '1');
    const approved = await browse(authorize.toString());
    const done = await browse(approved.headers.get('location')!, { accept: 'application/json' });
    expect(done.status).toBe(200);

    // No query for the account was made: the connection itself started the warm-up.
    await until(async () => (await metric(gateway, 'gateway_replica_warm', 'shop')) === 1, 20_000, "shop's warm-up");
    expect(await metric(gateway, 'gateway_replica_trackings', 'shop')).toBe(shop.store.count());
    expect(shop.requests.count({ endpoint: 'GET /trackings', status: 200 })).toBeGreaterThan(0);
    expect(shop.requests.count({ status: 401 })).toBe(0);
  });
});
