import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { createAfterShipClient, type AfterShipClientOptions } from '../src/aftership/client.js';
import { createRateBudget } from '../src/aftership/rate-budget.js';
import { AfterShipError } from '../src/aftership/errors.js';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../src/aftership/retry.js';
import { createFakeAfterShip, seededRandom } from './helpers/fake-aftership.js';
import { advance, flush, settle } from './helpers/fake-time.js';

function setup(extra: Partial<AfterShipClientOptions> & { seed?: number; queueTimeoutMs?: number } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 2, 16, 8, 30));
  const fake = createFakeAfterShip({ clock, random: seededRandom(extra.seed ?? 1) });
  const lines: string[] = [];
  const client = createAfterShipClient({
    baseUrl: 'http://aftership.test',
    auth: { kind: 'api-key', apiKey: 'test-key' },
    fetch: fake.fetch,
    clock,
    random: seededRandom(99),
    timeoutMs: 1000,
    budget: createRateBudget({ clock, queueTimeoutMs: extra.queueTimeoutMs ?? 10_000 }),
    logger: createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } }),
    ...extra,
  });
  return { clock, fake, client, lines };
}

const all = <T>(ps: Promise<T>[]) => Promise.allSettled(ps);

describe('retries', () => {
  it('absorbs 30% 5xx answers for reads', async () => {
    // Enough queue time for 40 calls plus their retries at 5/s (this test is about retries, not the budget).
    const { clock, fake, client } = setup({ seed: 7, queueTimeoutMs: 60_000 });
    const seeded = Array.from({ length: 40 }, (_, i) => fake.seed({ tracking_number: `NUM${i}`, slug: 'dhl' }));
    fake.faults.error5xxRatio = 0.3;
    const r = await settle(clock, all(seeded.map((t) => client.getTracking(t.id as string))), 120_000);
    const results = r.ok ? r.value : [];
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(40);
    const served = fake.requests.filter((q) => q.endpoint === 'GET /trackings/:id');
    const failed = served.filter((q) => q.status === 503).length;
    expect(failed).toBeGreaterThanOrEqual(6); // the faults really happened (~30% of ~57 sends)
    const s = client.stats().endpoints['GET /trackings/:id'];
    expect(s.calls).toBe(40);
    expect(s.retries).toBe(failed);
    expect(s.byStatus).toEqual({ '200': 40 });
    expect(fake.count429()).toBe(0);
  });

  it('retries reads after a timeout and after a dropped connection', async () => {
    const { clock, fake, client } = setup();
    const t = fake.seed({ tracking_number: 'TIMEOUT1', slug: 'dhl' });
    fake.faults.hang = 1;
    fake.faults.drop = 1;
    const r = await settle(clock, client.getTracking(t.id as string));
    expect(r.ok && r.value.id).toBe(t.id);
    expect(fake.count('GET /trackings/:id')).toBe(3);
    expect(client.stats().endpoints['GET /trackings/:id'].retries).toBe(2);
  });

  it('uses exponential back-off with full jitter, capped', () => {
    const p = DEFAULT_RETRY_POLICY;
    expect(backoffDelay(p, 0, () => 0.999)).toBe(199);
    expect(backoffDelay(p, 2, () => 0.5)).toBe(400);
    expect(backoffDelay(p, 10, () => 0.999)).toBe(4995);
    expect(backoffDelay(p, 3, () => 0)).toBe(0);
  });

  it('does not retry 4xx answers', async () => {
    const { clock, fake, client } = setup();
    const r = await settle(clock, client.getTracking('missing'));
    const e = (r as { error: AfterShipError }).error;
    expect(e.code).toBe('NOT_FOUND');
    expect(e.metaCode).toBe(4004);
    expect(e.httpStatus).toBe(404);
    expect(fake.count()).toBe(1);
  });
});

describe('creates are never duplicated', () => {
  it('a create that timed out after AfterShip stored it resolves to that tracking (retry → 4003 → lookup)', async () => {
    const { clock, fake, client } = setup();
    fake.faults.createThenHang = 1;
    const r = await settle(clock, client.createTracking({ tracking_number: 'DUP0001', slug: 'dhl', title: 'gift' }));
    expect(r.ok).toBe(true);
    expect(fake.trackings.size).toBe(1);
    const stored = [...fake.trackings.values()][0];
    expect(r.ok && r.value.id).toBe(stored.id);
    expect(fake.requests.map((q) => [q.endpoint, q.status])).toEqual([
      ['POST /trackings', undefined],
      ['POST /trackings', 400],
      ['GET /trackings', 200],
    ]);
  });

  it('a create whose connection dropped before AfterShip saw it is sent again once', async () => {
    const { clock, fake, client } = setup();
    fake.faults.drop = 1;
    const r = await settle(clock, client.createTracking({ tracking_number: 'DROP0001', slug: 'ups' }));
    expect(r.ok && r.value.tracking_number).toBe('DROP0001');
    expect(fake.trackings.size).toBe(1);
    expect(fake.count('POST /trackings')).toBe(2);
  });

  it('a create is re-sent at most once; a genuine duplicate is ALREADY_EXISTS', async () => {
    const { clock, fake, client } = setup();
    fake.faults.hang = 3;
    const r = await settle(clock, client.createTracking({ tracking_number: 'HANG0001', slug: 'ups' }));
    expect((r as { error: AfterShipError }).error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(fake.count('POST /trackings')).toBe(2);
    fake.faults.hang = 0;
    fake.seed({ tracking_number: 'EXISTS01', slug: 'ups' });
    const dup = await settle(clock, client.createTracking({ tracking_number: 'EXISTS01', slug: 'ups' }));
    expect((dup as { error: AfterShipError }).error).toMatchObject({ code: 'ALREADY_EXISTS', metaCode: 4003, httpStatus: 400, endpoint: 'POST /trackings' });
  });

  it('a courier-connection create is not re-sent after a timeout', async () => {
    const { clock, fake, client } = setup();
    fake.faults.hang = 1;
    const r = await settle(clock, client.createCourierConnection({ courier_slug: 'dhl-api', credentials: { api_key: 'x' } }));
    expect((r as { error: AfterShipError }).error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(fake.count('POST /courier-connections')).toBe(1);
  });
});

describe('state-setting calls', () => {
  it('a retrack whose answer was lost is re-sent; the 4013 "only inactive" it then gets resolves to the tracking', async () => {
    const { clock, fake, client } = setup();
    const t = fake.seed({ tracking_number: 'RETRACK1', slug: 'dhl', active: false });
    fake.faults.processThenHang = 1;
    const r = await settle(clock, client.retrackTracking(t.id as string));
    expect(r.ok && r.value).toMatchObject({ id: t.id, active: true });
    expect(fake.requests.map((q) => [q.endpoint, q.status])).toEqual([
      ['POST /trackings/:id/retrack', undefined],
      ['POST /trackings/:id/retrack', 400],
      ['GET /trackings/:id', 200],
    ]);
    // Without an ambiguous failure before, 4013 is the caller's error.
    const again = await settle(clock, client.retrackTracking(t.id as string));
    expect((again as { error: AfterShipError }).error).toMatchObject({ code: 'RETRACK_NOT_ALLOWED', metaCode: 4013 });
  });

  it('mark-as-completed is re-sent after a 5xx (it sets a state)', async () => {
    const { clock, fake, client } = setup();
    const t = fake.seed({ tracking_number: 'MARK0001', slug: 'dhl' });
    fake.faults.error5xxRatio = 1;
    const p = client.markTrackingCompleted(t.id as string, { reason: 'DELIVERED' });
    await flush();
    fake.faults.error5xxRatio = 0;
    const r = await settle(clock, p);
    expect(r.ok && r.value).toMatchObject({ active: false, tag: 'Delivered' });
    expect(fake.count('POST /trackings/:id/mark-as-completed')).toBe(2);
  });

  it("a caller's abort stops the call at once and is not retried", async () => {
    const { clock, fake, client } = setup();
    fake.faults.hang = 1;
    const ac = new AbortController();
    const p = client.getTracking('t1', undefined, { signal: ac.signal });
    await flush();
    ac.abort(new Error('request cancelled'));
    await expect(p).rejects.toThrow('request cancelled');
    await advance(clock, 5000, 100);
    expect(fake.count()).toBe(1);
    expect(client.stats().endpoints['GET /trackings/:id'].byStatus).toEqual({ error: 1 });
  });
});

describe('429 handling', () => {
  it('reads X-RateLimit-Reset on AfterShip\'s clock: a skewed server clock does not stretch the pause', async () => {
    const { clock, fake } = setup();
    const skewMs = 3_600_000; // AfterShip's clock one hour ahead of ours
    const skewed: typeof fetch = async (input, init) => {
      const res = await fake.fetch(input, init);
      const serverNow = clock.now() + skewMs;
      const headers = new Headers(res.headers);
      headers.set('date', new Date(serverNow).toUTCString());
      headers.set('x-ratelimit-reset', String(Math.floor(serverNow / 1000) + 1));
      return new Response(await res.text(), { status: res.status, headers });
    };
    const client = createAfterShipClient({ baseUrl: 'http://aftership.test', auth: { kind: 'api-key', apiKey: 'test-key' }, fetch: skewed, clock });
    fake.faults.force429 = 1;
    const start = clock.now();
    const r = await settle(clock, client.listCouriers());
    expect(r.ok).toBe(true);
    expect(fake.requests[1].at - start).toBeLessThanOrEqual(1000); // not the 60 s cap, not an hour
  });

  it('a 429 storm pauses the endpoint until X-RateLimit-Reset, is re-sent, and recovers without surfacing', async () => {
    const { clock, fake, client } = setup();
    const seeded = Array.from({ length: 5 }, (_, i) => fake.seed({ tracking_number: `S${i}XXXX`, slug: 'dhl' }));
    fake.faults.force429 = 12;
    const r = await settle(clock, all(seeded.map((t) => client.getTracking(t.id as string))), 60_000);
    expect(r.ok && r.value.every((x) => x.status === 'fulfilled')).toBe(true);
    expect(fake.count429()).toBe(12);
    const reqs = fake.requests;
    for (let i = 0; i < reqs.length; i++) {
      if (reqs[i].status !== 429) continue;
      // Nothing is sent on that endpoint before the reset the 429 announced.
      const later = reqs.slice(i + 1).filter((q) => q.at > reqs[i].at);
      for (const q of later) expect(q.at).toBeGreaterThanOrEqual((reqs[i].reset ?? 0) * 1000);
    }
    const s = client.stats().endpoints['GET /trackings/:id'];
    expect(s.rateLimited).toBe(12);
    expect(s.byStatus).toEqual({ '200': 5 });
    // Recovered: the next calls go straight through.
    const before = fake.count();
    const again = await settle(clock, client.getTracking(seeded[0].id as string));
    expect(again.ok).toBe(true);
    expect(fake.count() - before).toBe(1);
  });

  it('X-RateLimit-Remaining: 0 pauses the endpoint until the reset', async () => {
    const { clock, fake, client } = setup();
    const t = fake.seed({ tracking_number: 'REM00001', slug: 'dhl' });
    // 5 answers drain GET /trackings/:id's window (limit 5): the 5th says remaining 0.
    for (let i = 0; i < 5; i++) await settle(clock, client.getTracking(t.id as string));
    const fifth = fake.requests[4];
    const p = client.getTracking(t.id as string);
    await advance(clock, (fifth.reset ?? 0) * 1000 - clock.now() - 1);
    expect(fake.count()).toBe(5);
    expect((await settle(clock, p)).ok).toBe(true);
    expect(fake.requests[5].at).toBeGreaterThanOrEqual((fifth.reset ?? 0) * 1000);
    expect(fake.count429()).toBe(0);
  });

  it('an endless 429 surfaces as RATE_LIMITED once the queue timeout is spent', async () => {
    const { clock, fake, client } = setup({ queueTimeoutMs: 3000 });
    fake.faults.force429 = 1000;
    const start = clock.now();
    const r = await settle(clock, client.listCouriers());
    const e = (r as { error: AfterShipError }).error;
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryAfterMs).toBeGreaterThan(0);
    expect(clock.now() - start).toBeLessThanOrEqual(3100);
    expect(fake.count()).toBeGreaterThan(1);
  });
});

describe('circuit breaker', () => {
  it('opens after 5 consecutive failures, fails fast, logs once, lets one probe through and closes on success', async () => {
    const { clock, fake, client, lines } = setup({ retry: { maxRetries: 0 } });
    const t = fake.seed({ tracking_number: 'CB000001', slug: 'dhl' });
    fake.faults.error5xxRatio = 1;
    for (let i = 0; i < 5; i++) await settle(clock, client.listCouriers({ slug: `s${i}` }));
    expect(client.stats().circuit).toBe('open');
    const sent = fake.count();
    const fast = await settle(clock, client.getTracking(t.id as string));
    const e = (fast as { error: AfterShipError }).error;
    expect(e.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(e.message).toMatch(/^AfterShip unavailable, retrying in \d+s$/);
    expect(e.retryAfterMs).toBeGreaterThan(0);
    expect(fake.count()).toBe(sent); // nothing sent
    await settle(clock, client.getTracking(t.id as string));
    expect(lines.filter((l) => l.includes('AfterShip unavailable'))).toHaveLength(1);

    await advance(clock, 10_000, 500);
    expect(client.stats().circuit).toBe('half-open');
    fake.faults.error5xxRatio = 0;
    // Two callers in half-open: one probe goes out, the other fails fast.
    const both = await settle(clock, all<unknown>([client.getTracking(t.id as string), client.listCouriers()]));
    const [pr, or] = both.ok ? both.value : [];
    expect(pr.status).toBe('fulfilled');
    expect(or.status === 'rejected' && (or.reason as AfterShipError).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(fake.count()).toBe(sent + 1);
    expect(client.stats().circuit).toBe('closed');
    expect((await settle(clock, client.listCouriers())).ok).toBe(true);
  });

  it('a failed probe opens the circuit again; 4xx do not count as failures', async () => {
    const { clock, fake, client } = setup({ retry: { maxRetries: 0 }, circuit: { failureThreshold: 2, openMs: 1000 } });
    for (let i = 0; i < 4; i++) await settle(clock, client.getTracking(`missing-${i}`));
    expect(client.stats().circuit).toBe('closed');
    fake.faults.error5xxRatio = 1;
    await settle(clock, client.listCouriers({ slug: 'a' }));
    await settle(clock, client.listCouriers({ slug: 'b' }));
    expect(client.stats().circuit).toBe('open');
    await advance(clock, 1000, 100);
    await settle(clock, client.listCouriers({ slug: 'c' }));
    expect(client.stats().circuit).toBe('open');
  });
});

describe('stats and fewer calls', () => {
  it('identical GETs in flight share one request', async () => {
    const { clock, fake, client } = setup();
    const t = fake.seed({ tracking_number: 'SF000001', slug: 'dhl' });
    const ps = Array.from({ length: 10 }, () => client.getTracking(t.id as string));
    await flush();
    const r = await settle(clock, Promise.all(ps));
    expect(r.ok && r.value.every((x) => x.id === t.id)).toBe(true);
    expect(fake.count()).toBe(1);
    expect(client.stats()).toMatchObject({ upstreamRequests: 1, merged: 9 });
  });

  it('an interactive GET does not join a background one (it would wait in the background lane); a background GET joins an interactive one', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 16, 8, 30));
    const fake = createFakeAfterShip({ clock });
    const client = createAfterShipClient({
      baseUrl: 'http://aftership.test',
      auth: { kind: 'api-key', apiKey: 'test-key' },
      fetch: fake.fetch,
      clock,
      budget: createRateBudget({ clock, limitsPerSecond: { 'GET /trackings/:id': 1 }, queueTimeoutMs: 60_000 }),
    });
    const [a, x, c, d, e] = ['A', 'X', 'C', 'D', 'E'].map((n) => fake.seed({ tracking_number: `PRIO0000${n}`, slug: 'dhl' }).id as string);
    const done: string[] = [];
    const note = (name: string, p: Promise<unknown>) => p.then(() => void done.push(name));
    const all = [
      note('A', client.getTracking(a)), // takes this second's slot
      note('poll X', client.getTracking(x, undefined, { priority: 'background' })),
      note('user X', client.getTracking(x)),
      note('C', client.getTracking(c)),
      note('D', client.getTracking(d)),
      note('E', client.getTracking(e)),
    ];
    const r = await settle(clock, Promise.all(all));
    expect(r.ok).toBe(true);
    // The user's X goes in its turn among the interactive calls; the poll waits for the lane to empty.
    expect(done).toEqual(['A', 'user X', 'C', 'D', 'E', 'poll X']);

    // The other way round, one request serves both.
    const before = fake.count('GET /trackings/:id');
    const both = Promise.all([client.getTracking(x), client.getTracking(x, undefined, { priority: 'background' })]);
    expect((await settle(clock, both)).ok).toBe(true);
    expect(fake.count('GET /trackings/:id')).toBe(before + 1);
  });

  it('predictEddBatch splits into batches of 5 and keeps input order', async () => {
    const { clock, fake, client } = setup();
    const items = Array.from({ length: 12 }, (_, i) => ({
      slug: `c${i}`,
      origin_address: { country_region: 'USA', state: 'TX' },
      destination_address: { country_region: 'USA', state: 'OR' },
      pickup_time: '2026-03-16 10:00:00',
    }));
    const r = await settle(clock, client.predictEddBatch(items));
    expect(r.ok && r.value.map((x) => x.slug)).toEqual(items.map((i) => i.slug));
    expect(fake.count('POST /estimated-delivery-date/predict-batch')).toBe(3);
  });
});
