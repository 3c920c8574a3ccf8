/**
 * The replica store on its own (ManualClock): freshness without expiry while webhooks flow, TTL and
 * stale-while-revalidate otherwise, a completed list pass refreshing everything held; newest wins and
 * tombstones; the caps evict delivered trackings before active ones and make the coverage incomplete;
 * the id → number index outlives eviction; scan and onChange (the read interface analytics uses).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock.js';
import type { Tracking } from '../src/aftership/wire-types.js';
import { createReplicaStore, type ReplicaChange } from '../src/replica/index.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1);

function tracking(n: number, overrides: Partial<Tracking> = {}): Tracking {
  return {
    id: `id${n}`,
    legacy_id: `legacy${n}`,
    tracking_number: `NUM${n}`,
    slug: 'ups',
    tag: 'InTransit',
    active: true,
    updated_at: new Date(T0 + n * 1000).toISOString(),
    ...overrides,
  } as Tracking;
}

function store(clock = new ManualClock(T0), caps: { maxEntries?: number; maxBytes?: number } = {}) {
  return createReplicaStore({ accountId: 'a', clock, windowMs: 30 * DAY, ttlMs: 1000, staleMs: 5000, ...caps });
}

describe('replica store', () => {
  it('serves held trackings without expiry while webhooks flow; otherwise fresh, then stale, then not served; a pass refreshes all', () => {
    const clock = new ManualClock(T0);
    const s = store(clock);
    let live = true;
    s.setLive(() => live);
    s.put(tracking(1));
    clock.advance(10 * DAY);
    expect(s.peek('id1')).toMatchObject({ stale: false });
    live = false;
    expect(s.peek('id1')).toBeUndefined();
    s.put(tracking(2));
    expect(s.peek('id2')?.stale).toBe(false);
    clock.advance(1000);
    expect(s.peek('id2')?.stale).toBe(true);
    clock.advance(5000);
    expect(s.peek('id2')).toBeUndefined();
    // A completed pass started now says everything held is current as of now.
    s.passCompleted(clock.now(), false);
    expect(s.peek('id1')?.stale).toBe(false);
    expect(s.peek('id2')?.stale).toBe(false);
    expect(s.peekByNumber('num2', 'ups')?.value.id).toBe('id2');
    expect(s.get('legacy2')?.id).toBe('id2');
  });

  it('keeps the newest version and keeps deleted trackings out', () => {
    const s = store();
    expect(s.put(tracking(1, { updated_at: '2026-06-02T00:00:00Z', title: 'new' }))).toBe(true);
    expect(s.holdsNewer(tracking(1, { updated_at: '2026-06-01T00:00:00Z' }))).toBe(true);
    expect(s.put(tracking(1, { updated_at: '2026-06-01T00:00:00Z', title: 'old' }))).toBe(false);
    expect(s.get('id1')?.title).toBe('new');
    s.remove('id1', true);
    expect(s.put(tracking(1, { updated_at: '2026-06-02T00:00:00Z' }))).toBe(false);
    expect(s.numberOf('id1')).toBeUndefined();
    expect(s.put(tracking(1, { updated_at: '2026-06-03T00:00:00Z' }))).toBe(true);
  });

  it('past its caps drops delivered trackings first, least recently updated first; the index keeps their numbers; coverage says incomplete', () => {
    const s = store(new ManualClock(T0), { maxEntries: 100 });
    s.passCompleted(T0, true);
    expect(s.coverage().complete).toBe(true);
    for (let i = 0; i < 100; i++) s.put(tracking(i, i % 2 ? { tag: 'Delivered', active: false } : {}));
    expect(s.size()).toBe(100);
    s.put(tracking(100));
    // 1% headroom: down to 99, all taken from the delivered ones, oldest first.
    expect(s.size()).toBe(99);
    expect(s.get('id1')).toBeUndefined();
    expect(s.get('id3')).toBeUndefined();
    expect(s.get('id5')).toBeDefined();
    expect(s.get('id0')).toBeDefined();
    expect(s.numberOf('id1')).toEqual({ trackingNumber: 'NUM1', slug: 'ups' });
    expect(s.stats().evicted).toBe(2);
    expect(s.coverage().complete).toBe(false);
    // With only active trackings left to drop, the oldest of them go.
    const t = store(new ManualClock(T0), { maxEntries: 100 });
    for (let i = 0; i < 101; i++) t.put(tracking(i));
    expect(t.get('id0')).toBeUndefined();
    expect(t.get('id100')).toBeDefined();
  });

  it('bounds bytes too', () => {
    const s = store(new ManualClock(T0), { maxBytes: 50_000 });
    for (let i = 0; i < 500; i++) s.put(tracking(i, { title: 'x'.repeat(200) }));
    expect(s.stats().bytes).toBeLessThanOrEqual(50_000);
    expect(s.size()).toBeGreaterThan(50);
  });

  it('scan yields every held tracking once, also while they change; onChange tells puts, deletes and resets', async () => {
    const s = store();
    const changes: ReplicaChange['kind'][] = [];
    const off = s.onChange((c) => changes.push(c.kind));
    for (let i = 0; i < 1200; i++) s.put(tracking(i));
    const seen: string[] = [];
    for await (const t of s.scan({ chunkSize: 100 })) {
      seen.push(t.id!);
      // Updating held trackings during the scan must not make them appear twice.
      if (seen.length === 10) for (let i = 0; i < 1200; i += 7) s.put(tracking(i, { updated_at: '2027-01-01T00:00:00Z' }));
    }
    expect(seen).toHaveLength(1200);
    expect(new Set(seen).size).toBe(1200);
    const ctrl = new AbortController();
    let n = 0;
    for await (const _ of s.scan({ signal: ctrl.signal })) if (++n === 5) ctrl.abort();
    expect(n).toBe(5);
    s.remove('id5', true);
    s.clear();
    off();
    s.put(tracking(1));
    expect(changes.filter((k) => k === 'put')).toHaveLength(1200 + Math.ceil(1200 / 7));
    expect(changes.slice(-2)).toEqual(['delete', 'reset']);
  });

  it('a lookup waiting for the warm-up gets the tracking when it is listed, or undefined on release or timeout', async () => {
    const clock = new ManualClock(T0);
    const s = store(clock);
    const byLegacy = s.whenHeld('legacy1', 10_000);
    const byId = s.whenHeld('id1', 10_000);
    const never = s.whenHeld('id9', 10_000);
    const timesOut = s.whenHeld('id8', 100);
    s.put(tracking(1));
    expect((await byId)?.id).toBe('id1');
    expect((await byLegacy)?.id).toBe('id1');
    clock.advance(100);
    expect(await timesOut).toBeUndefined();
    s.releaseWaiters();
    expect(await never).toBeUndefined();
  });
});
