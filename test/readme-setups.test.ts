/**
 * The README's set-ups with real AfterShip accounts, run exactly as written: the environment of each
 * `npm start` example is read from README.md (only the listening address, log level and data
 * directory are the test's), so the documentation and this test cannot drift apart.
 *
 * "AfterShip" is sandboxes behind a fetch that answers for https://api.aftership.com (each request
 * goes to the organisation its credentials belong to) and https://apps.aftership.com (the OAuth
 * app's authorization server); nothing leaves the machine. Sandbox mode must mean no AfterShip
 * account of any kind: none of these set-ups may start the embedded sandbox, and every AfterShip
 * call must go to AFTERSHIP_BASE_URL (here its default) with that account's own credentials.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DEFAULT_OAUTH_AUTHORIZE_URL } from '../src/auth/config.js';
import { silentLogger } from '../src/lib/logger.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createSandboxOAuthServer } from '../src/sandbox/oauth-server.js';
import { systemClock } from '../src/lib/clock.js';
import { bearer, post } from './access-support.js';
import { curlCall, readmeShellBlocks, startEnvironment } from './helpers/readme-shell.js';
import { createRecordingLogger } from './redis-support.js';

const AFTERSHIP = 'https://api.aftership.com';
const AFTERSHIP_APPS = new URL(DEFAULT_OAUTH_AUTHORIZE_URL).origin;

const setups = readmeShellBlocks()
  .filter((b) => /\bnpm start\s*$/.test(b) && /^[A-Z_]+=/.test(b))
  .map((block) => ({ block, env: startEnvironment(block) }));
const accountsOf = (env: Record<string, string>): { id: string; kind: string; apiKey?: string }[] => JSON.parse(env.AFTERSHIP_ACCOUNTS ?? '[]');
const tokensOf = (env: Record<string, string>): { name: string; token: string; account?: string }[] => JSON.parse(env.GATEWAY_TOKENS);
const multiAccount = setups.find((s) => accountsOf(s.env).length > 1 && accountsOf(s.env).every((a) => a.kind === 'api-key'));
const oauthApp = setups.find((s) => accountsOf(s.env).some((a) => a.kind === 'oauth'));
const singleKey = setups.find((s) => s.env.AFTERSHIP_API_KEY !== undefined);

interface Organisation {
  sandbox: Sandbox;
  url: string;
  apiKey?: string;
  /** Accepts OAuth bearer tokens (the app's organisation). */
  oauth?: boolean;
}

/** Every AfterShip call the gateway made: where it was addressed and the organisation that answered. */
interface Sent {
  url: string;
  org: string;
  authorization: string | null;
  apiKey: string | null;
}

/**
 * The gateway's fetch: AfterShip's hosts are the organisations' sandboxes (chosen by the request's
 * credentials, as one AfterShip serves every organisation) and the app's OAuth server; any other
 * address is refused, so a wrong base URL fails loudly instead of reaching the internet.
 */
function aftershipFetch(orgs: Record<string, Organisation>, sent: Sent[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const apiKey = request.headers.get('as-api-key');
    const authorization = request.headers.get('authorization');
    let target: string | undefined;
    if (url.origin === AFTERSHIP) {
      const org = Object.entries(orgs).find(([, o]) => (apiKey !== null && o.apiKey === apiKey) || (authorization !== null && o.oauth));
      if (!org) return new Response(JSON.stringify({ meta: { code: 401, message: 'The API Key is invalid.' } }), { status: 401 });
      sent.push({ url: request.url, org: org[0], authorization, apiKey });
      target = org[1].url;
    } else if (url.origin === AFTERSHIP_APPS) {
      target = Object.values(orgs).find((o) => o.oauth)?.url;
    }
    if (!target) throw new TypeError(`fetch failed: the test's network has no ${url.origin}`);
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    return fetch(new URL(url.pathname + url.search, target), { method: request.method, headers: request.headers, body, redirect: 'manual' });
  };
}

interface Started {
  app: App;
  graphqlUrl: string;
  sent: Sent[];
  log: { level: string; msg: string }[];
}

const cleanups: (() => Promise<void>)[] = [];
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'asgw-readme-setups-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function organisation(options: { apiKey?: string; oauth?: Parameters<typeof createSandboxOAuthServer>[0]; seed: number; randomSeed: number }): Promise<Organisation> {
  const oauth = options.oauth ? createSandboxOAuthServer(options.oauth) : undefined;
  const sandbox = createSandbox({ apiKey: options.apiKey ?? 'organisation-key-never-configured', seed: options.seed, randomSeed: options.randomSeed, oauth, enforceRateLimits: false, logger: silentLogger });
  const url = await sandbox.listen(0, '127.0.0.1');
  cleanups.push(() => sandbox.close());
  return { sandbox, url, apiKey: options.apiKey, oauth: Boolean(oauth) };
}

/** Starts the gateway with the README's environment, as `npm start` would (plus where to listen and keep data). */
async function startAsWritten(env: Record<string, string>, orgs: Record<string, Organisation>, accounts: string[] = ['default']): Promise<Started> {
  const sent: Sent[] = [];
  const logger = createRecordingLogger();
  const app = await startApp(loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATA_DIR: dataDir }), {
    fetch: aftershipFetch(orgs, sent),
    logger,
  });
  cleanups.push(() => app.stop());
  // The start-up AfterShip probe (GET /couriers, default account) is not one of the calls counted below.
  await app.ops.checkAftership();
  // The warm replica (on by default) lists each account's trackings at start: not counted below either.
  for (const id of accounts) await app.ops.account(id).replicaSync?.warmup();
  sent.length = 0;
  return { app, graphqlUrl: `${app.url}/graphql`, sent, log: logger.lines };
}

const TRACKINGS = '{ trackings(first: 5) { totalCount edges { node { aftershipId } } } }';

function expectNoSandboxMode(gw: Started): void {
  expect(gw.app.sandbox).toBeUndefined();
  expect(gw.log.map((l) => l.msg).join('\n')).not.toMatch(/sandbox/i);
  expect(gw.log.some((l) => l.msg.includes(`AfterShip at ${AFTERSHIP}`))).toBe(true);
}

describe('README set-ups, run as written', () => {
  it('the README shows the three set-ups (one key, several accounts, an OAuth app)', () => {
    expect(singleKey).toBeDefined();
    expect(multiAccount).toBeDefined();
    expect(oauthApp).toBeDefined();
  });

  it('one API key: the gateway talks to AfterShip with it, behind access control', async () => {
    const env = singleKey!.env;
    const org = await organisation({ apiKey: env.AFTERSHIP_API_KEY, seed: 4, randomSeed: 1 });
    const gw = await startAsWritten(env, { main: org });
    expectNoSandboxMode(gw);
    const [token] = tokensOf(env);
    expect((await post(gw.graphqlUrl, TRACKINGS)).status).toBe(401);
    const res = await post<{ trackings: { totalCount: number } }>(gw.graphqlUrl, TRACKINGS, {}, bearer(token.token));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.trackings.totalCount).toBe(org.sandbox.store.count());
    expect(gw.sent.map((s) => [s.org, new URL(s.url).origin])).toEqual([['main', AFTERSHIP]]);
  });

  it('several API-key accounts: each token reaches its own organisation at AFTERSHIP_BASE_URL, never a sandbox', async () => {
    const env = multiAccount!.env;
    const [first, second] = accountsOf(env);
    const orgs = {
      [first.id]: await organisation({ apiKey: first.apiKey, seed: 3, randomSeed: 11 }),
      [second.id]: await organisation({ apiKey: second.apiKey, seed: 6, randomSeed: 12 }),
    };
    const gw = await startAsWritten(env, orgs, [first.id, second.id]);
    expectNoSandboxMode(gw);
    expect((await post(gw.graphqlUrl, TRACKINGS)).status).toBe(401);
    for (const token of tokensOf(env)) {
      const org = orgs[token.account!];
      const res = await post<{ trackings: { totalCount: number; edges: { node: { aftershipId: string } }[] } }>(gw.graphqlUrl, TRACKINGS, {}, bearer(token.token));
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.trackings.totalCount).toBe(org.sandbox.store.count());
      const ids = new Set(org.sandbox.store.list().map((t) => t.id));
      for (const e of res.body.data!.trackings.edges) expect(ids.has(e.node.aftershipId)).toBe(true);
      expect(gw.sent.at(-1)).toMatchObject({ org: token.account, apiKey: org.apiKey, authorization: null });
      expect(new URL(gw.sent.at(-1)!.url).origin).toBe(AFTERSHIP);
    }
  });

  it('an OAuth app: connected through the one-time link as the README says, then queries reach AfterShip with its bearer token', async () => {
    const env = oauthApp!.env;
    const [account] = accountsOf(env);
    const redirect = new URL(env.AFTERSHIP_OAUTH_REDIRECT_URI);
    const shop = await organisation({
      seed: 5,
      randomSeed: 21,
      oauth: { clientId: env.AFTERSHIP_OAUTH_CLIENT_ID, clientSecret: env.AFTERSHIP_OAUTH_CLIENT_SECRET, redirectUris: [redirect.href], clock: systemClock },
    });
    const gw = await startAsWritten(env, { [account.id]: shop }, []);
    expectNoSandboxMode(gw);
    const [admin] = tokensOf(env);

    // Not connected yet: said clearly, and nothing is sent anywhere (not even to a sandbox).
    const before = await post(gw.graphqlUrl, TRACKINGS, {}, bearer(admin.token));
    expect(before.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHENTICATED', connectUrl: `/oauth/aftership/start?account=${account.id}` });
    expect(gw.sent).toEqual([]);

    // The README's curl call, sent to this gateway.
    const curlLine = readmeShellBlocks().map((b) => b.trim()).find((b) => b.startsWith('curl ') && b.includes('/oauth/aftership/start'));
    const curl = curlCall(curlLine!);
    expect(curl.headers.authorization).toBe(`Bearer ${admin.token}`);
    const asked = new URL(curl.url);
    expect(asked.origin).toBe(redirect.origin);
    const linkRes = await fetch(`${gw.app.url}${asked.pathname}${asked.search}`, { method: curl.method, headers: curl.headers });
    expect(linkRes.status).toBe(201);
    const { url: link } = (await linkRes.json()) as { url: string };

    // A browser opens the link, approves at AfterShip, and comes back to the redirect URI.
    const browser = new Browser({ [redirect.origin]: gw.app.url, [new URL(gw.app.url).origin]: gw.app.url, [AFTERSHIP_APPS]: shop.url });
    const toAfterShip = await browser.get(link);
    expect(toAfterShip.status).toBe(302);
    const authorize = new URL(toAfterShip.headers.get('location')!);
    expect(authorize.origin + authorize.pathname).toBe(DEFAULT_OAUTH_AUTHORIZE_URL);
    authorize.searchParams.set('auto_approve', '1');
    const back = await browser.get(authorize.href);
    expect(back.headers.get('location')!.startsWith(`${redirect.href}?`)).toBe(true);
    const done = await browser.get(back.headers.get('location')!, { accept: 'application/json' });
    expect(await done.json()).toMatchObject({ connected: true, account: account.id });

    const res = await post<{ trackings: { totalCount: number } }>(gw.graphqlUrl, TRACKINGS, {}, bearer(admin.token));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.trackings.totalCount).toBe(shop.sandbox.store.count());
    // The query's call, and the account's warm replica listing it since the connection (updated_at_min).
    const query = gw.sent.filter((sent) => !new URL(sent.url).searchParams.has('updated_at_min'));
    expect(query).toHaveLength(1);
    for (const sent of gw.sent) {
      expect(sent).toMatchObject({ org: account.id, apiKey: null, authorization: expect.stringMatching(/^Bearer sbx_at_/) });
      expect(new URL(sent.url).origin).toBe(AFTERSHIP);
    }
    expect(shop.sandbox.requests.count({ status: 401 })).toBe(0);
  });
});

/** A browser: keeps cookies, follows nothing by itself, and resolves the README's hosts to local servers. */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly hosts: Record<string, string>) {}
  async get(address: string, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(address);
    const host = this.hosts[url.origin];
    if (!host) throw new Error(`the browser cannot reach ${url.origin}`);
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(new URL(url.pathname + url.search, host), { redirect: 'manual', headers: { ...headers, ...(cookie && { cookie }) } });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0];
      const name = pair.slice(0, pair.indexOf('='));
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(pair.indexOf('=') + 1));
    }
    return res;
  }
}
