/**
 * Two gateway instances sharing Redis behave as one for live tracking: a webhook received by
 * either reaches subscribers on both, exactly once; a retry to the other instance is a repeat;
 * each instance's cache learns what the other learned.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { silentLogger } from '../src/lib/logger.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import {
  API_KEY,
  SHARED_REDIS_URL,
  WEBHOOK_SECRET,
  cleanPrefix,
  deliver,
  startInstance,
  subscribe,
  tracking,
  uniquePrefix,
  waitFor,
  waitForChannelSubscribers,
  type Subscriber,
} from './redis-support.js';

const prefix = uniquePrefix('realtime');
let sandbox: Sandbox;
let a: App;
let b: App;
let account: string;
const subs: Subscriber[] = [];

beforeAll(async () => {
  sandbox = createSandbox({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, autoAdvance: false, logger: silentLogger, seed: 5 });
  const sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  const env = { REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
  [a, b] = await Promise.all([startInstance(sandbox, sandboxUrl, env), startInstance(sandbox, sandboxUrl, env)]);
  account = 'default';
});

afterAll(async () => {
  for (const s of subs) await s.dispose();
  await Promise.all([a?.stop(), b?.stop()]);
  await sandbox?.close();
  await cleanPrefix(SHARED_REDIS_URL, prefix);
});

const UPDATED = 'subscription($id: ID!) { trackingUpdated(id: $id) { aftershipId tag } }';
const EVENTS = 'subscription($ids: [ID!]) { trackingEvents(filter: { trackingIds: $ids }) { eventId kinds tag tracking { aftershipId } } }';
const newId = (): string => randomBytes(16).toString('hex');

async function watch(app: App, query: string, variables: Record<string, unknown>, channel: string): Promise<Subscriber> {
  const s = subscribe(app, query, variables);
  subs.push(s);
  await waitForChannelSubscribers(SHARED_REDIS_URL, `${prefix}ps:${channel}`, 1);
  return s;
}

describe('two instances, one Redis', () => {
  it('a webhook to A reaches subscribers on A and B exactly once; the retry to B is a repeat', async () => {
    const id = newId();
    const onB = await watch(b, UPDATED, { id }, `tracking:${account}:${id}`);
    const streamB = await watch(b, EVENTS, { ids: [id] }, `trackings:${account}`);
    const onA = subscribe(a, UPDATED, { id });
    subs.push(onA);
    await waitFor(() => a.ops.account().realtime.pubsub.watcherCount(account, id) === 1, 5000, 'A subscribed');

    const first = await deliver(a, 'evt-1', tracking(id, 2, 'InTransit'));
    expect(first).toMatchObject({ status: 200, body: { status: 'accepted' } });
    await waitFor(() => onB.events.length === 1 && streamB.events.length === 1 && onA.events.length === 1, 5000, 'first event everywhere');
    expect(onB.events[0]).toEqual({ trackingUpdated: { aftershipId: id, tag: 'IN_TRANSIT' } });
    expect(streamB.events[0]).toMatchObject({ trackingEvents: { eventId: 'evt-1', tracking: { aftershipId: id } } });

    // AfterShip retries the same event to the other instance: a repeat, delivered to nobody.
    const retry = await deliver(b, 'evt-1', tracking(id, 2, 'InTransit'));
    expect(retry).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    // A later event, sent after the retry on the same path, shows the retry produced nothing.
    expect((await deliver(b, 'evt-2', tracking(id, 3, 'OutForDelivery'))).body.status).toBe('accepted');
    await waitFor(() => onA.events.length === 2 && onB.events.length === 2 && streamB.events.length === 2, 5000, 'second event everywhere');
    expect(onA.events.map((e) => (e.trackingUpdated as { tag: string }).tag)).toEqual(['IN_TRANSIT', 'OUT_FOR_DELIVERY']);
    expect(onB.events.map((e) => (e.trackingUpdated as { tag: string }).tag)).toEqual(['IN_TRANSIT', 'OUT_FOR_DELIVERY']);
    expect(streamB.events.map((e) => (e.trackingEvents as { eventId: string }).eventId)).toEqual(['evt-1', 'evt-2']);
    // The event B received from A made A's state B's baseline: the diff is against day 2, not nothing.
    expect((streamB.events[1].trackingEvents as { kinds: string[] }).kinds).toContain('STATUS_CHANGED');
    expect(onA.errors.concat(onB.errors, streamB.errors)).toEqual([]);
  });

  it('multiplexes per instance: subscribers of one operation share one execution on each instance, and each gets every event once', async () => {
    const id = newId();
    const [pa, pb] = [a, b].map((app) => app.ops.account().realtime.pubsub);
    const before = [pa.stats(), pb.stats()];
    const onA = [subscribe(a, UPDATED, { id }), subscribe(a, UPDATED, { id }), subscribe(a, UPDATED, { id })];
    const onB = [subscribe(b, UPDATED, { id }), subscribe(b, UPDATED, { id })];
    subs.push(...onA, ...onB);
    await waitFor(() => pa.stats().subscribers === before[0]!.subscribers + 3 && pb.stats().subscribers === before[1]!.subscribers + 2, 5000, 'all subscribed');
    // One Redis subscription per instance for the tracking, however many subscribers.
    await waitForChannelSubscribers(SHARED_REDIS_URL, `${prefix}ps:tracking:${account}:${id}`, 2);
    expect(pa.watcherCount(account, id)).toBe(1);
    expect(pb.watcherCount(account, id)).toBe(1);

    expect((await deliver(a, `mx-${id}-2`, tracking(id, 2, 'InTransit'))).body.status).toBe('accepted');
    expect((await deliver(b, `mx-${id}-3`, tracking(id, 3, 'OutForDelivery'))).body.status).toBe('accepted');
    await waitFor(() => [...onA, ...onB].every((s) => s.events.length === 2), 5000, 'both events everywhere');
    // A later event, whichever instance received it, shows nothing arrived twice.
    expect((await deliver(a, `mx-${id}-4`, tracking(id, 4, 'Delivered'))).body.status).toBe('accepted');
    await waitFor(() => [...onA, ...onB].every((s) => s.events.length === 3), 5000, 'the third event everywhere');
    for (const s of [...onA, ...onB]) {
      expect(s.events.map((e) => (e.trackingUpdated as { tag: string }).tag)).toEqual(['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);
      expect(s.errors).toEqual([]);
    }
    // Each instance ran one execution per event for all its subscribers (not one per subscriber).
    expect(pa.stats().executions - before[0]!.executions).toBe(3);
    expect(pb.stats().executions - before[1]!.executions).toBe(3);
    expect(pa.stats().delivered - before[0]!.delivered).toBe(9);
    expect(pb.stats().delivered - before[1]!.delivered).toBe(6);
  });

  it("each instance's cache learns the other's newer trackings, and never rolls back", async () => {
    const id = newId();
    await deliver(a, `evt-${id}-5`, tracking(id, 5, 'InTransit'));
    await waitFor(() => b.ops.cache.peekTracking(account, id)?.value.updated_at === tracking(id, 5).updated_at, 5000, 'B learns day 5');

    // B gets a newer version by webhook; A learns it.
    await deliver(b, `evt-${id}-7`, tracking(id, 7, 'Delivered'));
    await waitFor(() => a.ops.cache.peekTracking(account, id)?.value.tag === 'Delivered', 5000, 'A learns day 7');

    // A late, older version delivered to A is stale there and reaches nobody's cache.
    expect((await deliver(a, `evt-${id}-6`, tracking(id, 6, 'OutForDelivery'))).body.status).toBe('stale');
    await new Promise((r) => setTimeout(r, 100));
    expect(b.ops.cache.peekTracking(account, id)?.value.tag).toBe('Delivered');

    // A query on B is answered from its cache: no AfterShip call.
    sandbox.requests.reset();
    const res = await fetch(`${b.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($id: ID!) { tracking(id: $id) { aftershipId tag } }', variables: { id } }),
    });
    expect(await res.json()).toEqual({ data: { tracking: { aftershipId: id, tag: 'DELIVERED' } } });
    expect(sandbox.requests.count()).toBe(0);
  });

  it('deletes reach the other instance', async () => {
    const id = newId();
    await deliver(a, `evt-${id}`, tracking(id, 4));
    await waitFor(() => b.ops.cache.peekTracking(account, id) !== undefined, 5000, 'B learns it');
    a.ops.cache.deleteTracking(account, id);
    await waitFor(() => b.ops.cache.peekTracking(account, id) === undefined, 5000, 'B forgets it');
    // The tombstone travelled too: a late copy of the deleted version is not stored on B.
    expect(b.ops.cache.putTracking(account, tracking(id, 4))).toBe(false);
  });
});
