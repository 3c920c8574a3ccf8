import { describe, expect, it } from 'vitest';
import type { AfterShipClient } from '../src/aftership/types.js';
import type { Checkpoint, Tracking } from '../src/aftership/wire-types.js';
import { AfterShipError, ErrorCode } from '../src/aftership/errors.js';
import { createGatewayCache } from '../src/cache/index.js';
import { ManualClock } from '../src/lib/clock.js';
import { createBoundedIterator } from '../src/realtime/bounded-iterator.js';
import { createMemoryDedupStore } from '../src/realtime/dedup.js';
import { compileFilter, diffTracking, digestOf, type TrackingChange } from '../src/realtime/events.js';
import { createRealtime, type Realtime } from '../src/realtime/index.js';
import { createRealtimePubSub } from '../src/realtime/pubsub.js';
import { createTrackingUpdates } from '../src/realtime/tracking-updates.js';
import { createCoalescer } from '../src/realtime/coalesce.js';
import type { RealtimePubSub } from '../src/realtime/pubsub.js';
import { signWebhookBody, verifyWebhookSignature } from '../src/realtime/verify-signature.js';

const ACCOUNT = 'acct-1';
const SECRET = 'whsec-test-0123456789';

function checkpoint(n: number, tag: string, subtag: string, message = `scan ${n}`): Checkpoint {
  return {
    created_at: new Date(Date.UTC(2026, 2, n, 10)).toISOString(),
    checkpoint_time: `2026-03-${String(n).padStart(2, '0')}T05:00:00-05:00`,
    slug: 'ups',
    message,
    tag: tag as Checkpoint['tag'],
    subtag,
    hash: `hash-${n}-${subtag}`,
  } as Checkpoint;
}

function tracking(over: Partial<Tracking> & { updated_at: string }): Tracking {
  return {
    id: 'a'.repeat(32),
    legacy_id: 'l'.repeat(24),
    tracking_number: '1Z999',
    slug: 'ups',
    tag: 'InTransit',
    subtag: 'InTransit_001',
    shipment_tags: ['fragile'],
    checkpoints: [checkpoint(1, 'InfoReceived', 'InfoReceived_001'), checkpoint(2, 'InTransit', 'InTransit_001')],
    ...over,
  } as Tracking;
}

let seq = 0;
function webhookBody(t: Tracking, over: { event?: string; event_id?: string; ts?: number } = {}): string {
  return JSON.stringify({
    event: over.event ?? 'tracking_update',
    event_id: over.event_id ?? `evt-${++seq}`,
    is_tracking_first_tag: false,
    msg: t,
    ts: over.ts ?? Math.floor(Date.parse(t.updated_at ?? '2026-03-01T00:00:00Z') / 1000),
  });
}

function post(body: string, headers: Record<string, string> = {}): Request {
  return new Request('http://gw.test/webhooks/aftership', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(SECRET, body), ...headers },
  });
}

/** A client whose only working call is getTracking over an in-memory map (the poller needs nothing else). */
function mapClient(store: Map<string, Tracking>): AfterShipClient & { calls: string[] } {
  const calls: string[] = [];
  const base = {
    calls,
    async getTracking(id: string, _q: unknown, options?: { priority?: string }) {
      calls.push(`${id}:${options?.priority ?? 'interactive'}`);
      const t = store.get(id);
      if (!t) throw new AfterShipError({ code: ErrorCode.NotFound, message: 'no such tracking', httpStatus: 404 });
      return structuredClone(t);
    },
  };
  return new Proxy(base, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target];
      return () => Promise.reject(new Error(`unexpected client call ${String(prop)}`));
    },
  }) as unknown as AfterShipClient & { calls: string[] };
}

async function take(it: AsyncIterator<TrackingChange>, n: number): Promise<TrackingChange[]> {
  const out: TrackingChange[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

/** Resolves to 'pending' when the iterator has nothing within a few macrotasks. */
async function nothingPending(it: AsyncIterator<TrackingChange>): Promise<boolean> {
  const sentinel = Symbol('pending');
  const r = await Promise.race([it.next(), new Promise((res) => setTimeout(() => res(sentinel), 20))]);
  return r === sentinel;
}

describe('webhook signature', () => {
  it('matches the RFC-style HMAC-SHA256 known vector, base64-encoded', () => {
    expect(signWebhookBody('key', 'The quick brown fox jumps over the lazy dog')).toBe('97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=');
    expect(verifyWebhookSignature('key', Buffer.from('The quick brown fox jumps over the lazy dog'), '97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=')).toBe(true);
  });
  it('refuses a wrong, truncated, missing or other-key signature', () => {
    const body = '{"a":1}';
    const good = signWebhookBody(SECRET, body);
    expect(verifyWebhookSignature(SECRET, body, good)).toBe(true);
    expect(verifyWebhookSignature(SECRET, body + ' ', good)).toBe(false);
    expect(verifyWebhookSignature(SECRET, body, good.slice(0, -2))).toBe(false);
    expect(verifyWebhookSignature(SECRET, body, undefined)).toBe(false);
    expect(verifyWebhookSignature(SECRET, body, signWebhookBody('other-secret', body))).toBe(false);
  });
});

describe('dedup store', () => {
  it('says "first time" once per id, for the TTL, then forgets', async () => {
    const clock = new ManualClock();
    const d = createMemoryDedupStore({ clock });
    const ttl = 72 * 3600_000;
    expect(await d.markSeen('e1', ttl)).toBe(true);
    expect(await d.markSeen('e1', ttl)).toBe(false);
    clock.advance(ttl - 1);
    expect(await d.markSeen('e1', ttl)).toBe(false);
    clock.advance(1);
    expect(await d.markSeen('e1', ttl)).toBe(true);
    await d.forget('e1');
    expect(await d.markSeen('e1', ttl)).toBe(true);
  });
  it('stays within maxEntries, forgetting the oldest first, and sweeps expired ids', async () => {
    const clock = new ManualClock();
    const d = createMemoryDedupStore({ clock, maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) expect(await d.markSeen(id, 1000)).toBe(true);
    expect(d.size()).toBe(3);
    expect(d.evictedEarly()).toBe(1);
    expect(await d.markSeen('a', 1000)).toBe(true); // evicted early, so new again
    expect(await d.markSeen('d', 1000)).toBe(false);
    clock.advance(1000);
    expect(d.size()).toBe(0);
  });
  it('tells which ids it remembers and for how long (what the Redis store writes back)', async () => {
    const clock = new ManualClock();
    const d = createMemoryDedupStore({ clock });
    await d.markSeen('a', 1000);
    clock.advance(400);
    await d.markSeen('b', 1000);
    expect(d.ids()).toEqual(['a', 'b']);
    expect(d.remainingMs('a')).toBe(600);
    expect(d.remainingMs('unknown')).toBe(0);
    clock.advance(600);
    expect(d.ids()).toEqual(['b']);
    expect(d.remainingMs('a')).toBe(0);
  });
});

describe('event diffing', () => {
  const before = tracking({ updated_at: '2026-03-02T10:00:00+00:00' });
  it('reports a status change, the new checkpoints and an exception', () => {
    const after = tracking({
      updated_at: '2026-03-03T10:00:00+00:00',
      tag: 'AttemptFail',
      subtag: 'AttemptFail_002',
      checkpoints: [...before.checkpoints!, checkpoint(3, 'AttemptFail', 'AttemptFail_002')],
    });
    const c = diffTracking({ accountId: ACCOUNT, eventId: 'e', source: 'webhook', webhookEvent: 'tracking_update', ts: 1, isFirstTag: true, tracking: after, previous: digestOf(before), now: 0 });
    expect(c.kinds).toEqual(['STATUS_CHANGED', 'NEW_CHECKPOINT', 'DELIVERY_EXCEPTION']);
    expect(c.previousTag).toBe('InTransit');
    expect(c.tag).toBe('AttemptFail');
    expect(c.newCheckpoints.map((x) => x.subtag)).toEqual(['AttemptFail_002']);
    expect(c.occurredAt).toBe('1970-01-01T00:00:01.000Z');
  });
  it('reports an EDD revision from the data, and from the edd_revise event alone', () => {
    const withEdd = { ...before, latest_estimated_delivery: { type: 'specific', source: 'AfterShip EDD', datetime: '2026-03-06' } } as Tracking;
    const revised = { ...withEdd, updated_at: '2026-03-04T00:00:00+00:00', latest_estimated_delivery: { type: 'specific', source: 'AfterShip EDD', datetime: '2026-03-08', revise_reason: 'extreme_weather' } } as Tracking;
    const c = diffTracking({ accountId: ACCOUNT, eventId: 'e', source: 'poll', webhookEvent: null, ts: null, isFirstTag: null, tracking: revised, previous: digestOf(withEdd), now: 0 });
    expect(c.kinds).toEqual(['EDD_REVISED']);
    expect(c.previousEstimate?.datetime).toBe('2026-03-06');
    expect(c.estimate).toMatchObject({ field: 'latest_estimated_delivery', datetime: '2026-03-08', reviseReason: 'extreme_weather' });
    const e = diffTracking({ accountId: ACCOUNT, eventId: 'e', source: 'webhook', webhookEvent: 'edd_revise', ts: 5, isFirstTag: false, tracking: withEdd, previous: digestOf(withEdd), now: 0 });
    expect(e.kinds).toEqual(['EDD_REVISED']);
    const p = diffTracking({ accountId: ACCOUNT, eventId: 'e', source: 'webhook', webhookEvent: 'tracking_pending_time', ts: 5, isFirstTag: false, tracking: withEdd, previous: digestOf(withEdd), now: 0 });
    expect(p.kinds).toEqual(['PENDING_TOO_LONG']);
  });
  it('compiles filters into predicates: all given lists must match', () => {
    const after = tracking({ updated_at: '2026-03-03T10:00:00+00:00', tag: 'Exception', subtag: 'Exception_013' });
    const c = diffTracking({ accountId: ACCOUNT, eventId: 'e', source: 'webhook', webhookEvent: 'tracking_update', ts: 1, isFirstTag: false, tracking: after, previous: digestOf(before), now: 0 });
    expect(compileFilter(undefined)(c)).toBe(true);
    expect(compileFilter({ tags: ['Exception'], slugs: ['ups'] })(c)).toBe(true);
    expect(compileFilter({ tags: ['Delivered'] })(c)).toBe(false);
    expect(compileFilter({ kinds: ['DELIVERY_EXCEPTION'] })(c)).toBe(true);
    expect(compileFilter({ kinds: ['EDD_REVISED'] })(c)).toBe(false);
    expect(compileFilter({ trackingIds: ['l'.repeat(24)] })(c)).toBe(true);
    expect(compileFilter({ trackingIds: ['other'], tags: ['Exception'] })(c)).toBe(false);
  });
});

const publishAtOnce = (pubsub: RealtimePubSub) =>
  createCoalescer({ windowMs: 0, clock: new ManualClock(), emit: (c) => pubsub.publish(c), onError: (e) => { throw e; } });

describe('one delivery per change (coalescing)', () => {
  const base = { source: 'webhook' as const, isFirstTag: false };
  const eddOf = (t: Tracking, day: number): Tracking => ({ ...t, latest_estimated_delivery: { type: 'specific', source: 'Carrier EDD', datetime: `2026-03-${String(day).padStart(2, '0')}`, datetime_min: null, datetime_max: null } }) as Tracking;

  it('merges a tracking_update and the edd_revise of the same change within the window: one event, both kinds, both ids', async () => {
    const clock = new ManualClock();
    const cache = createGatewayCache({ clock });
    const pubsub = createRealtimePubSub();
    const coalescer = createCoalescer({ windowMs: 20, clock, emit: (c) => pubsub.publish(c), onError: (e) => { throw e; } });
    const updates = createTrackingUpdates({ accountId: ACCOUNT, cache, coalescer, clock });
    updates.remember(tracking({ updated_at: '2026-03-02T10:00:00+00:00' }));
    const sub = pubsub.subscribeTracking(ACCOUNT, 'a'.repeat(32));
    // A new checkpoint and tag, without the EDD yet; then edd_revise of the same updated_at with it.
    const v2 = tracking({ updated_at: '2026-03-03T10:00:00+00:00', tag: 'OutForDelivery', subtag: 'OutForDelivery_001', checkpoints: [checkpoint(1, 'InfoReceived', 'InfoReceived_001'), checkpoint(2, 'InTransit', 'InTransit_001'), checkpoint(3, 'OutForDelivery', 'OutForDelivery_001')] });
    expect((await updates.apply({ ...base, webhookEvent: 'tracking_update', eventId: 'u1', ts: 300, tracking: v2 })).status).toBe('published');
    expect((await updates.apply({ ...base, webhookEvent: 'edd_revise', eventId: 'r1', ts: 300, tracking: eddOf(v2, 9) })).status).toBe('published');
    expect(coalescer.held()).toBe(1);
    expect(await nothingPending(sub)).toBe(true);
    clock.advance(20);
    const [one] = await take(sub, 1);
    expect(one!.eventId).toBe('u1');
    expect(one!.eventIds).toEqual(['u1', 'r1']);
    expect(one!.kinds).toEqual(['STATUS_CHANGED', 'NEW_CHECKPOINT', 'EDD_REVISED']);
    expect(one!.previousTag).toBe('InTransit');
    expect(one!.estimate?.datetime).toBe('2026-03-09');
    expect(one!.newCheckpoints.map((c) => c.hash)).toEqual(['hash-3-OutForDelivery_001']);
    expect(await nothingPending(sub)).toBe(true);
    // The next change is a delivery of its own.
    const v3 = tracking({ updated_at: '2026-03-04T10:00:00+00:00', tag: 'Delivered', subtag: 'Delivered_001' });
    await updates.apply({ ...base, webhookEvent: 'tracking_update', eventId: 'u2', ts: 400, tracking: v3 });
    clock.advance(20);
    expect((await take(sub, 1))[0]!.eventIds).toEqual(['u2']);
    await sub.return();
  });

  it('after the window, a repeat of the same version saying nothing new is not delivered; something new is', async () => {
    const clock = new ManualClock();
    const cache = createGatewayCache({ clock });
    const pubsub = createRealtimePubSub();
    const updates = createTrackingUpdates({ accountId: ACCOUNT, cache, coalescer: publishAtOnce(pubsub), clock });
    updates.remember(tracking({ updated_at: '2026-03-02T10:00:00+00:00' }));
    const sub = pubsub.subscribeTracking(ACCOUNT, 'a'.repeat(32));
    // The EDD moved with the update itself: tracking_update already says EDD_REVISED.
    const v2 = eddOf(tracking({ updated_at: '2026-03-03T10:00:00+00:00', tag: 'OutForDelivery', subtag: 'OutForDelivery_001' }), 8);
    expect((await updates.apply({ ...base, webhookEvent: 'tracking_update', eventId: 'u1', ts: 300, tracking: v2 })).status).toBe('published');
    expect((await take(sub, 1))[0]!.kinds).toEqual(['STATUS_CHANGED', 'EDD_REVISED']);
    expect((await updates.apply({ ...base, webhookEvent: 'edd_revise', eventId: 'r1', ts: 300, tracking: v2 })).status).toBe('coalesced');
    expect(await nothingPending(sub)).toBe(true);
    // Same version, but a kind not delivered for it yet.
    expect((await updates.apply({ ...base, webhookEvent: 'tracking_pending_time', eventId: 'p1', ts: 300, tracking: v2 })).status).toBe('published');
    expect((await take(sub, 1))[0]!.kinds).toEqual(['PENDING_TOO_LONG']);
    await sub.return();
  });
});

describe('coalescing windows', () => {
  const changeOf = (id: string, eventId: string): TrackingChange =>
    diffTracking({ eventId, source: 'webhook', webhookEvent: 'tracking_update', ts: 1, isFirstTag: false, accountId: ACCOUNT, previous: undefined, now: 0, tracking: tracking({ id, updated_at: '2026-03-03T10:00:00+00:00' }) });

  it('holds each tracking\'s change for its own window, with one timer for all of them', async () => {
    const clock = new ManualClock();
    const emitted: string[] = [];
    const coalescer = createCoalescer({ windowMs: 20, clock, emit: async (c) => void emitted.push(c.eventIds.join('+')), onError: (e) => { throw e; } });
    await coalescer.add(changeOf('a', 'a1'));
    clock.advance(10);
    await coalescer.add(changeOf('b', 'b1'));
    await coalescer.add(changeOf('a', 'a2')); // into a's window
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(10);
    expect(emitted).toEqual(['a1+a2']);
    await coalescer.add(changeOf('a', 'a3')); // a's next change: a window of its own, after b's
    clock.advance(9);
    expect(emitted).toEqual(['a1+a2']);
    clock.advance(1);
    expect(emitted).toEqual(['a1+a2', 'b1']);
    clock.advance(10);
    expect(emitted).toEqual(['a1+a2', 'b1', 'a3']);
    expect(coalescer.held()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('holds a change no longer than its window when the clock steps back', async () => {
    const manual = new ManualClock();
    let offset = 0;
    const clock = { now: () => manual.now() + offset, setTimer: (fn: () => void, ms: number) => manual.setTimer(fn, ms), sleep: (ms: number) => manual.sleep(ms) };
    const emitted: string[] = [];
    const coalescer = createCoalescer({ windowMs: 20, clock, emit: async (c) => void emitted.push(c.eventId), onError: (e) => { throw e; } });
    await coalescer.add(changeOf('a', 'a1'));
    offset = -3_600_000; // an NTP step of an hour back
    await coalescer.add(changeOf('b', 'b1'));
    manual.advance(20);
    expect(emitted).toEqual(['a1', 'b1']);
    expect(manual.pendingTimers()).toBe(0);
  });
});

describe('tracking updates: order and rollback', () => {
  it('never rolls back: an older update is neither cached nor published', async () => {
    const clock = new ManualClock();
    const cache = createGatewayCache({ clock });
    const pubsub = createRealtimePubSub();
    const updates = createTrackingUpdates({ accountId: ACCOUNT, cache, coalescer: publishAtOnce(pubsub), clock });
    const sub = pubsub.subscribeTracking(ACCOUNT, 'a'.repeat(32));
    const v1 = tracking({ updated_at: '2026-03-02T10:00:00+00:00' });
    const v2 = tracking({ updated_at: '2026-03-03T10:00:00+00:00', tag: 'OutForDelivery', subtag: 'OutForDelivery_001' });
    const base = { source: 'webhook' as const, webhookEvent: 'tracking_update' as const, isFirstTag: false };
    expect((await updates.apply({ ...base, eventId: 'e2', ts: 200, tracking: v2 })).status).toBe('published');
    expect((await updates.apply({ ...base, eventId: 'e1', ts: 100, tracking: v1 })).status).toBe('stale');
    // Same updated_at but an older ts is stale as well.
    expect((await updates.apply({ ...base, eventId: 'e0', ts: 150, tracking: v2 })).status).toBe('stale');
    expect(cache.getTracking(ACCOUNT, 'a'.repeat(32))?.tag).toBe('OutForDelivery');
    const [only] = await take(sub, 1);
    expect(only!.eventId).toBe('e2');
    expect(await nothingPending(sub)).toBe(true);
    await sub.return();
  });
  it('delivers the events of one tracking in the order they were applied', async () => {
    const clock = new ManualClock();
    const cache = createGatewayCache({ clock });
    const pubsub = createRealtimePubSub();
    const updates = createTrackingUpdates({ accountId: ACCOUNT, cache, coalescer: publishAtOnce(pubsub), clock });
    const sub = pubsub.subscribeTracking(ACCOUNT, 'a'.repeat(32));
    const versions = [3, 4, 5, 6].map((d) => tracking({ updated_at: `2026-03-0${d}T10:00:00+00:00`, checkpoints: [checkpoint(d, 'InTransit', 'InTransit_003')] }));
    const base = { source: 'webhook' as const, webhookEvent: 'tracking_update' as const, isFirstTag: false };
    await Promise.all(versions.map((t, i) => updates.apply({ ...base, eventId: `e${i}`, ts: 100 + i, tracking: t })));
    const got = await take(sub, 4);
    expect(got.map((c) => c.eventId)).toEqual(['e0', 'e1', 'e2', 'e3']);
    // Each diff is against the previous event, not against the same old state.
    expect(got[2]!.newCheckpoints.map((c) => c.hash)).toEqual(['hash-5-InTransit_003']);
    await sub.return();
  });
});

describe('subscriber queues', () => {
  it('a slow subscriber drops its oldest events and never blocks the others', async () => {
    const pubsub = createRealtimePubSub({ maxBuffered: 2 });
    const slow = pubsub.subscribeEvents(ACCOUNT);
    const fast = pubsub.subscribeEvents(ACCOUNT, null, { maxBuffered: 10 });
    const before = digestOf(tracking({ updated_at: '2026-03-01T00:00:00Z' }));
    for (let i = 0; i < 5; i++) {
      const t = tracking({ updated_at: `2026-03-0${i + 2}T00:00:00Z` });
      await pubsub.publish(diffTracking({ accountId: ACCOUNT, eventId: `e${i}`, source: 'poll', webhookEvent: null, ts: null, isFirstTag: null, tracking: t, previous: before, now: 0 }));
    }
    expect((await take(fast, 5)).map((c) => c.eventId)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect((await take(slow, 2)).map((c) => c.eventId)).toEqual(['e3', 'e4']);
    expect(slow.dropped()).toBe(3);
    expect(pubsub.stats()).toMatchObject({ subscribers: 2, published: 5, dropped: 3 });
    await slow.return();
    await fast.return();
    expect(pubsub.stats().subscribers).toBe(0);
  });
  it('fans one event out to many subscribers of a tracking as one shared payload, touching no other tracking', async () => {
    const pubsub = createRealtimePubSub();
    const subs = Array.from({ length: 200 }, () => pubsub.subscribeTracking(ACCOUNT, 'a'.repeat(32)));
    const other = pubsub.subscribeTracking(ACCOUNT, 'b'.repeat(32));
    const t = tracking({ updated_at: '2026-03-03T00:00:00Z' });
    const change = diffTracking({ accountId: ACCOUNT, eventId: 'fan', source: 'webhook', webhookEvent: 'tracking_update', ts: 1, isFirstTag: false, tracking: t, previous: undefined, now: 0 });
    await pubsub.publish(change);
    const got = await Promise.all(subs.map((s) => s.next()));
    expect(got.every((r) => r.value === change)).toBe(true);
    expect(pubsub.stats().delivered).toBe(200);
    expect(await nothingPending(other)).toBe(true);
    await Promise.all([...subs, other].map((s) => s.return()));
  });
  it('counts watchers per tracking and releases them on return()', async () => {
    const pubsub = createRealtimePubSub();
    const a = pubsub.subscribeTracking(ACCOUNT, 't1');
    const b = pubsub.subscribeTracking(ACCOUNT, 't1');
    const s = pubsub.subscribeEvents(ACCOUNT, { trackingIds: ['t2', 't2'] });
    expect(pubsub.watcherCount(ACCOUNT, 't1')).toBe(2);
    expect(pubsub.watchedIds(ACCOUNT).sort()).toEqual(['t1', 't2']);
    await a.return();
    await s.return();
    expect(pubsub.watchedIds(ACCOUNT)).toEqual(['t1']);
    await b.return();
    expect(pubsub.watchedIds(ACCOUNT)).toEqual([]);
  });
  it('the bounded iterator ends after its buffer drains', async () => {
    const it = createBoundedIterator<number>(5, () => undefined);
    it.push(1);
    it.push(2);
    it.end();
    it.push(3);
    expect(await it.next()).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
    expect((await it.next()).done).toBe(true);
    expect(it.closed).toBe(true);
  });
});

describe('webhook receiver', () => {
  function setup(opts: { secret?: string; maxBodyBytes?: number } = { secret: SECRET }) {
    const clock = new ManualClock();
    const cache = createGatewayCache({ clock });
    const store = new Map<string, Tracking>();
    const client = mapClient(store);
    const rt: Realtime = createRealtime({ cache, client, accountId: ACCOUNT, webhookSecret: opts.secret, maxBodyBytes: opts.maxBodyBytes, clock, polling: { intervalMs: 1000, staleAfterMs: 5000 } });
    return { clock, cache, store, client, rt };
  }

  it('accepts a signed webhook: cache updated, subscriber told, repeats acknowledged but not delivered', async () => {
    const { rt, cache, client } = setup();
    const sub = rt.pubsub.subscribeTracking(ACCOUNT, 'l'.repeat(24)); // by legacy id
    const t = tracking({ updated_at: '2026-03-03T10:00:00+00:00', tag: 'OutForDelivery', subtag: 'OutForDelivery_001' });
    const body = webhookBody(t, { event_id: 'evt-once' });
    const res = await rt.handleWebhook(post(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'accepted', eventId: 'evt-once' });
    const retry = await rt.handleWebhook(post(body));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ status: 'duplicate' });
    const [c] = await take(sub, 1);
    expect(c).toMatchObject({ eventId: 'evt-once', tag: 'OutForDelivery', source: 'webhook', kinds: ['STATUS_CHANGED', 'NEW_CHECKPOINT'] });
    expect(await nothingPending(sub)).toBe(true);
    expect(cache.getTracking(ACCOUNT, 'a'.repeat(32))?.tag).toBe('OutForDelivery');
    expect(client.calls).toEqual([]);
    await rt.stop();
  });

  it('keeps a webhook\'s change in the memory event log as it was published: a replay has its whole tracking', async () => {
    const { rt } = setup();
    const sub = rt.pubsub.subscribeEvents(ACCOUNT);
    const start = await rt.eventLog.tail();
    const t = tracking({ updated_at: '2026-03-03T10:00:00+00:00', tag: 'OutForDelivery', subtag: 'OutForDelivery_001', title: 'naïve “quotes” ✓' });
    expect((await rt.handleWebhook(post(webhookBody(t, { event_id: 'evt-kept' })))).status).toBe(200);
    const [live] = await take(sub, 1);
    const { events } = await rt.eventLog.read(start, 10);
    expect(events).toHaveLength(1);
    // What was published, as JSON (what the Redis log gives back too).
    expect(events[0]).toEqual(JSON.parse(JSON.stringify(live)));
    expect(events[0]!.tracking).toEqual(JSON.parse(JSON.stringify(t)));
    // A repeat append gets the entry it has.
    expect(await rt.eventLog.append(live!)).toEqual(events[0]);
    expect((await rt.eventLog.stats()).bytes).toBeGreaterThan(JSON.stringify(t).length);
    await sub.return();
    await rt.stop();
  });

  it('refuses forged, unsigned, malformed and oversized deliveries with clear JSON errors, delivering nothing', async () => {
    const { rt, cache } = setup({ secret: SECRET, maxBodyBytes: 4096 });
    const sub = rt.pubsub.subscribeEvents(ACCOUNT);
    const t = tracking({ updated_at: '2026-03-03T10:00:00+00:00' });
    const body = webhookBody(t);

    const forged = await rt.handleWebhook(post(body, { 'aftership-hmac-sha256': signWebhookBody('not-the-secret', body) }));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });

    const unsigned = new Request('http://gw.test/webhooks/aftership', { method: 'POST', body });
    expect((await rt.handleWebhook(unsigned)).status).toBe(401);

    const tampered = post(body.replace('InTransit_001', 'Delivered_001'), { 'aftership-hmac-sha256': signWebhookBody(SECRET, body) });
    expect((await rt.handleWebhook(tampered)).status).toBe(401);

    const notJson = await rt.handleWebhook(post('{nope'));
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'INVALID_JSON' } });

    const wrongShape = await rt.handleWebhook(post(JSON.stringify({ event: 'order_created', event_id: 'x', msg: {}, ts: 'soon' })));
    expect(wrongShape.status).toBe(400);
    const err = (await wrongShape.json()) as { error: { code: string; problems: string[] } };
    expect(err.error.code).toBe('INVALID_WEBHOOK');
    expect(err.error.problems.join('\n')).toMatch(/event must be one of tracking_update, edd_revise, tracking_pending_time[\s\S]*ts must be[\s\S]*msg.id/);

    const big = JSON.stringify({ pad: 'x'.repeat(5000) });
    const declared = await rt.handleWebhook(post(big));
    expect(declared.status).toBe(413);
    // No Content-Length: the streamed bytes are counted.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1000)));
        c.close();
      },
    });
    const streamed = new Request('http://gw.test/webhooks/aftership', { method: 'POST', body: stream, duplex: 'half', headers: { 'aftership-hmac-sha256': 'abc' } } as RequestInit);
    expect(streamed.headers.get('content-length')).toBeNull();
    const streamedRes = await rt.handleWebhook(streamed);
    expect(streamedRes.status).toBe(413);
    expect(await streamedRes.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });

    expect(cache.getTracking(ACCOUNT, t.id!)).toBeUndefined();
    expect(await nothingPending(sub)).toBe(true);
    await rt.stop();
  });

  it('without a webhook secret refuses every delivery with 401', async () => {
    const { rt } = setup({});
    const res = await rt.handleWebhook(post(webhookBody(tracking({ updated_at: '2026-03-03T10:00:00+00:00' }))));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'WEBHOOKS_DISABLED' } });
    expect(rt.polling()).toBe(true);
    await rt.stop();
  });
});

describe('polling', () => {
  it('without webhooks, polls watched trackings in the background lane and publishes what changed', async () => {
    const clock = new ManualClock();
    const cache = createGatewayCache({ clock });
    const store = new Map<string, Tracking>();
    const client = mapClient(store);
    const id = 'a'.repeat(32);
    store.set(id, tracking({ updated_at: '2026-03-02T10:00:00+00:00' }));
    const rt = createRealtime({ cache, client, accountId: ACCOUNT, clock, polling: { intervalMs: 1000 } });

    const sub = rt.pubsub.subscribeTracking(ACCOUNT, id);
    await rt.pollNow(); // settles the baseline fetch started by the new watch
    expect(client.calls[0]).toBe(`${id}:background`);

    store.set(id, tracking({ updated_at: '2026-03-03T10:00:00+00:00', tag: 'Delivered', subtag: 'Delivered_001', checkpoints: [...store.get(id)!.checkpoints!, checkpoint(3, 'Delivered', 'Delivered_001')] }));
    clock.advance(1000);
    const [c] = await take(sub, 1);
    expect(c).toMatchObject({ source: 'poll', eventId: `poll:${id}:2026-03-03T10:00:00+00:00`, previousTag: 'InTransit', tag: 'Delivered', kinds: ['STATUS_CHANGED', 'NEW_CHECKPOINT'] });

    // Nothing new: a poll publishes nothing.
    clock.advance(1000);
    await rt.pollNow();
    expect(await nothingPending(sub)).toBe(true);

    // Nobody watching: nothing polled.
    await sub.return();
    const before = client.calls.length;
    clock.advance(5000);
    await rt.pollNow();
    expect(client.calls.length).toBe(before);
    await rt.stop();
  });

  it('with webhooks, polls only after they have been quiet for staleAfterMs', async () => {
    const clock = new ManualClock();
    const cache = createGatewayCache({ clock });
    const client = mapClient(new Map());
    const rt = createRealtime({ cache, client, accountId: ACCOUNT, webhookSecret: SECRET, clock, polling: { intervalMs: 1000, staleAfterMs: 10_000 } });
    expect(rt.polling()).toBe(false);
    clock.advance(9000);
    const res = await rt.handleWebhook(post(webhookBody(tracking({ updated_at: '2026-03-03T10:00:00+00:00' }))));
    expect(res.status).toBe(200);
    clock.advance(9000);
    expect(rt.polling()).toBe(false);
    clock.advance(1000);
    expect(rt.polling()).toBe(true);
    await rt.stop();
  });
});
