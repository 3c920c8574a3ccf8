import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock.js';
import { createAfterShipClient, type AfterShipClientOptions } from '../src/aftership/client.js';
import { createRateBudget, type RateBudgetOptions } from '../src/aftership/rate-budget.js';
import type { Tracking } from '../src/aftership/wire-types.js';
import { createFakeAfterShip, seededRandom } from './helpers/fake-aftership.js';
import { advance, flush, settle } from './helpers/fake-time.js';

function setup(budget: Partial<RateBudgetOptions> = {}, extra: Partial<AfterShipClientOptions> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 2, 16, 8, 30));
  const fake = createFakeAfterShip({ clock, limitsPerSecond: budget.limitsPerSecond as Record<string, number> | undefined });
  const client = createAfterShipClient({
    baseUrl: 'http://aftership.test',
    auth: { kind: 'api-key', apiKey: 'test-key' },
    fetch: fake.fetch,
    clock,
    budget: createRateBudget({ clock, ...budget }),
    ...extra,
  });
  return { clock, fake, client };
}

const numbersOf = (q: { query: URLSearchParams }): string[] => q.query.get('tracking_numbers')?.split(',') ?? [];

describe('tracking-number batching', () => {
  it('1,000 lookups of 50 distinct numbers arriving over 2 s become at most 40 AfterShip calls, each answered correctly', async () => {
    const { clock, fake, client } = setup();
    const known = new Map<string, Tracking>();
    for (let i = 0; i < 45; i++) {
      const t = fake.seed({ tracking_number: `1Z${String(i).padStart(8, '0')}`, slug: i % 2 ? 'ups' : 'fedex' });
      known.set(t.tracking_number as string, t);
    }
    const numbers = [...known.keys(), 'NOPE0001', 'NOPE0002', 'NOPE0003', 'NOPE0004', 'NOPE0005'];
    const rnd = seededRandom(3);
    const checks: Promise<boolean>[] = [];
    // One lookup every 2 ms, from "different GraphQL requests": nothing shares a DataLoader.
    for (let i = 0; i < 1000; i++) {
      const n = numbers[Math.floor(rnd() * numbers.length)];
      checks.push(client.getTrackingByNumber(n).then((t) => (known.has(n) ? t?.id === known.get(n)?.id : t === null)));
      if (i % 2 === 1) await advance(clock, 4, 2);
    }
    const r = await settle(clock, Promise.all(checks));
    expect(r.ok && r.value.every(Boolean)).toBe(true);
    const calls = fake.count('GET /trackings');
    expect(calls).toBeLessThanOrEqual(40);
    expect(calls).toBeGreaterThan(1); // spread over time: several batches, not a trivially single one
    expect(fake.count()).toBe(calls);
    for (const q of fake.requests) {
      expect(numbersOf(q).length).toBeLessThanOrEqual(50);
      expect(q.query.get('limit')).toBe('200');
    }
    expect(fake.count429()).toBe(0);
    expect(client.stats().merged).toBe(1000 - calls);
  });

  it('1,000 simultaneous lookups of 50 numbers are one call', async () => {
    const { clock, fake, client } = setup();
    for (let i = 0; i < 50; i++) fake.seed({ tracking_number: `JD${String(i).padStart(10, '0')}`, slug: 'dhl' });
    const ps = Array.from({ length: 1000 }, (_, i) => client.getTrackingByNumber(`JD${String(i % 50).padStart(10, '0')}`));
    const r = await settle(clock, Promise.all(ps));
    expect(r.ok && r.value.every((t) => t !== null)).toBe(true);
    expect(fake.count()).toBe(1);
    expect(numbersOf(fake.requests[0])).toHaveLength(50);
  });

  it('batches grow while they wait for budget: demand over budget becomes bigger batches, not longer queues', async () => {
    const { clock, fake, client } = setup({ limitsPerSecond: { 'GET /trackings': 1 } });
    for (let i = 0; i < 130; i++) fake.seed({ tracking_number: `GR${String(i).padStart(6, '0')}`, slug: 'dhl' });
    // The first batch takes the only slot of this second.
    const first = client.getTrackingByNumber('GR000000');
    await advance(clock, 10);
    expect(fake.count()).toBe(1);
    // 130 distinct numbers trickle in while GET /trackings has no budget left.
    const rest: Promise<Tracking | null>[] = [];
    for (let i = 1; i < 130; i++) {
      rest.push(client.getTrackingByNumber(`GR${String(i).padStart(6, '0')}`));
      await advance(clock, 1);
    }
    const r = await settle(clock, Promise.all([first, ...rest]), 10_000);
    expect(r.ok && r.value.every((t) => t !== null)).toBe(true);
    const sizes = fake.requests.map((q) => numbersOf(q).length);
    expect(sizes[0]).toBe(1);
    expect(sizes.slice(1).sort((a, b) => b - a)).toEqual([50, 50, 29]);
    expect(fake.maxInAnyWindow('GET /trackings', 1000)).toBe(1);
  });

  it('matches by number and slug; a number AfterShip does not return resolves null; bad numbers are rejected', async () => {
    const { clock, fake, client } = setup();
    const dhl = fake.seed({ tracking_number: 'SAME1234', slug: 'dhl' });
    const ups = fake.seed({ tracking_number: 'SAME1234', slug: 'ups' });
    const r = await settle(
      clock,
      Promise.all([
        client.getTrackingByNumber('SAME1234', 'dhl'),
        client.getTrackingByNumber('SAME1234', 'ups'),
        client.getTrackingByNumber('same1234 '),
        client.getTrackingByNumber('SAME1234', 'fedex'),
        client.getTrackingByNumber('MISSING1'),
      ]),
    );
    expect(r.ok && r.value.map((t) => t?.id ?? null)).toEqual([dhl.id, ups.id, ups.id, null, null]);
    expect(fake.count()).toBe(1);
    await expect(client.getTrackingByNumber('A,B')).rejects.toMatchObject({ code: 'INVALID_TRACKING_NUMBER' });
    await expect(client.getTrackingByNumber('  ')).rejects.toMatchObject({ code: 'INVALID_TRACKING_NUMBER' });
  });

  it('an aborted lookup leaves its batch; the others are answered', async () => {
    const { clock, fake, client } = setup();
    const t = fake.seed({ tracking_number: 'KEEP0001', slug: 'dhl' });
    const ac = new AbortController();
    const gone = client.getTrackingByNumber('GONE0001', undefined, { signal: ac.signal });
    const kept = client.getTrackingByNumber('KEEP0001');
    ac.abort(new Error('client disconnected'));
    await expect(gone).rejects.toThrow('client disconnected');
    const r = await settle(clock, kept);
    expect(r.ok && r.value?.id).toBe(t.id);
    expect(numbersOf(fake.requests[0])).toEqual(['KEEP0001']);
  });

  it('getTracking(id) goes through a number batch when GET /trackings/:id is congested and the number is known', async () => {
    const { clock, fake, client } = setup();
    const seeded = Array.from({ length: 20 }, (_, i) => fake.seed({ tracking_number: `ID${String(i).padStart(6, '0')}`, slug: 'dhl' }));
    await settle(clock, client.listTrackings({ limit: 200 })); // the client learns id → number
    const ps = seeded.map((t) => client.getTracking(t.id as string));
    await flush();
    const r = await settle(clock, Promise.all(ps));
    expect(r.ok && r.value.map((t) => t.id)).toEqual(seeded.map((t) => t.id));
    // 5/s on /:id would need 4 s; the list endpoint carried the rest in one call.
    expect(fake.count('GET /trackings/:id')).toBeLessThan(5);
    expect(fake.count('GET /trackings')).toBe(2);
  });

  it('batch window and size are configurable', async () => {
    const { clock, fake, client } = setup({}, { batchWindowMs: 20, batchMaxSize: 2 });
    const ps = ['AAAA0001', 'AAAA0002', 'AAAA0003'].map((n) => client.getTrackingByNumber(n));
    await advance(clock, 19);
    expect(fake.count()).toBe(1); // the full batch of 2 left at once; the third waits for its window
    await settle(clock, Promise.all(ps));
    expect(fake.requests.map(numbersOf)).toEqual([['AAAA0001', 'AAAA0002'], ['AAAA0003']]);
  });
});
