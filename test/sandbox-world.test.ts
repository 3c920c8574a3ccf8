/**
 * Large seeded accounts (issues 14 and 18): a realistic, deterministic mix; summaries that list
 * filters read agree with the full trackings rebuilt on demand; a rebuilt tracking equals the one
 * the simulation kept; GET /trackings pages through thousands exactly once, newest first, with
 * filters, as brute force over the same trackings says. Speed is measured in
 * bench/sandbox-world.ts, not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock.js';
import type { Tracking } from '../src/aftership/wire-types.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createStore } from '../src/sandbox/store.js';
import { createWorld, rebuild } from '../src/sandbox/world.js';
import { seedWorld } from '../src/sandbox/seed.js';
import { createSimulation } from '../src/sandbox/simulation.js';
import { summaryOf } from '../src/sandbox/tracking-model.js';
import type { WebhookDispatcher } from '../src/sandbox/webhooks.js';

const START = Date.UTC(2026, 5, 1, 9);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const N = 5000;

let sandbox: Sandbox;
let all: Tracking[];
beforeAll(() => {
  sandbox = createSandbox({ apiKey: 'k', clock: new ManualClock(START), seed: N, enforceRateLimits: false });
  all = sandbox.store.list();
});
afterAll(() => sandbox.close());

const share = (n: number): number => n / all.length;

describe(`a seeded account of ${N} trackings`, () => {
  it('holds the mix of a real account: mostly delivered, the rest on the way or in trouble, over six weeks', () => {
    expect(all).toHaveLength(N);
    const byTag = (tag: string) => all.filter((t) => t.tag === tag).length;
    expect(share(byTag('Delivered'))).toBeGreaterThan(0.45);
    expect(share(byTag('Delivered'))).toBeLessThan(0.8);
    for (const tag of ['Pending', 'InfoReceived', 'InTransit', 'OutForDelivery', 'AttemptFail', 'AvailableForPickup', 'Exception', 'Expired']) {
      expect(byTag(tag), tag).toBeGreaterThan(0);
    }
    expect(share(all.filter((t) => t.active).length)).toBeGreaterThan(0.1);
    expect(share(all.filter((t) => t.active).length)).toBeLessThan(0.5);
    const created = all.map((t) => Date.parse(t.created_at!));
    expect(START - Math.min(...created)).toBeGreaterThan(5 * 7 * DAY);
    expect(START - Math.max(...created)).toBeLessThan(DAY);
    expect(new Set(all.map((t) => t.slug)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(all.map((t) => t.destination_country_region)).size).toBeGreaterThanOrEqual(10);
    expect(share(all.filter((t) => t.origin_country_region !== t.destination_country_region).length)).toBeGreaterThan(0.1);
    expect(share(all.filter((t) => t.shipment_tags!.length).length)).toBeGreaterThan(0.2);
    expect(share(all.filter((t) => t.order_tags!.length).length)).toBeGreaterThan(0.1);
    // The big carriers carry the most.
    const count = (slug: string) => all.filter((t) => t.slug === slug).length;
    expect(count('ups')).toBeGreaterThan(count('singapore-post') * 4);
  });

  it('has the outcomes delivery analytics need: pickup and delivery times, EDDs, lateness, exceptions by subtag, failed attempts', () => {
    const delivered = all.filter((t) => t.tag === 'Delivered');
    for (const t of delivered) {
      expect(t.shipment_pickup_date, t.id).toBeTruthy();
      expect(t.shipment_delivery_date, t.id).toBeTruthy();
      expect(Date.parse(t.shipment_delivery_date!)).toBeGreaterThan(Date.parse(t.shipment_pickup_date!));
      expect(t.first_estimated_delivery?.datetime, t.id).toBeTruthy();
      expect(t.transit_time).toBeGreaterThanOrEqual(1);
    }
    const lateVsFirst = delivered.filter((t) => t.shipment_delivery_date!.slice(0, 10) > t.first_estimated_delivery!.datetime!).length / delivered.length;
    expect(lateVsFirst).toBeGreaterThan(0.05);
    expect(lateVsFirst).toBeLessThan(0.35);
    expect(new Set(delivered.map((t) => t.on_time_status))).toEqual(new Set(['on-time', 'late']));
    const exceptionSubtags = new Set(all.flatMap((t) => t.checkpoints!.filter((c) => c.tag === 'Exception').map((c) => c.subtag)));
    for (const s of ['Exception_004', 'Exception_010', 'Exception_011', 'Exception_012', 'Exception_013', 'Exception_016', 'Exception_017', 'Exception_020']) {
      expect(exceptionSubtags, s).toContain(s);
    }
    expect(delivered.some((t) => t.failed_delivery_attempts === 2)).toBe(true);
    expect(share(all.filter((t) => (t.failed_delivery_attempts ?? 0) > 0).length)).toBeGreaterThan(0.03);
    expect(all.some((t) => t.latest_estimated_delivery?.revise_reason)).toBe(true);
    expect(all.some((t) => t.return_to_sender)).toBe(true);
  });

  it('is the same for the same seed number', () => {
    const again = createSandbox({ apiKey: 'k', clock: new ManualClock(START), seed: N });
    const other = createSandbox({ apiKey: 'k', clock: new ManualClock(START), seed: N, randomSeed: 43 });
    const some = [0, 1, 777, 2500, N - 1].map((i) => all[i].id!);
    expect(some.map((id) => again.store.get(id))).toEqual(some.map((id) => all.find((t) => t.id === id)));
    expect(other.store.get(some[2])).toBeUndefined();
    void again.close();
    void other.close();
  });
});

describe('summaries and rebuilt trackings', () => {
  it('every summary agrees with its tracking rebuilt from the recipe', () => {
    const store = createStore();
    const world = createWorld(store, 10);
    seedWorld(store, world, { count: 3000, randomSeed: 9, now: START, pendingAlertMs: 48 * HOUR });
    for (const rec of store.ordered()) {
      const t = rec.recipe ? rebuild(rec).data : world.state(rec).data;
      expect(rec.summary, rec.id).toEqual(summaryOf(t));
      expect([rec.id, rec.legacyId, rec.slug, rec.trackingNumber, rec.createdMs]).toEqual([t.id, t.legacy_id, t.slug, t.tracking_number, Date.parse(t.created_at!)]);
    }
  });

  it('a tracking rebuilt from its recipe equals the one the simulation kept in memory', async () => {
    const webhooks: WebhookDispatcher = {
      log: { all: () => [], reset: () => undefined, flush: async () => undefined, pending: () => 0 },
      enqueue: () => undefined, idle: async () => undefined, setTarget: () => undefined, target: () => ({}), close: () => undefined,
    };
    const run = async (cacheSize: number) => {
      const clock = new ManualClock(START);
      const store = createStore();
      const world = createWorld(store, cacheSize);
      const rng = seedWorld(store, world, { count: 300, randomSeed: 5, now: START, pendingAlertMs: 48 * HOUR });
      const sim = createSimulation({ clock, store, world, webhooks, rng, speed: 1, newShipmentsPerHour: 0.5, pendingAlertMs: 48 * HOUR });
      for (let h = 0; h < 10 * 24; h++) await sim.advance(HOUR);
      return store.ordered().map((r) => JSON.stringify(world.state(r).data));
    };
    const kept = await run(1_000_000); // never evicted: the simulation changed these objects in place
    const rebuilt = await run(1); // evicted at once: rebuilt from recipe and history on every use
    expect(rebuilt).toEqual(kept);
  });
});

describe('GET /trackings over a large account', () => {
  async function pages(query: string): Promise<{ ids: string[]; totals: Set<number>; count: number }> {
    const ids: string[] = [];
    const totals = new Set<number>();
    let cursor = '';
    let count = 0;
    for (;;) {
      const res = await sandbox.handle(new Request(`http://x/tracking/2026-07/trackings?limit=200${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { 'as-api-key': 'k' } }));
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { pagination: { total: number; next_cursor: string; has_next_page: boolean }; trackings: Tracking[] } };
      count++;
      ids.push(...body.data.trackings.map((t) => t.id!));
      totals.add(body.data.pagination.total);
      if (!body.data.pagination.has_next_page) {
        expect(body.data.pagination.next_cursor).toBe('');
        return { ids, totals, count };
      }
      expect(body.data.trackings).toHaveLength(200);
      cursor = body.data.pagination.next_cursor;
    }
  }
  const newestFirst = (ts: Tracking[]) =>
    [...ts].sort((a, b) => Date.parse(b.created_at!) - Date.parse(a.created_at!) || (b.id! < a.id! ? -1 : 1)).map((t) => t.id!);

  it('pages through every tracking exactly once, newest first, at 200 a page', async () => {
    const pass = await pages('');
    expect(pass.count).toBe(N / 200);
    expect(pass.ids).toEqual(newestFirst(all));
    expect([...pass.totals]).toEqual([N]);
  });

  it('filters pages exactly as brute force does', async () => {
    const pivot = newestFirst(all)[1234];
    const pivotAt = all.find((t) => t.id === pivot)!.created_at!;
    const updatedMin = new Date(START - 3 * DAY).toISOString().replace('.000Z', '+00:00');
    const cases: [string, (t: Tracking) => boolean][] = [
      ['&tag=Delivered', (t) => t.tag === 'Delivered'],
      [`&updated_at_min=${encodeURIComponent(updatedMin)}`, (t) => Date.parse(t.updated_at!) >= START - 3 * DAY],
      [`&created_at_max=${encodeURIComponent(pivotAt)}&slug=ups,usps`, (t) => t.created_at! <= pivotAt && ['ups', 'usps'].includes(t.slug!)],
      ['&tag=Exception&return_to_sender=true', (t) => t.tag === 'Exception' && t.return_to_sender === true],
      ['&destination=DEU&shipment_tags=gift', (t) => t.destination_country_region === 'DEU' && t.shipment_tags!.includes('gift')],
    ];
    for (const [query, match] of cases) {
      const expected = newestFirst(all.filter(match));
      const pass = await pages(query);
      expect(pass.ids, query).toEqual(expected);
      expect([...pass.totals], query).toEqual([expected.length]);
    }
  });
});
