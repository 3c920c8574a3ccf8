/**
 * The analytics module alone: every figure of every group equals a brute-force computation written
 * here from the definitions, over a seeded sandbox world (hundreds of trackings, every tag and
 * outcome) plus hand-made edge cases; filters and groupings against naive loops.
 */
import { describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import { deliveryStats, type AnalyticsSource, type Coverage, type DeliveryStatsFilter, type Dimension } from '../src/analytics/index.js';
import { InvalidAnalyticsInputError } from '../src/analytics/errors.js';
import { createSandbox } from '../src/sandbox/index.js';
import { bruteFigures, bruteFilter, bruteGroups, ms } from './helpers/analytics-brute.js';

const DAY = 86_400_000;

function world(seed: number, randomSeed = 7): Tracking[] {
  const sandbox = createSandbox({ apiKey: 'k', seed, randomSeed, newShipmentsPerHour: 0 });
  return sandbox.store.list();
}

/** Edge cases the sandbox never makes: no offsets, promised dates and ranges, several shipment tags, no destination. */
function edgeCases(): Tracking[] {
  const base = (over: Partial<Tracking>): Tracking => ({ id: over.id, tag: 'Delivered', slug: 'dhl', created_at: '2026-05-04T10:00:00+00:00', checkpoints: [], ...over }) as Tracking;
  return [
    base({ id: 'e1', shipment_pickup_date: '2026-05-04T12:00:00', shipment_delivery_date: '2026-05-06T06:00:00', order_promised_delivery_date: { promised_delivery_date: '2026-05-06', promised_delivery_date_min: null, promised_delivery_date_max: null }, shipment_tags: ['vip', 'fragile', 'vip'] }),
    base({ id: 'e2', shipment_pickup_date: '2026-05-04T12:00:00+02:00', shipment_delivery_date: '2026-05-09T23:30:00-05:00', order_promised_delivery_date: { promised_delivery_date: null, promised_delivery_date_min: '2026-05-07', promised_delivery_date_max: '2026-05-08' }, first_estimated_delivery: { type: 'specific', source: 'Carrier EDD', datetime: '2026-05-12', datetime_min: null, datetime_max: null }, aftership_estimated_delivery_date: { estimated_delivery_date: '2026-05-08', confidence_code: 1 } }),
    base({ id: 'e3', shipment_pickup_date: null, shipment_delivery_date: '2026-05-09', first_estimated_delivery: { type: 'range', source: 'AfterShip EDD', datetime: null, datetime_min: '2026-05-07', datetime_max: '2026-05-10' }, destination_country_region: null, courier_destination_country_region: 'FRA', shipment_direction: 'return' }),
    base({ id: 'e4', tag: 'Exception', subtag: 'Exception_013', failed_delivery_attempts: 2, shipment_tags: ['fragile'], destination_country_region: null, created_at: '2026-05-11T00:00:00Z' }),
    base({ id: 'e5', tag: 'InTransit', slug: '', created_at: 'garbage' }),
  ];
}

const all = [...world(400), ...edgeCases()];

const source = (trackings: Tracking[], coverage?: Partial<Coverage>): AnalyticsSource => ({
  async *scan() {
    yield* trackings;
  },
  coverage: () => ({ complete: true, trackings: trackings.length, from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z', asOf: '2026-12-01T00:00:00Z', ...coverage }),
});

async function expectSameFigures(dims: Dimension[], filter?: DeliveryStatsFilter, trackings = all) {
  const stats = await deliveryStats(source(trackings), filter, dims);
  const expectedGroups = bruteGroups(trackings.filter(bruteFilter(filter)), dims);
  expect(stats.groups.map((g) => JSON.stringify(dims.map((d) => g.key[d] ?? null))).sort()).toEqual([...expectedGroups.keys()].sort());
  for (const g of stats.groups) {
    const members = expectedGroups.get(JSON.stringify(dims.map((d) => g.key[d] ?? null)))!;
    const b = bruteFigures(members);
    const f = g.figures;
    expect(f.count).toBe(b.count);
    expect(f.delivered).toBe(b.delivered);
    expect(Object.fromEntries(f.countByTag.map((c) => [c.key, c.count]))).toEqual(b.byTag);
    expect(f.transitDays).toEqual(b.transit);
    expect(f.onTime).toEqual(b.onTime);
    expect(f.eddAccuracy).toEqual(b.edd);
    expect(Object.fromEntries(f.exceptions.map((c) => [c.key, c.count]))).toEqual(b.exceptions);
    expect(f.failedAttempts).toEqual({ attempts: b.failedAttempts, trackings: b.withFailedAttempts });
  }
  // Largest first.
  const counts = stats.groups.map((g) => g.figures.count);
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
  return stats;
}

describe('deliveryStats figures', () => {
  it('the world used has every outcome the figures measure', () => {
    const b = bruteFigures(all);
    expect(b.delivered).toBeGreaterThan(100);
    expect(b.transit.measured).toBeGreaterThan(100);
    expect(b.onTime.rate).toBeGreaterThan(0);
    expect(b.onTime.rate).toBeLessThan(1);
    expect(b.edd.rate).toBeLessThan(1);
    expect(Object.keys(b.exceptions).length).toBeGreaterThan(3);
    expect(b.failedAttempts).toBeGreaterThan(0);
  });

  it('one group of everything', async () => {
    const stats = await expectSameFigures([]);
    expect(stats.groups).toHaveLength(1);
    expect(stats.matched).toBe(all.length);
  });

  const groupings: Dimension[][] = [['COURIER'], ['DESTINATION_COUNTRY'], ['ORIGIN_COUNTRY'], ['TAG'], ['SHIPMENT_TAG'], ['DAY'], ['WEEK'], ['COURIER', 'DESTINATION_COUNTRY'], ['WEEK', 'SHIPMENT_TAG', 'TAG']];
  it.each(groupings.map((dims) => ({ dims, name: dims.join(', ') })))('grouped by $name', async ({ dims }) => {
    await expectSameFigures(dims);
  });

  it('filters like a naive loop', async () => {
    const created = all.map((t) => ms(t.created_at)).filter((v): v is number => v !== null).sort((a, b) => a - b);
    const mid = created[Math.floor(created.length / 2)];
    const filters: DeliveryStatsFilter[] = [
      { slugs: ['ups', 'fedex'] },
      { destinationCountryRegions: ['FRA', 'USA'], tags: ['Delivered', 'Exception'] },
      { originCountryRegions: ['CHN'] },
      { createdAt: { from: mid } },
      { createdAt: { from: created[0], to: mid }, deliveredAt: { from: mid - 10 * DAY } },
      { shippedAt: { to: mid } },
      { shipmentTags: ['fragile'] },
      { shipmentDirection: 'return' },
      { shipmentDirection: 'forward', slugs: ['dhl'] },
    ];
    for (const filter of filters) {
      const stats = await expectSameFigures(['COURIER'], filter);
      expect(stats.matched).toBe(all.filter(bruteFilter(filter)).length);
    }
    // A filter that matches nothing has no groups.
    expect((await deliveryStats(source(all), { slugs: ['no-such-courier'] }, ['COURIER'])).groups).toEqual([]);
  });

  it('edge cases by hand', async () => {
    const stats = await deliveryStats(source(edgeCases()), null, []);
    const f = stats.groups[0].figures;
    // e1: 1.75 days (no offsets: read as UTC); e2: 10:00Z → 04:30Z+5d = 5.770833 days.
    expect(f.transitDays.measured).toBe(2);
    expect(f.transitDays.max).toBeCloseTo(5 + 18.5 / 24, 10);
    expect(f.transitDays.p50).toBe(1.75);
    // e1 on time (promise 05-06); e2 late (promise = end of range 05-08, delivered 05-09); e3 on time (first estimate's range ends 05-10).
    expect(f.onTime).toEqual({ rate: 2 / 3, measured: 3 });
    // e2: AfterShip said 05-08, delivered 05-09 (local day): within a day.
    expect(f.eddAccuracy).toEqual({ rate: 1, measured: 1 });
    expect(f.exceptions).toEqual([{ key: 'Exception_013', count: 1 }]);
    expect(f.failedAttempts).toEqual({ attempts: 2, trackings: 1 });
    const byTag = await deliveryStats(source(edgeCases()), null, ['SHIPMENT_TAG']);
    expect(byTag.groups.map((g) => [g.key.SHIPMENT_TAG, g.figures.count])).toEqual([[null, 3], ['fragile', 2], ['vip', 1]]);
    const byCountry = await deliveryStats(source(edgeCases()), null, ['DESTINATION_COUNTRY', 'COURIER']);
    expect(byCountry.groups.map((g) => g.key)).toEqual([{ DESTINATION_COUNTRY: null, COURIER: 'dhl' }, { DESTINATION_COUNTRY: 'FRA', COURIER: 'dhl' }, { DESTINATION_COUNTRY: null, COURIER: null }]);
  });

  it('slowest stretches: consecutive checkpoints of delivered trackings, slowest mean first', async () => {
    const f = (await deliveryStats(source(all), null, [])).groups[0].figures;
    const acc = new Map<string, number[]>();
    for (const t of all) {
      if (t.tag !== 'Delivered') continue;
      const pickup = ms(t.shipment_pickup_date);
      const cps = (t.checkpoints ?? []).filter((c) => c.subtag && ms(c.checkpoint_time) !== null && (pickup === null || ms(c.checkpoint_time)! >= pickup));
      const end = cps.findIndex((c) => c.tag === 'Delivered');
      const upTo = end === -1 ? cps : cps.slice(0, end + 1);
      for (let i = 1; i < upTo.length; i++) {
        const k = `${upTo[i - 1].subtag}>${upTo[i].subtag}`;
        acc.set(k, [...(acc.get(k) ?? []), (ms(upTo[i].checkpoint_time)! - ms(upTo[i - 1].checkpoint_time)!) / 3_600_000]);
      }
    }
    expect(f.stretches.length).toBe(acc.size);
    for (const s of f.stretches) {
      const hours = acc.get(`${s.fromSubtag}>${s.toSubtag}`)!;
      expect(s.count).toBe(hours.length);
      expect(s.maxHours).toBe(Math.max(...hours));
      expect(s.meanHours).toBeCloseTo(hours.reduce((a, b) => a + b, 0) / hours.length, 9);
    }
    const means = f.stretches.map((s) => s.meanHours);
    expect(means).toEqual([...means].sort((a, b) => b - a));
  });

  it('refuses bad input before looking at a tracking', async () => {
    let looked = 0;
    const counting: AnalyticsSource = {
      ...source(all),
      async *scan() {
        looked++;
        yield* all;
      },
    };
    const bad: [DeliveryStatsFilter | null, Dimension[], string][] = [
      [{ slugs: Array.from({ length: 101 }, (_, i) => `c${i}`) }, [], 'slugs'],
      [{ destinationCountryRegions: ['us'] }, [], 'destinationCountryRegions'],
      [{ createdAt: { from: 2, to: 1 } }, [], 'createdAt.from'],
      [{ shipmentTags: [''] }, [], 'shipmentTags'],
      [null, ['COURIER', 'COURIER'], 'groupBy'],
    ];
    for (const [filter, dims, field] of bad) {
      let error: unknown;
      try {
        await deliveryStats(counting, filter, dims);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidAnalyticsInputError);
      expect((error as InvalidAnalyticsInputError).field).toBe(field);
    }
    expect(looked).toBe(0);
  });
});
