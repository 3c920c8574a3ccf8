/**
 * Five times the budget in demand: the upstream sees no 429 and no endpoint over its limit in any
 * rolling second (nor the account over its cap in any rolling minute); every call either succeeds
 * or fails with RATE_LIMITED within the queue timeout. Manual time, counted by the fake upstream.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock.js';
import { createAfterShipClient } from '../src/aftership/client.js';
import { createRateBudget } from '../src/aftership/rate-budget.js';
import { AfterShipError } from '../src/aftership/errors.js';
import { ENDPOINT_KEYS } from '../src/aftership/endpoints.js';
import { createFakeAfterShip } from './helpers/fake-aftership.js';
import { advance, settle } from './helpers/fake-time.js';

interface Outcome {
  start: number;
  end?: number;
  ok?: boolean;
  error?: unknown;
}

function harness(limits: Record<string, number>, accountLimitPerMinute: number, queueTimeoutMs: number) {
  const clock = new ManualClock(Date.UTC(2026, 2, 16, 8, 30, 0, 500));
  const fake = createFakeAfterShip({ clock, limitsPerSecond: limits });
  const budget = createRateBudget({ clock, limitsPerSecond: limits, accountLimitPerMinute, queueTimeoutMs });
  const client = createAfterShipClient({ baseUrl: 'http://aftership.test', auth: { kind: 'api-key', apiKey: 'test-key' }, fetch: fake.fetch, clock, budget });
  const outcomes: Outcome[] = [];
  const track = (p: Promise<unknown>): void => {
    const o: Outcome = { start: clock.now() };
    outcomes.push(o);
    p.then(
      () => Object.assign(o, { ok: true, end: clock.now() }),
      (error: unknown) => Object.assign(o, { ok: false, error, end: clock.now() }),
    );
  };
  return { clock, fake, client, outcomes, track };
}

function expectEveryCallSucceededOrWasRateLimitedInTime(outcomes: Outcome[], queueTimeoutMs: number): void {
  for (const o of outcomes) {
    expect(o.end).toBeDefined();
    expect((o.end ?? Infinity) - o.start).toBeLessThanOrEqual(queueTimeoutMs + 1);
    if (!o.ok) {
      const e = o.error as AfterShipError;
      expect(e).toBeInstanceOf(AfterShipError);
      expect(e.code).toBe('RATE_LIMITED');
      expect(e.retryAfterMs).toBeGreaterThan(0);
    }
  }
}

describe('five times the budget in demand', () => {
  it('per second: zero 429s, no endpoint over its limit in any rolling second, every call served or RATE_LIMITED within the queue timeout', async () => {
    const limits = { 'GET /trackings/:id': 5, 'GET /couriers': 4, 'POST /couriers/detect': 3, 'GET /trackings': 2 };
    const queueTimeoutMs = 1500;
    const { clock, fake, client, outcomes, track } = harness(limits, 0, queueTimeoutMs);
    const ids = Array.from({ length: 30 }, (_, i) => fake.seed({ tracking_number: `LOAD${String(i).padStart(6, '0')}`, slug: 'dhl' }).id as string);
    // 5 s at 5x: 25/s getTracking, 20/s listCouriers (distinct queries: no single-flight), 15/s detect, 10/s list.
    for (let t = 0; t < 5000; t += 10) {
      if (t % 40 === 0) track(client.getTracking(ids[(t / 40) % ids.length]));
      if (t % 50 === 0) track(client.listCouriers({ slug: `s${t}` }));
      if (t % 70 === 0) track(client.detectCouriers({ tracking_number: `DET${t}` }));
      if (t % 100 === 0) track(client.listTrackings({ keyword: `k${t}` }));
      await advance(clock, 10, 10);
    }
    await advance(clock, queueTimeoutMs + 100, 10);

    expect(fake.count429()).toBe(0);
    for (const ep of ENDPOINT_KEYS) {
      expect(fake.maxInAnyWindow(ep, 1000), ep).toBeLessThanOrEqual(limits[ep as keyof typeof limits] ?? 5);
    }
    expectEveryCallSucceededOrWasRateLimitedInTime(outcomes, queueTimeoutMs);
    const served = outcomes.filter((o) => o.ok).length;
    const limited = outcomes.filter((o) => !o.ok).length;
    expect(limited).toBeGreaterThan(0); // demand really exceeded the budget
    expect(served).toBeGreaterThanOrEqual(40); // and the budget was really used
    const stats = client.stats();
    expect(Object.values(stats.endpoints).reduce((n, s) => n + s.rateLimited, 0)).toBe(limited);
  });

  it('per minute: the account cap holds in every rolling minute across endpoints', async () => {
    const limits = { 'GET /couriers': 5, 'POST /couriers/detect': 3 };
    const queueTimeoutMs = 2000;
    const cap = 20;
    const { clock, fake, client, outcomes, track } = harness(limits, cap, queueTimeoutMs);
    // 100 requests per minute (5x the cap) for 90 s, spread over two endpoints.
    for (let t = 0; t < 90_000; t += 600) {
      track(t % 1200 === 0 ? client.listCouriers({ slug: `m${t}` }) : client.detectCouriers({ tracking_number: `M${t}` }));
      await advance(clock, 600, 100);
    }
    await advance(clock, queueTimeoutMs + 100, 100);

    expect(fake.count429()).toBe(0);
    expect(fake.maxInAnyWindow(undefined, 60_000)).toBeLessThanOrEqual(cap);
    expect(fake.maxInAnyWindow(undefined, 60_000)).toBe(cap); // the cap was reached, not avoided
    expectEveryCallSucceededOrWasRateLimitedInTime(outcomes, queueTimeoutMs);
    expect(outcomes.filter((o) => !o.ok).length).toBeGreaterThan(0);
  });

  it('a burst far over budget is refused at once, not after the timeout', async () => {
    const { clock, client, outcomes, track } = harness({ 'GET /couriers': 2 }, 0, 2000);
    for (let i = 0; i < 50; i++) track(client.listCouriers({ slug: `b${i}` }));
    await settle(clock, Promise.resolve(), 10);
    const refusedAtOnce = outcomes.filter((o) => o.ok === false && o.end === o.start);
    expect(refusedAtOnce.length).toBeGreaterThanOrEqual(40);
    await advance(clock, 2100, 10);
    // 2 at once, 2 when the window (and AfterShip's announced reset) allows; the rest refused.
    expect(outcomes.filter((o) => o.ok).length).toBe(4);
    expectEveryCallSucceededOrWasRateLimitedInTime(outcomes, 2000);
  });
});
