/**
 * Redis goes away and comes back (a private redis-server, killed and restarted empty, since the
 * shared one must stay up for other tests): both instances keep serving, log the loss and the
 * return once each, and no event is lost or delivered twice across the switch.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { silentLogger } from '../src/lib/logger.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import {
  API_KEY,
  WEBHOOK_SECRET,
  createPrivateRedis,
  createRecordingLogger,
  deliver,
  startInstance,
  subscribe,
  tracking,
  uniquePrefix,
  waitFor,
  waitForChannelSubscribers,
  type PrivateRedis,
  type Subscriber,
} from './redis-support.js';

const prefix = uniquePrefix('faults');
let redis: PrivateRedis;
let sandbox: Sandbox;
let a: App;
let b: App;
let account: string;
const logA = createRecordingLogger();
const logB = createRecordingLogger();
const subs: Subscriber[] = [];

beforeAll(async () => {
  redis = await createPrivateRedis();
  await redis.start();
  sandbox = createSandbox({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, autoAdvance: false, logger: silentLogger, seed: 20 });
  const sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  const env = { REDIS_URL: redis.url, REDIS_PREFIX: prefix, GATEWAY_INSTANCES: '2' };
  [a, b] = await Promise.all([startInstance(sandbox, sandboxUrl, env, logA), startInstance(sandbox, sandboxUrl, env, logB)]);
  account = 'default';
  await waitFor(() => Boolean(a.ops.scaleOut?.up() && b.ops.scaleOut?.up()), 5000, 'both connected');
});

afterAll(async () => {
  for (const s of subs) await s.dispose();
  await Promise.all([a?.stop(), b?.stop()]);
  await sandbox?.close();
  await redis?.stop(); // its data dies with it (no persistence)
});

const EVENTS = 'subscription { trackingEvents { eventId tracking { aftershipId updatedAt } } }';
const ids = (s: Subscriber): string[] => s.events.map((e) => (e.trackingEvents as { eventId: string }).eventId);
const settled = async (app: App): Promise<void> => {
  await waitFor(() => app.ops.scaleOut!.up(), 10_000, 'Redis back');
  expect(await app.ops.scaleOut!.bus.settled(8000)).toBe(true);
  expect(await app.ops.scaleOut!.dedupFor(account).synced(5000)).toBe(true);
};

describe('Redis stopped and restarted', () => {
  it('loses no event and duplicates none; reads keep working; loss and return are logged once', async () => {
    const x = randomBytes(16).toString('hex');
    const y = randomBytes(16).toString('hex');
    const onA = subscribe(a, EVENTS);
    const onB = subscribe(b, EVENTS);
    subs.push(onA, onB);
    await waitForChannelSubscribers(redis.url, `${prefix}ps:trackings:${account}`, 2);

    expect((await deliver(a, 'f-1', tracking(x, 2))).body.status).toBe('accepted');
    await waitFor(() => ids(onA).length === 1 && ids(onB).length === 1, 5000, 'f-1 everywhere');

    await redis.stop();
    await waitFor(() => !a.ops.scaleOut!.up() && !b.ops.scaleOut!.up(), 5000, 'both notice');

    // Webhooks keep flowing to each instance's own subscribers; local repeats are refused.
    expect((await deliver(a, 'f-2', tracking(x, 3))).body.status).toBe('accepted');
    expect((await deliver(a, 'f-2', tracking(x, 3))).body.status).toBe('duplicate');
    expect((await deliver(b, 'f-3', tracking(y, 4))).body.status).toBe('accepted');
    await waitFor(() => ids(onA).includes('f-2') && ids(onB).includes('f-3'), 5000, 'local delivery during the outage');
    // Reads keep working, on this instance's share of the budget: GET /trackings/:id allows 5/s,
    // so with GATEWAY_INSTANCES=2 each instance sends at most 2 in any second.
    const seededAll = sandbox.store.list();
    const seeded = seededAll[0];
    sandbox.requests.reset();
    const got = await Promise.all(seededAll.slice(0, 5).map((t) => a.ops.account().client.getTracking(t.id!)));
    expect(got.map((t) => t.id)).toEqual(seededAll.slice(0, 5).map((t) => t.id));
    expect(sandbox.requests.count({ endpoint: 'GET /trackings/:id' })).toBe(5);
    expect(sandbox.requests.maxInWindow({ endpoint: 'GET /trackings/:id', include429: true })).toBe(2);
    const graph = await fetch(`${b.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($id: ID!) { tracking(id: $id) { aftershipId } }', variables: { id: seeded.id } }),
    });
    expect(await graph.json()).toEqual({ data: { tracking: { aftershipId: seeded.id } } });
    // Some time with reconnect attempts failing: still one warning per instance (checked below).
    await new Promise((r) => setTimeout(r, 600));

    await redis.start();
    await Promise.all([settled(a), settled(b)]);
    // What each instance kept during the outage reached the other one.
    await waitFor(() => ids(onA).includes('f-3') && ids(onB).includes('f-2'), 5000, 'kept events delivered after the return');

    // Redis came back empty, yet every id seen before or during the outage is a repeat everywhere.
    for (const [app, id, t] of [
      [b, 'f-1', tracking(x, 2)],
      [b, 'f-2', tracking(x, 3)],
      [a, 'f-3', tracking(y, 4)],
    ] as const) {
      expect((await deliver(app, id, t)).body.status, `${id} retried`).toBe('duplicate');
    }
    // Just back, A's own outage-time sends are not in Redis: for a while A must satisfy its share too.
    sandbox.requests.reset();
    await Promise.all(seededAll.slice(5, 8).map((t) => a.ops.account().client.getTracking(t.id!)));
    expect(sandbox.requests.maxInWindow({ endpoint: 'GET /trackings/:id', include429: true })).toBe(2);

    expect((await deliver(b, 'f-4', tracking(y, 5))).body.status).toBe('accepted');
    await waitFor(() => ids(onA).includes('f-4') && ids(onB).includes('f-4'), 5000, 'f-4 everywhere');

    expect([...ids(onA)].sort()).toEqual(['f-1', 'f-2', 'f-3', 'f-4']);
    expect([...ids(onB)].sort()).toEqual(['f-1', 'f-2', 'f-3', 'f-4']);
    // Each instance's cache caught up with the other's outage-time updates.
    expect(b.ops.cache.peekTracking(account, x)?.value.updated_at).toBe(tracking(x, 3).updated_at);
    expect(a.ops.cache.peekTracking(account, y)?.value.updated_at).toBe(tracking(y, 5).updated_at);

    for (const log of [logA, logB]) {
      expect(log.lines.filter((l) => l.level === 'warn' && l.msg.startsWith('Redis is unavailable'))).toHaveLength(1);
      expect(log.lines.filter((l) => l.msg.startsWith('Redis is back'))).toHaveLength(1);
    }
  });
});
