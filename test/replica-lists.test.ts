/**
 * `trackings(filter)` pages from the warm replica (issue 14): when the replica can answer exactly
 * (complete, current, every filter field replicated, the window inside the replica's) a page costs no
 * AfterShip call, and every page equals what AfterShip (the sandbox, asked directly) answers for the
 * same filter, order and totals included; while warming, or for a `keyword`, the gateway asks
 * AfterShip. Cursors continue each other whichever source served the page before: AfterShip's page
 * then the replica's, and the replica's then AfterShip's (another instance, its replica off).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { silentLogger } from '../src/lib/logger.js';
import { loadConfig } from '../src/config.js';
import { startApp, type App } from '../src/app.js';
import { TEST_API_KEY, TEST_WEBHOOK_SECRET } from './helpers/gateway.js';

const N = 1000;
const apps: App[] = [];
let sandbox: Sandbox;
let sandboxUrl: string;
let warm: App;

async function start(env: Record<string, string> = {}): Promise<App> {
  const app = await startApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      AFTERSHIP_API_KEY: TEST_API_KEY,
      AFTERSHIP_BASE_URL: sandboxUrl,
      AFTERSHIP_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      GATEWAY_AUTH: 'none',
      LOAD_SHED_EVENT_LOOP_LAG_MS: '0',
      REPLICA_ENABLED: 'true',
      REPLICA_WINDOW_DAYS: '120',
      RESPONSE_CACHE_MAX_BYTES: '0',
      // No incremental pass during the test: every list call counted is a page's.
      REPLICA_SYNC_INTERVAL_MS: '86400000',
      ...env,
    }),
    { logger: silentLogger },
  );
  apps.push(app);
  return app;
}

beforeAll(async () => {
  sandbox = createSandbox({ apiKey: TEST_API_KEY, webhookSecret: TEST_WEBHOOK_SECRET, seed: N, autoAdvance: false, logger: silentLogger });
  sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  warm = await start();
  await warm.ops.account().replicaSync!.warmup();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  await sandbox?.close();
});

interface Page {
  totalCount: number;
  ids: string[];
  hasNextPage: boolean;
  endCursor: string | null;
}

const PAGE = `query($first: Int, $after: String, $filter: TrackingFilter) {
  trackings(first: $first, after: $after, filter: $filter) { totalCount edges { cursor node { aftershipId } } pageInfo { hasNextPage endCursor } }
}`;

async function page(app: App, filter: Record<string, unknown> | undefined, first: number, after?: string | null): Promise<Page> {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: PAGE, variables: { first, after, filter } }),
  });
  const body = (await res.json()) as { errors?: unknown[]; data?: { trackings: { totalCount: number; edges: { node: { aftershipId: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
  expect(body.errors).toBeUndefined();
  const t = body.data!.trackings;
  return { totalCount: t.totalCount, ids: t.edges.map((e) => e.node.aftershipId), hasNextPage: t.pageInfo.hasNextPage, endCursor: t.pageInfo.endCursor };
}

/** Every page of a filter through the gateway. */
async function allPages(app: App, filter: Record<string, unknown> | undefined, first: number): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const p = await page(app, filter, first, after);
    ids.push(...p.ids);
    totals.push(p.totalCount);
    if (!p.hasNextPage) break;
    after = p.endCursor;
  }
  return { ids, totals };
}

/** What AfterShip (the sandbox) answers for the same query, every page, asked directly. */
async function fromSandbox(query: Record<string, string>): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let total = -1;
  let cursor = '';
  for (;;) {
    const qs = new URLSearchParams({ ...query, limit: '200', ...(cursor ? { cursor } : {}) });
    const res = await fetch(`${sandboxUrl}/tracking/2026-07/trackings?${qs}`, { headers: { 'as-api-key': TEST_API_KEY } });
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, 1100));
      continue;
    }
    const body = (await res.json()) as { data: { trackings: { id: string }[]; pagination: { total: number; next_cursor: string; has_next_page: boolean } } };
    if (total < 0) total = body.data.pagination.total;
    ids.push(...body.data.trackings.map((t) => t.id));
    if (!body.data.pagination.has_next_page) return { ids, total };
    cursor = body.data.pagination.next_cursor;
  }
}

/** List calls answered (a 429 re-sent counts once: the test's own direct calls share the account's limits). */
const gatewayListCalls = (): number => sandbox.requests.count({ endpoint: 'GET /trackings', status: 200 });

const all = () => sandbox.store.list();
const someSlugs = () => [...new Set(all().map((t) => t.slug!))].slice(0, 3);
const someDestinations = () => [...new Set(all().map((t) => t.destination_country_region).filter((d): d is string => !!d))].slice(0, 2);
/** The middle of the seeded span, as an AfterShip date. */
const midCreated = () => {
  const times = all().map((t) => Date.parse(t.created_at!)).sort((a, b) => a - b);
  return new Date(times[Math.floor(times.length / 2)]).toISOString().replace(/\.\d{3}Z$/, '+00:00');
};

describe('trackings(filter) from the warm replica', () => {
  it('serves exact filters with 0 AfterShip calls, equal to what AfterShip answers, every page, totals included', async () => {
    expect(warm.ops.account().replica.coverage()).toMatchObject({ complete: true, trackings: N });
    const cases: [Record<string, unknown> | undefined, Record<string, string>][] = [
      [undefined, {}],
      [{ tags: ['IN_TRANSIT', 'DELIVERED'] }, { tag: 'InTransit,Delivered' }],
      [{ slugs: someSlugs() }, { slug: someSlugs().join(',') }],
      [{ destinationCountryRegions: someDestinations(), returnToSender: false }, { destination: someDestinations().join(','), return_to_sender: 'false' }],
      [{ createdAtMin: midCreated(), tags: ['DELIVERED'] }, { created_at_min: midCreated(), tag: 'Delivered' }],
      [{ updatedAtMax: midCreated() }, { updated_at_max: midCreated() }],
    ];
    for (const [filter, query] of cases) {
      const before = gatewayListCalls();
      const got = await allPages(warm, filter, 37);
      expect(gatewayListCalls() - before).toBe(0);
      const want = await fromSandbox(query);
      expect(want.ids.length).toBeGreaterThan(0);
      expect(got.ids).toEqual(want.ids);
      expect(new Set(got.totals)).toEqual(new Set([want.total]));
    }
  });

  it('asks AfterShip for a keyword filter (its matching is AfterShip\'s own)', async () => {
    const t = all()[3];
    const before = gatewayListCalls();
    const got = await page(warm, { keyword: t.tracking_number }, 10);
    expect(gatewayListCalls() - before).toBe(1);
    expect(got.ids).toContain(t.id);
  });

  it('asks AfterShip while warming; a cursor from that page continues from the replica once warm, and the pages join up', async () => {
    const cold = await start({ REPLICA_WARMUP_CALLS_PER_SECOND: '0.5' });
    const filter = { tags: ['IN_TRANSIT', 'DELIVERED', 'EXCEPTION'] };
    expect(cold.ops.account().replicaSync!.progress().state).toBe('warming');
    const before = gatewayListCalls();
    const first = await page(cold, filter, 25);
    // The page's own call: the warm-up's carry no tag and list 200 at a time.
    const pageCalls = (): number => sandbox.requests.all().filter((e) => e.endpoint === 'GET /trackings' && e.status === 200 && e.query.tag && e.query.limit === '25').length;
    expect(pageCalls()).toBe(1);
    expect(gatewayListCalls() - before).toBeGreaterThanOrEqual(1);
    await cold.ops.account().replicaSync!.warmup();
    const second = await page(cold, filter, 25, first.endCursor);
    expect(pageCalls()).toBe(1);
    const want = await fromSandbox({ tag: 'InTransit,Delivered,Exception' });
    expect([...first.ids, ...second.ids]).toEqual(want.ids.slice(0, 50));
    expect(second.totalCount).toBe(want.total);
  });

  it('a cursor from a replica page continues on an instance whose replica is off (AfterShip after the key), same pages and total', async () => {
    const off = await start({ REPLICA_ENABLED: 'false' });
    const filter = { tags: ['IN_TRANSIT', 'DELIVERED'] };
    const want = await fromSandbox({ tag: 'InTransit,Delivered' });
    let after: string | null = null;
    const ids: string[] = [];
    // Alternate: replica, AfterShip after its key, replica after AfterShip's cursor, ...
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? warm : off;
      const before = gatewayListCalls();
      const p = await page(app, filter, 30, after);
      expect(gatewayListCalls() - before).toBe(app === warm ? 0 : 1);
      expect(p.totalCount).toBe(want.total);
      ids.push(...p.ids);
      after = p.endCursor;
    }
    expect(ids).toEqual(want.ids.slice(0, 180));
  });
});
