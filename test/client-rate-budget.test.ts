import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock.js';
import { createMemoryBudgetStore, createRateBudget, type BudgetStore, type BudgetWindow, type Permit } from '../src/aftership/rate-budget.js';
import { AfterShipError } from '../src/aftership/errors.js';
import { advance, flush } from './helpers/fake-time.js';

/** Records when each acquire resolves or fails (manual time); the "request" completes at once. */
function track(clock: ManualClock, p: Promise<Permit>) {
  const r: { at?: number; error?: AfterShipError } = {};
  p.then(
    (permit) => {
      permit.complete();
      r.at = clock.now();
    },
    (e: AfterShipError) => (r.error = e),
  );
  return r;
}

describe('memory budget store (sliding log semantics)', () => {
  let n = 0;
  /** A send that completes at once (answer in the same millisecond). */
  const send = async (store: BudgetStore, ws: BudgetWindow[], now: number) => {
    const ticket = `t${n++}`;
    const r = await store.tryAcquire(ws, now, ticket);
    if (r.ok) await store.complete(ws.map((w) => w.key), ticket, now);
    return r;
  };

  it('allows `limit` sends in any window and names the time the next one fits', async () => {
    const store = createMemoryBudgetStore();
    const w = [{ key: 'e', windowMs: 1000, limit: 2 }];
    expect(await send(store, w, 0)).toEqual({ ok: true });
    expect(await send(store, w, 400)).toEqual({ ok: true });
    expect(await send(store, w, 999)).toEqual({ ok: false, retryAtMs: 1000, blockedBy: 'e' });
    // At 1000 the send of t=0 has left the window.
    expect(await send(store, w, 1000)).toEqual({ ok: true });
    // A fixed window [1000, 2000) would allow another one now; the sliding log still holds 400 and 1000.
    expect(await send(store, w, 1001)).toEqual({ ok: false, retryAtMs: 1400, blockedBy: 'e' });
  });

  it('a send occupies its window from its start until windowMs after it completes (latency-proof)', async () => {
    const store = createMemoryBudgetStore({ inflightTtlMs: 30_000 });
    const w = [{ key: 'e', windowMs: 1000, limit: 1 }];
    expect(await store.tryAcquire(w, 0, 'slow')).toEqual({ ok: true });
    // Still in flight at 1500: AfterShip may not even have seen it yet.
    expect(await store.tryAcquire(w, 1500, 'x')).toEqual({ ok: false, retryAtMs: 2500, blockedBy: 'e' });
    await store.complete(['e'], 'slow', 1800);
    expect(await store.tryAcquire(w, 2799, 'x')).toEqual({ ok: false, retryAtMs: 2800, blockedBy: 'e' });
    expect(await store.tryAcquire(w, 2800, 'x')).toEqual({ ok: true });
    // Never completed: the ttl ends it.
    expect((await store.tryAcquire(w, 32_800, 'y')).ok).toBe(true);
  });

  it('checks every window and records in none when one refuses; pauses block', async () => {
    const store = createMemoryBudgetStore();
    const ws = [
      { key: 'ep', windowMs: 1000, limit: 5 },
      { key: 'acct', windowMs: 60_000, limit: 1 },
    ];
    expect((await send(store, ws, 0)).ok).toBe(true);
    expect(await send(store, ws, 10)).toEqual({ ok: false, retryAtMs: 60_000, blockedBy: 'acct' });
    await store.pause('ep', 70_000);
    expect(await store.pausedUntil('ep')).toBe(70_000);
    expect(await send(store, ws, 60_000)).toEqual({ ok: false, retryAtMs: 70_000, blockedBy: 'ep' });
    expect((await send(store, [{ key: 'ep', windowMs: 1000, limit: 0 }], 60_000)).ok).toBe(false);
    expect((await send(store, [{ key: 'other', windowMs: 1000, limit: 0 }], 60_000)).ok).toBe(true);
  });
});

describe('rate budget', () => {
  it('per endpoint: the 5th request in a second goes at once, the 6th exactly when the first leaves the rolling second', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, marginMs: 0, limitsPerSecond: { 'GET /trackings/:id': 5 } });
    const rs = Array.from({ length: 6 }, () => track(clock, budget.acquire('GET /trackings/:id')));
    await flush();
    expect(rs.slice(0, 5).map((r) => r.at)).toEqual([0, 0, 0, 0, 0]);
    expect(rs[5].at).toBeUndefined();
    await advance(clock, 999);
    expect(rs[5].at).toBeUndefined(); // t=999: still 5 sends in (-1, 999]
    await advance(clock, 1);
    expect(rs[5].at).toBe(1000);
    // Other endpoints are budgeted separately.
    const other = track(clock, budget.acquire('GET /couriers'));
    await flush();
    expect(other.at).toBe(1000);
  });

  it('is a sliding window, not a fixed one: no burst of 2x across a second boundary', async () => {
    const clock = new ManualClock(900);
    const budget = createRateBudget({ clock, marginMs: 0, limitsPerSecond: { 'GET /trackings': 3 } });
    const first = Array.from({ length: 3 }, () => track(clock, budget.acquire('GET /trackings')));
    await flush();
    await advance(clock, 200); // t=1100: a fixed 1 s window starting at 1000 would be empty
    const second = Array.from({ length: 3 }, () => track(clock, budget.acquire('GET /trackings')));
    await flush();
    expect(first.every((r) => r.at === 900)).toBe(true);
    expect(second.every((r) => r.at === undefined)).toBe(true);
    await advance(clock, 799);
    expect(second.every((r) => r.at === undefined)).toBe(true);
    await advance(clock, 1);
    expect(second.map((r) => r.at)).toEqual([1900, 1900, 1900]);
  });

  it('account: the 600th request in a minute goes, the 601st waits for the first to leave the rolling minute', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, marginMs: 0, accountLimitPerMinute: 600, queueTimeoutMs: 120_000, limitsPerSecond: { 'GET /trackings/:id': 1000 } });
    const first = track(clock, budget.acquire('GET /trackings/:id'));
    await flush();
    await advance(clock, 30_000, 1000);
    const rest = Array.from({ length: 599 }, () => track(clock, budget.acquire('GET /trackings/:id')));
    const r601 = track(clock, budget.acquire('GET /trackings/:id'));
    await flush();
    expect(first.at).toBe(0);
    expect(rest[598].at).toBe(30_000); // the 600th
    expect(r601.at).toBeUndefined();
    await advance(clock, 29_999, 1000 - 1);
    expect(clock.now()).toBe(59_999);
    expect(r601.at).toBeUndefined();
    await advance(clock, 1);
    expect(r601.at).toBe(60_000);
  });

  it('a request still in flight keeps its slot: the next one starts a full window after the answer', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, marginMs: 0, limitsPerSecond: { 'GET /couriers': 1 } });
    const slow = await budget.acquire('GET /couriers');
    const next = track(clock, budget.acquire('GET /couriers'));
    await advance(clock, 2000, 100);
    expect(next.at).toBeUndefined(); // AfterShip may not have seen the first one yet
    slow.complete(); // answered at 2000
    await advance(clock, 999, 1);
    expect(next.at).toBeUndefined();
    await advance(clock, 1, 1);
    expect(next.at).toBe(3000);
  });

  it('accountLimitPerMinute 0 turns the account cap off', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, accountLimitPerMinute: 0, limitsPerSecond: { 'GET /trackings/:id': 10_000 } });
    const rs = Array.from({ length: 1000 }, () => track(clock, budget.acquire('GET /trackings/:id')));
    await flush();
    expect(rs.every((r) => r.at === 0)).toBe(true);
  });

  it('serves interactive before background, background only when no interactive waits', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, marginMs: 0, limitsPerSecond: { 'GET /trackings/:id': 1 } });
    const order: string[] = [];
    const go = (name: string, p: 'interactive' | 'background') =>
      budget.acquire('GET /trackings/:id', p).then((permit) => {
        permit.complete();
        order.push(name);
      });
    void go('i0', 'interactive');
    void go('b1', 'background');
    void go('b2', 'background');
    void go('i3', 'interactive');
    await flush();
    void go('i4', 'interactive');
    await advance(clock, 5000, 100);
    expect(order).toEqual(['i0', 'i3', 'i4', 'b1', 'b2']);
  });

  it('background does not take account budget an interactive waiter needs', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, marginMs: 0, accountLimitPerMinute: 2, queueTimeoutMs: 200_000 });
    (await budget.acquire('GET /couriers')).complete();
    await advance(clock, 30_000, 1000);
    (await budget.acquire('GET /couriers')).complete();
    const order: string[] = [];
    // Different endpoints, both blocked by the account minute; one slot frees at 60 s, the next at 90 s.
    void budget.acquire('GET /trackings', 'background').then((p) => (p.complete(), order.push('bg /trackings')));
    void budget.acquire('GET /trackings/:id', 'interactive').then((p) => (p.complete(), order.push('int /trackings/:id')));
    await advance(clock, 30_000, 1000);
    expect(order).toEqual(['int /trackings/:id']);
    await advance(clock, 30_000, 1000);
    expect(order).toEqual(['int /trackings/:id', 'bg /trackings']);
  });

  it('fails fast with RATE_LIMITED and retryAfterMs when the wait would exceed queueTimeoutMs', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, marginMs: 0, queueTimeoutMs: 1500, limitsPerSecond: { 'GET /couriers': 2 } });
    const rs = Array.from({ length: 8 }, () => track(clock, budget.acquire('GET /couriers')));
    await flush();
    // 2 now, 2 at 1000 (within 1.5 s), the other 4 would wait >= 2000 ms: refused at once.
    expect(rs.filter((r) => r.at === 0)).toHaveLength(2);
    const refused = rs.filter((r) => r.error);
    expect(refused).toHaveLength(4);
    for (const r of refused) {
      expect(r.error?.code).toBe('RATE_LIMITED');
      expect(r.error?.retryAfterMs).toBeGreaterThanOrEqual(2000);
      expect(r.error?.endpoint).toBe('GET /couriers');
    }
    await advance(clock, 1000);
    expect(rs.filter((r) => r.at === 1000)).toHaveLength(2);
    expect(budget.stats()).toMatchObject({ granted: 4, rejected: 4 });
  });

  it('a pause (X-RateLimit-Remaining 0 / 429) holds the endpoint until the reset; a too-long pause fails fast', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, marginMs: 0, queueTimeoutMs: 3000 });
    await budget.pause('GET /trackings', 2000);
    const held = track(clock, budget.acquire('GET /trackings'));
    const free = track(clock, budget.acquire('GET /couriers'));
    await flush();
    expect(free.at).toBe(0);
    await advance(clock, 1999, 100);
    expect(held.at).toBeUndefined();
    await advance(clock, 1);
    expect(held.at).toBe(2000);
    await budget.pause('account', 10_000);
    const tooLong = track(clock, budget.acquire('GET /couriers'));
    await flush();
    expect(tooLong.error?.code).toBe('RATE_LIMITED');
    expect(tooLong.error?.retryAfterMs).toBe(8000);
  });

  it('a slot the store grants is kept when a re-send jumps the queue while the store answers', async () => {
    const clock = new ManualClock();
    const memory = createMemoryBudgetStore();
    // A shared store answers asynchronously (Redis): hold its first answer until released.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let calls = 0;
    const store: BudgetStore = {
      ...memory,
      async tryAcquire(windows, now, ticket) {
        if (calls++ === 0) await held;
        return memory.tryAcquire(windows, now, ticket);
      },
    };
    const budget = createRateBudget({ clock, store, limitsPerSecond: { 'GET /trackings/:id': 1 }, accountLimitPerMinute: 0 });
    const start = clock.now();
    const first = track(clock, budget.acquire('GET /trackings/:id'));
    await flush();
    const resend = track(clock, budget.acquire('GET /trackings/:id', 'interactive', undefined, { front: true }));
    release();
    await flush();
    // The store granted the first waiter's slot: it goes now, and the re-send gets the next second.
    expect(first.at).toBe(start);
    expect(resend.at).toBeUndefined();
    await advance(clock, 1100, 10);
    expect(resend.at).toBeGreaterThan(start);
    expect(budget.stats().granted).toBe(2);
  });

  it('an aborted wait leaves the queue', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, marginMs: 0, limitsPerSecond: { 'GET /couriers': 1 } });
    (await budget.acquire('GET /couriers')).complete();
    const ac = new AbortController();
    const p = budget.acquire('GET /couriers', 'interactive', ac.signal);
    await flush();
    expect(budget.waiting('GET /couriers')).toBe(1);
    ac.abort(new Error('client went away'));
    await expect(p).rejects.toThrow('client went away');
    expect(budget.waiting()).toBe(0);
  });
});
