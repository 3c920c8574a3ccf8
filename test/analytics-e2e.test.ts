/**
 * Delivery analytics end to end: a gateway replicating a seeded sandbox account (a known mix of
 * couriers, destinations and outcomes). Every figure of `deliveryStats`, grouped by courier and by
 * destination country, equals a brute force over the trackings listed straight from the sandbox's
 * API; `coverage` says incomplete while the warm-up runs; the answers cost no AfterShip call; the
 * exports stream every tracking once, as NDJSON and CSV; scopes apply to both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, validate } from 'graphql';
import type { Tracking, TrackingList } from '../src/aftership/wire-types.js';
import { CSV_COLUMNS } from '../src/analytics/export-rows.js';
import { CARRIER_COMPARISON_QUERY } from '../src/http/example-query.js';
import { schema } from '../src/schema/index.js';
import { DeliveryStatsDocument, type DeliveryStatsQuery, type DeliveryStatsDimension } from './generated/graphql.js';
import { startGateway, TEST_API_KEY, type TestGateway } from './helpers/gateway.js';
import { bruteFigures, bruteGroups } from './helpers/analytics-brute.js';

const READER = 'analytics-reader-token-01';
const COURIERS_ONLY = 'couriers-only-token-0001';
const SEED = 400;

let gw: TestGateway;
let listed: Tracking[];

/** Every tracking, paged straight from the sandbox's own API (what a reporting user would do by hand). */
async function listFromSandbox(): Promise<Tracking[]> {
  const out: Tracking[] = [];
  let cursor = '';
  do {
    const url = `${gw.sandbox.url}/tracking/2026-07/trackings?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = (await (await fetch(url, { headers: { 'as-api-key': TEST_API_KEY } })).json()) as { data: TrackingList };
    out.push(...body.data.trackings);
    cursor = body.data.pagination.has_next_page ? body.data.pagination.next_cursor : '';
  } while (cursor);
  return out;
}

const auth = (token = READER) => ({ authorization: `Bearer ${token}` });
type Group = DeliveryStatsQuery['deliveryStats']['groups'][number];

async function stats(groupBy: DeliveryStatsDimension[], headers: Record<string, string> = {}) {
  const res = await gw.graphql(DeliveryStatsDocument, { groupBy, first: 1000 }, { ...auth(), ...headers });
  expect(res.errors).toBeUndefined();
  return res as { data: DeliveryStatsQuery; extensions?: { cost?: { aftershipCalls: Record<string, number> } } };
}

beforeAll(async () => {
  gw = await startGateway({
    sandbox: { seed: SEED, randomSeed: 11, newShipmentsPerHour: 0 },
    env: {
      // The seeded world goes back six weeks: a window of 120 days (AfterShip's own) holds all of it.
      REPLICA_ENABLED: 'true',
      REPLICA_WINDOW_DAYS: '120',
      GATEWAY_AUTH: 'tokens',
      GATEWAY_TOKENS: JSON.stringify([
        { name: 'analytics', token: READER, scopes: ['aftership:tracking:read'] },
        { name: 'couriers', token: COURIERS_ONLY, scopes: ['aftership:courier:read'] },
      ]),
    },
    // The warm-up's list calls answer slowly until the test has seen it incomplete.
    beforeStart: (sandbox) => void sandbox.faults.set({ latencyMs: 4000, endpoints: ['GET /trackings'] }),
  });
}, 60_000);
afterAll(() => gw?.close());

describe('deliveryStats over the replica', () => {
  it('says incomplete while the warm-up runs, then complete with every tracking', async () => {
    const before = await stats([]);
    expect(before.data.deliveryStats.coverage.complete).toBe(false);
    expect(before.data.deliveryStats.coverage.trackings).toBeLessThan(SEED);

    gw.sandbox.faults.reset();
    await gw.app.ops.account().replicaSync!.warmup();
    const after = await stats([]);
    expect(after.data.deliveryStats.coverage).toMatchObject({ complete: true, trackings: SEED });
    expect(after.data.deliveryStats.matched).toBe(SEED);
  }, 60_000);

  it.each<[DeliveryStatsDimension, (g: Group) => string | null | undefined]>([
    ['COURIER', (g) => g.key.courierSlug],
    ['DESTINATION_COUNTRY', (g) => g.key.destinationCountryRegion],
  ])('grouped by %s: every figure equals a brute force over the trackings listed from the sandbox, at 0 AfterShip calls', async (dimension, keyOf) => {
    gw.sandbox.requests.reset();
    const res = await stats([dimension], { 'x-cost-report': '1' });
    expect(gw.sandbox.requests.all()).toEqual([]);
    expect(res.extensions?.cost?.aftershipCalls).toEqual({});

    listed ??= await listFromSandbox();
    expect(listed).toHaveLength(SEED);
    const expected = bruteGroups(listed, [dimension]);
    const groups = res.data.deliveryStats.groups;
    expect(groups.map((g) => JSON.stringify([keyOf(g) ?? null])).sort()).toEqual([...expected.keys()].sort());
    expect(groups.length).toBeGreaterThan(3);
    for (const g of groups) {
      const b = bruteFigures(expected.get(JSON.stringify([keyOf(g) ?? null]))!);
      expect(g.count).toBe(b.count);
      expect(g.delivered).toBe(b.delivered);
      expect(Object.fromEntries(g.countByTag.map((c) => [c.tag, c.count]))).toEqual(
        Object.fromEntries(Object.entries(b.byTag).map(([tag, n]) => [tag.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(), n])),
      );
      expect(g.transitDays).toEqual(b.transit);
      expect({ rate: g.onTimeRate, measured: g.onTimeMeasured }).toEqual(b.onTime);
      expect({ rate: g.eddAccuracy, measured: g.eddMeasured }).toEqual(b.edd);
      expect(Object.fromEntries(g.exceptions.map((e) => [e.subtag, e.count]))).toEqual(b.exceptions);
      expect(g.failedAttempts).toBe(b.failedAttempts);
      expect(g.trackingsWithFailedAttempts).toBe(b.withFailedAttempts);
    }
    // The mix is known to hold every outcome the figures measure.
    const all = bruteFigures(listed);
    expect(all.onTime.rate).toBeGreaterThan(0);
    expect(all.onTime.rate).toBeLessThan(1);
    expect(Object.keys(all.exceptions).length).toBeGreaterThan(2);
    expect(all.failedAttempts).toBeGreaterThan(0);
  });

  it('GraphiQL\'s carrier comparison runs as shipped', async () => {
    expect(validate(schema, parse(CARRIER_COMPARISON_QUERY))).toEqual([]);
    const res = await gw.graphql(CARRIER_COMPARISON_QUERY, undefined, auth());
    expect(res.errors).toBeUndefined();
    expect((res.data as { deliveryStats: { groups: unknown[] } }).deliveryStats.groups.length).toBeGreaterThan(3);
  });

  it('GraphiQL opens with the example query, the carrier comparison in its second tab', async () => {
    const page = await (await fetch(gw.graphqlUrl, { headers: { accept: 'text/html' } })).text();
    const script = [...page.matchAll(/src="([^"]+)"/g)].map((m) => m[1]).find((src) => src.includes('.js'))!;
    const js = await (await fetch(new URL(script, gw.url))).text();
    // GraphiQL's options close the script: the example's tab, then the carrier comparison's.
    const options = js.slice(js.lastIndexOf('query ListPage') - 2000);
    expect(options.indexOf('query ListPage')).toBeGreaterThan(-1);
    expect(options.indexOf('query CarrierComparison')).toBeGreaterThan(options.indexOf('query ListPage'));
  });

  it('needs aftership:tracking:read', async () => {
    const res = await gw.graphql(DeliveryStatsDocument, { groupBy: ['COURIER'] }, auth(COURIERS_ONLY));
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: ['aftership:tracking:read'] });
  });
});

describe('exports of the replica', () => {
  it('NDJSON and CSV: one row per tracking, every tracking once, the coverage in a header, 0 AfterShip calls', async () => {
    listed ??= await listFromSandbox();
    gw.sandbox.requests.reset();
    const ndjson = await fetch(`${gw.url}/exports/trackings.ndjson`, { headers: auth() });
    expect(ndjson.status).toBe(200);
    expect(ndjson.headers.get('x-coverage')).toMatch(new RegExp(`^complete=\\?1, trackings=${SEED}, from="[^"]+", to="[^"]+", as-of="[^"]+"$`));
    const rows = (await ndjson.text()).trim().split('\n').map((l) => JSON.parse(l) as Tracking);
    expect(rows.map((r) => r.id).sort()).toEqual(listed.map((t) => t.id).sort());
    const byId = new Map(listed.map((t) => [t.id, t]));
    for (const r of rows) expect(r).toEqual({ ...byId.get(r.id)!, checkpoints: undefined });

    const csv = await fetch(`${gw.url}/exports/trackings.csv?destinationCountryRegions=USA`, { headers: auth() });
    const lines = (await csv.text()).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    const usa = listed.filter((t) => (t.destination_country_region || t.courier_destination_country_region) === 'USA');
    expect(usa.length).toBeGreaterThan(10);
    expect(lines.length - 1).toBe(usa.length);
    expect(gw.sandbox.requests.all()).toEqual([]);
  });

  it('access as for /graphql: no token 401, a token without the scope 403', async () => {
    const anonymous = await fetch(`${gw.url}/exports/trackings.csv`);
    expect(anonymous.status).toBe(401);
    const forbidden = await fetch(`${gw.url}/exports/trackings.ndjson`, { headers: auth(COURIERS_ONLY) });
    expect(forbidden.status).toBe(403);
  });
});
