/**
 * The shared cache (per account, bounded, TTL per kind, newest-wins, tombstones) and the
 * per-request loaders on top of it (stale-while-revalidate in the background lane).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAfterShipClient } from '../src/aftership/client.js';
import type { AfterShipClient, CallOptions } from '../src/aftership/types.js';
import type { EddRequest, EddResponse, Tracking } from '../src/aftership/wire-types.js';
import { createGatewayCache, DEFAULT_TTL_MS, DEFAULT_STALE_MS } from '../src/cache/index.js';
import { ManualClock } from '../src/lib/clock.js';
import type { RedisBus } from '../src/redis/bus.js';
import { createCoherentCache } from '../src/redis/coherent-cache.js';
import { silentLogger } from '../src/lib/logger.js';
import { createLoaders } from '../src/loaders/index.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';

const tracking = (id: string, updatedAt: string, extra: Partial<Tracking> = {}): Tracking => ({
  id,
  legacy_id: `legacy-${id}`,
  tracking_number: `NUM-${id}`,
  slug: 'ups',
  updated_at: updatedAt,
  ...extra,
});

describe('gateway cache', () => {
  it('keeps accounts apart', () => {
    const cache = createGatewayCache({ clock: new ManualClock() });
    cache.putTracking('a', tracking('t1', '2026-01-01T00:00:00+00:00'));
    expect(cache.getTracking('a', 't1')?.id).toBe('t1');
    expect(cache.getTracking('b', 't1')).toBeUndefined();
    expect(cache.getTrackingByNumber('b', 'NUM-t1')).toBeUndefined();
    cache.putCouriers('a', 'all', [{ slug: 'ups' }]);
    expect(cache.getCouriers('b', 'all')).toBeUndefined();
  });

  it('finds trackings by id, legacy id and number (with or without slug)', () => {
    const cache = createGatewayCache({ clock: new ManualClock() });
    cache.putTracking('a', tracking('t1', '2026-01-01T00:00:00+00:00'));
    expect(cache.getTracking('a', 'legacy-t1')?.id).toBe('t1');
    expect(cache.getTrackingByNumber('a', 'NUM-t1')?.id).toBe('t1');
    expect(cache.getTrackingByNumber('a', 'NUM-t1', 'ups')?.id).toBe('t1');
    expect(cache.getTrackingByNumber('a', 'NUM-t1', 'fedex')).toBeUndefined();
  });

  it('never rolls a tracking back to an older version', () => {
    const cache = createGatewayCache({ clock: new ManualClock() });
    expect(cache.putTracking('a', tracking('t1', '2026-01-02T00:00:00+00:00', { tag: 'InTransit' }))).toBe(true);
    expect(cache.putTracking('a', tracking('t1', '2026-01-01T00:00:00+00:00', { tag: 'Pending' }))).toBe(false);
    expect(cache.getTracking('a', 't1')?.tag).toBe('InTransit');
    expect(cache.putTracking('a', tracking('t1', '2026-01-02T00:00:00+00:00', { tag: 'InTransit', title: 'same time' }))).toBe(true);
    expect(cache.putTracking('a', tracking('t1', '2026-01-03T00:00:00Z', { tag: 'Delivered' }))).toBe(true);
    expect(cache.getTracking('a', 't1')?.tag).toBe('Delivered');
  });

  it('delete leaves a tombstone against late copies; evict does not', () => {
    const cache = createGatewayCache({ clock: new ManualClock() });
    cache.putTracking('a', tracking('t1', '2026-01-02T00:00:00+00:00'));
    cache.deleteTracking('a', 't1');
    expect(cache.getTracking('a', 't1')).toBeUndefined();
    expect(cache.getTrackingByNumber('a', 'NUM-t1')).toBeUndefined();
    expect(cache.putTracking('a', tracking('t1', '2026-01-01T00:00:00+00:00'))).toBe(false);
    expect(cache.putTracking('a', tracking('t1', '2026-01-05T00:00:00+00:00'))).toBe(true);

    cache.putTracking('a', tracking('t2', '2026-01-02T00:00:00+00:00'));
    cache.evictTracking('a', 't2');
    expect(cache.getTracking('a', 't2')).toBeUndefined();
    expect(cache.putTracking('a', tracking('t2', '2026-01-01T00:00:00+00:00'))).toBe(true);
  });

  it('serves fresh, then stale, then nothing, per kind', () => {
    const clock = new ManualClock();
    const cache = createGatewayCache({ clock, ttlMs: { tracking: 1000 }, staleMs: { tracking: 500 } });
    cache.putTracking('a', tracking('t1', '2026-01-01T00:00:00+00:00'));
    cache.putCouriers('a', 'all', [{ slug: 'ups' }]);
    expect(cache.peekTracking('a', 't1')?.stale).toBe(false);
    clock.advance(1000);
    expect(cache.peekTracking('a', 't1')?.stale).toBe(true);
    clock.advance(500);
    expect(cache.peekTracking('a', 't1')).toBeUndefined();
    // Couriers live for hours by default.
    expect(cache.peekCouriers('a', 'all')?.stale).toBe(false);
    clock.advance(DEFAULT_TTL_MS.couriers);
    expect(cache.peekCouriers('a', 'all')?.stale).toBe(true);
    clock.advance(DEFAULT_STALE_MS.couriers);
    expect(cache.getCouriers('a', 'all')).toBeUndefined();
  });

  it('is bounded in entries and in bytes, evicting the least recently used', () => {
    const byCount = createGatewayCache({ clock: new ManualClock(), maxEntries: 3 });
    byCount.putCourierConnection('a', { id: 'c1', courier_slug: 'x' });
    byCount.putCourierConnection('a', { id: 'c2', courier_slug: 'x' });
    byCount.putCourierConnection('a', { id: 'c3', courier_slug: 'x' });
    byCount.getCourierConnection('a', 'c1');
    byCount.putCourierConnection('a', { id: 'c4', courier_slug: 'x' });
    expect(byCount.getCourierConnection('a', 'c2')).toBeUndefined();
    expect(byCount.getCourierConnection('a', 'c1')?.id).toBe('c1');
    expect(byCount.stats().entries).toBe(3);

    const byBytes = createGatewayCache({ clock: new ManualClock(), maxBytes: 4000 });
    for (let i = 0; i < 10; i++) byBytes.putCouriers(`acct${i}`, 'all', [{ slug: 'x', name: 'y'.repeat(900) }]);
    expect(byBytes.stats().bytes).toBeLessThanOrEqual(4000);
    expect(byBytes.getCouriers('acct9', 'all')).toBeDefined();
    expect(byBytes.getCouriers('acct0', 'all')).toBeUndefined();
  });

  it('never holds carrier credential values (AfterShip may echo them), nor mirrors them to other instances', () => {
    const cache = createGatewayCache({ clock: new ManualClock() });
    const sent: string[] = [];
    const bus: RedisBus = {
      instanceId: 'test',
      publish: (_channel, payload) => void sent.push(payload),
      subscribe: () => () => undefined,
      pending: () => 0,
      settled: async () => true,
      close: async () => undefined,
    };
    const coherent = createCoherentCache({ local: cache, bus, logger: silentLogger });
    coherent.putCourierConnection('acct', { id: 'cc1', courier_slug: 'ups-api', credentials: { user_id: 'me', password: 'hunter2-secret' } });
    expect(Object.keys(cache.getCourierConnection('acct', 'cc1')?.credentials ?? {}).sort()).toEqual(['password', 'user_id']);
    expect(JSON.stringify(cache.getCourierConnection('acct', 'cc1'))).not.toContain('hunter2-secret');
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toContain('hunter2-secret');
  });

  it('counts the bytes of keys: a prediction is keyed by its whole request', () => {
    const cache = createGatewayCache({ clock: new ManualClock() });
    const request: EddRequest = { slug: 'ups', origin_address: { country_region: 'USA', state: 'CA', city: 'c'.repeat(4000) }, destination_address: { country_region: 'USA', state: 'NY' } };
    cache.putEddPrediction('acct', request, { slug: 'ups', id: 'p1' } as EddResponse);
    expect(cache.stats().bytes).toBeGreaterThan(4000);
  });

  it('keys predictions by content, not key order', () => {
    const cache = createGatewayCache({ clock: new ManualClock() });
    const a: EddRequest = { slug: 'ups', origin_address: { country_region: 'USA', state: 'CA' }, destination_address: { country_region: 'USA', state: 'NY' } };
    const b: EddRequest = { destination_address: { state: 'NY', country_region: 'USA' }, origin_address: { state: 'CA', country_region: 'USA' }, slug: 'ups' };
    cache.putEddPrediction('acct', a, { ...a, id: 'p1' });
    expect(cache.getEddPrediction('acct', b)?.id).toBe('p1');
  });

  it('lets one refresh of an entry run at a time', () => {
    const cache = createGatewayCache({ clock: new ManualClock() });
    const release = cache.claimRefresh('tracking', 'a', 't1');
    expect(release).toBeTypeOf('function');
    expect(cache.claimRefresh('tracking', 'a', 't1')).toBeUndefined();
    expect(cache.claimRefresh('tracking', 'b', 't1')).toBeTypeOf('function');
    release!();
    expect(cache.claimRefresh('tracking', 'a', 't1')).toBeTypeOf('function');
  });
});

describe('loaders over the sandbox', () => {
  let sandbox: Sandbox;
  let client: AfterShipClient;
  const priorities: string[] = [];

  beforeAll(async () => {
    sandbox = createSandbox({ apiKey: 'k', seed: 6 });
    const url = await sandbox.listen(0, '127.0.0.1');
    const real = createAfterShipClient({ baseUrl: url, auth: { kind: 'api-key', apiKey: 'k' } });
    // Records the lane of each lookup (by id, or by number once the id's number is known: the
    // refresh rides the number batch); everything else goes straight to the real client.
    client = {
      ...real,
      getTracking: (id: string, query?: Parameters<AfterShipClient['getTracking']>[1], options?: CallOptions) => {
        priorities.push(options?.priority ?? 'interactive');
        return real.getTracking(id, query, options);
      },
      getTrackingByNumber: (n: string, slug?: string, options?: CallOptions) => {
        priorities.push(options?.priority ?? 'interactive');
        return real.getTrackingByNumber(n, slug, options);
      },
    };
  });
  afterAll(() => sandbox?.close());

  it('serves a stale tracking at once and refreshes it in the background lane', async () => {
    const clock = new ManualClock();
    const cache = createGatewayCache({ clock, ttlMs: { tracking: 1000 } });
    const [first] = sandbox.store.list();
    const loaders = () => createLoaders({ client, cache, accountId: 'a', logger: silentLogger });

    sandbox.requests.reset();
    priorities.length = 0;
    const cold = await loaders().trackingById.load(first.id!);
    expect(cold?.tracking_number).toBe(first.tracking_number);
    expect(priorities).toEqual(['interactive']);

    const warm = await loaders().trackingById.load(first.id!);
    expect(warm).toBe(cold);
    expect(sandbox.requests.count({ endpoint: 'GET /trackings/:id' })).toBe(1);

    // Make the cached copy stale and visibly different, so we can see the refresh replace it.
    clock.advance(1500);
    cache.evictTracking('a', first.id!);
    cache.putTracking('a', { ...cold!, title: 'stale copy', updated_at: '2000-01-01T00:00:00+00:00' });
    clock.advance(1500);
    const stale = await loaders().trackingById.load(first.id!);
    expect(stale?.title).toBe('stale copy');
    expect(priorities).toEqual(['interactive', 'background']);
    await expect.poll(() => cache.getTracking('a', first.id!)?.title, { timeout: 5000 }).toBe(first.title);
    expect(cache.peekTracking('a', first.id!)?.stale).toBe(false);
  });

  it('forgets a stale tracking or connection AfterShip no longer has, leaving a tombstone for the tracking', async () => {
    const clock = new ManualClock();
    const cache = createGatewayCache({ clock, ttlMs: { tracking: 1000, courierConnection: 1000 } });
    const gone = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
    const copy = tracking(gone, '2026-01-01T00:00:00+00:00');
    cache.putTracking('a', copy);
    cache.putCourierConnection('a', { id: gone, courier_slug: 'ups' });
    clock.advance(1500);
    const loaders = createLoaders({ client, cache, accountId: 'a', logger: silentLogger });
    expect((await loaders.trackingById.load(gone))?.id).toBe(gone);
    expect((await loaders.carrierConnectionById.load(gone))?.id).toBe(gone);
    await expect.poll(() => cache.peekTracking('a', gone), { timeout: 5000 }).toBeUndefined();
    await expect.poll(() => cache.peekCourierConnection('a', gone), { timeout: 5000 }).toBeUndefined();
    expect(cache.putTracking('a', copy)).toBe(false);
  });

  it('returns null for missing trackings and connections, and primes number lookups from id lookups', async () => {
    const cache = createGatewayCache({ clock: new ManualClock() });
    const loaders = createLoaders({ client, cache, accountId: 'a', logger: silentLogger });
    expect(await loaders.trackingById.load('ffffffffffffffffffffffffffffffff')).toBeNull();
    expect(await loaders.carrierConnectionById.load('ffffffffffffffffffffffffffffffff')).toBeNull();
    const [, second] = sandbox.store.list();
    await loaders.trackingById.load(second.id!);
    sandbox.requests.reset();
    const byNumber = await loaders.trackingByNumber.load({ trackingNumber: second.tracking_number! });
    expect(byNumber?.id).toBe(second.id);
    expect(sandbox.requests.count()).toBe(0);
  });
});
