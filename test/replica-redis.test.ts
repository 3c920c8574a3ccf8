/**
 * The warm replica shared through Redis (issue 14): instance A warms up into the copy; B, started
 * after A is warm, loads it and answers its first 1,000 distinct tracking(id) lookups with at most a
 * few AfterShip calls; A restarted is warm at once the same way; two instances starting together warm
 * up once; a webhook's change on A reaches the copy; the copy honours REPLICA_MAX_TRACKINGS.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import type { Tracking } from '../src/aftership/wire-types.js';
import { systemClock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/logger.js';
import { createRedisReplicaCopy } from '../src/redis/index.js';
import { createReplicaStore } from '../src/replica/index.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { API_KEY, SHARED_REDIS_URL, WEBHOOK_SECRET, cleanPrefix, startInstance, uniquePrefix, waitFor } from './redis-support.js';

const N = 3000;
/** AfterShip lists the last 120 days; the seeded world spans six weeks. */
const ON = { REPLICA_ENABLED: 'true', REPLICA_WINDOW_DAYS: '120', AFTERSHIP_QUEUE_TIMEOUT_MS: '60000' };

let sandbox: Sandbox;
let sandboxUrl: string;
let all: Tracking[];
let redis: Redis;
const apps: App[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  sandbox = createSandbox({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, seed: N, autoAdvance: false, logger: silentLogger });
  sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  all = sandbox.store.list();
  redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
});
afterAll(async () => {
  await Promise.all(prefixes.map((p) => cleanPrefix(SHARED_REDIS_URL, p)));
  redis.disconnect();
  await sandbox.close();
});

function freshPrefix(name: string): string {
  const p = uniquePrefix(`replica-${name}`);
  prefixes.push(p);
  return p;
}

async function start(prefix: string, env: Record<string, string> = {}): Promise<App> {
  const app = await startInstance(sandbox, sandboxUrl, { REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix, ...ON, ...env });
  apps.push(app);
  return app;
}

async function stop(app: App): Promise<void> {
  apps.splice(apps.indexOf(app), 1);
  await app.stop();
}

/** Looks every id up, 50 aliases a query, 4 queries at a time. */
async function lookUp(app: App, ids: string[]): Promise<{ errors: unknown[]; found: Map<string, string> }> {
  const errors: unknown[] = [];
  const found = new Map<string, string>();
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 50) chunks.push(ids.slice(i, i + 50));
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++];
        const query = `{ ${chunk.map((id, i) => `t${i}: tracking(id: "${id}") { aftershipId updatedAt }`).join(' ')} }`;
        const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        const body = (await res.json()) as { data?: Record<string, { aftershipId: string; updatedAt: string } | null>; errors?: unknown[] };
        if (body.errors) errors.push(...body.errors);
        chunk.forEach((id, i) => {
          const t = body.data?.[`t${i}`];
          if (t) found.set(id, t.aftershipId);
        });
      }
    }),
  );
  return { errors, found };
}

const replicaOf = (app: App) => app.ops.account();
const meta = (prefix: string) => redis.hgetall(`${prefix}default:replica:meta`);
const held = (prefix: string) => redis.hlen(`${prefix}default:replica:data`);
/** Tracking requests the sandbox answered from `since` on (the health check's GET /couriers, every 15 s on each instance, aside). */
const callsSince = (since: number) => sandbox.requests.count((e) => e.at >= since && e.endpoint !== 'GET /couriers');

describe(`the warm replica shared through Redis (${N} trackings)`, () => {
  it('B started after A is warm answers its first 1,000 distinct lookups with at most a few calls; A restarted is warm at once', async () => {
    const prefix = freshPrefix('ab');
    const a = await start(prefix);
    sandbox.setWebhookTarget(`${a.url}/webhooks/aftership`, WEBHOOK_SECRET);
    await replicaOf(a).replicaSync!.warmup();
    expect(replicaOf(a).replicaSync!.progress()).toMatchObject({ state: 'ready', source: 'warm-up' });
    await waitFor(async () => (await meta(prefix)).fullAt !== undefined, 10_000, 'the copy written');
    expect(await held(prefix)).toBe(N);
    expect(await meta(prefix)).toMatchObject({ complete: '1', windowMs: String(120 * 86_400_000) });

    const bStart = Date.now();
    const b = await start(prefix);
    // Its first lookups start at once, while it reads the copy.
    const ids = all.slice(0, 1000).map((t) => t.id!);
    const { errors, found } = await lookUp(b, ids);
    expect(errors).toEqual([]);
    expect(found.size).toBe(1000);
    await replicaOf(b).replicaSync!.warmup();
    expect(replicaOf(b).replicaSync!.progress()).toMatchObject({ state: 'ready', source: 'redis' });
    expect(replicaOf(b).replica.coverage()).toMatchObject({ complete: true, trackings: N });
    const ready = (await (await fetch(`${b.url}/readyz`)).json()) as { replica: Record<string, unknown> };
    expect(ready.replica).toMatchObject({ state: 'ready', source: 'redis', trackings: N, complete: true });

    // The incremental pass since the copy's asOf: one list call.
    expect(callsSince(bStart)).toBeLessThanOrEqual(3);
    expect(sandbox.requests.count({ since: bStart, endpoint: 'GET /trackings/:id' })).toBe(0);
    expect(sandbox.requests.count({ status: 429 })).toBe(0);

    // A restarted: warm at once from the copy, not a second warm-up.
    await stop(a);
    const restart = Date.now();
    const a2 = await start(prefix);
    const again = await lookUp(a2, all.slice(1000, 2000).map((t) => t.id!));
    expect(again.errors).toEqual([]);
    expect(again.found.size).toBe(1000);
    await replicaOf(a2).replicaSync!.warmup();
    expect(replicaOf(a2).replicaSync!.progress()).toMatchObject({ source: 'redis' });
    expect(replicaOf(a2).replicaSync!.progress().calls).toBeLessThanOrEqual(1);
    expect(callsSince(restart)).toBeLessThanOrEqual(3);
  });

  it('two instances starting together warm up once: one lists, the other loads what it wrote', async () => {
    const prefix = freshPrefix('together');
    const since = Date.now();
    const [a, b] = await Promise.all([start(prefix), start(prefix)]);
    await Promise.all([replicaOf(a).replicaSync!.warmup(), replicaOf(b).replicaSync!.warmup()]);
    const sources = [replicaOf(a), replicaOf(b)].map((r) => r.replicaSync!.progress().source).sort();
    expect(sources).toEqual(['redis', 'warm-up']);
    for (const app of [a, b]) expect(replicaOf(app).replica.size()).toBe(N);
    // One warm-up's list calls (15 pages in four slices, plus the catch-up), one incremental pass, a handful more.
    const lists = sandbox.requests.count({ since, endpoint: 'GET /trackings' });
    expect(lists).toBeLessThanOrEqual(Math.ceil(N / 200) + 5 + 2);
  });

  it("a webhook's change on A reaches the copy; an instance started later has it with no call", async () => {
    const prefix = freshPrefix('webhook');
    const a = await start(prefix);
    sandbox.setWebhookTarget(`${a.url}/webhooks/aftership`, WEBHOOK_SECRET);
    await replicaOf(a).replicaSync!.warmup();
    const moving = all.filter((t) => t.active)[3];
    const moved = await sandbox.moveTracking(moving.id!);
    await waitFor(async () => {
      const json = await redis.hget(`${prefix}default:replica:data`, moving.id!);
      return json !== null && (JSON.parse(json) as Tracking).updated_at === moved!.updated_at;
    }, 10_000, 'the change in the copy');
    const b = await start(prefix);
    await replicaOf(b).replicaSync!.warmup();
    expect(replicaOf(b).replica.get(moving.id!)?.updated_at).toBe(moved!.updated_at);
  });

  it('the copy honours REPLICA_MAX_TRACKINGS: delivered ones go first, and it says incomplete', async () => {
    const prefix = freshPrefix('cap');
    const a = await start(prefix, { REPLICA_MAX_TRACKINGS: '500' });
    await replicaOf(a).replicaSync!.warmup();
    await waitFor(async () => (await meta(prefix)).fullAt !== undefined, 10_000, 'the copy written');
    const count = await held(prefix);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(500);
    expect((await meta(prefix)).complete).toBe('0');
    // The same caps and eviction order as the instance's own replica, so the copy holds what it holds:
    // active trackings first (the seeded world has more than 500), past the 1% slack eviction leaves.
    const kept = (await redis.hvals(`${prefix}default:replica:data`)).map((j) => JSON.parse(j) as Tracking);
    expect(new Set(kept.map((t) => t.id))).toEqual(new Set(all.filter((t) => replicaOf(a).replica.get(t.id!)).map((t) => t.id)));
    expect(all.filter((t) => t.active !== false && t.tag !== 'Delivered' && t.tag !== 'Expired').length).toBeGreaterThan(500);
    expect(kept.filter((t) => t.active === false || t.tag === 'Delivered' || t.tag === 'Expired').length).toBeLessThanOrEqual(5);
    // The bytes bookkeeping matches what is held.
    const bytes = kept.reduce((sum, t) => sum + Buffer.byteLength(JSON.stringify(t)) + 200, 0);
    expect(Number((await meta(prefix)).bytes)).toBe(bytes);

    // B loads the capped copy (no second warm-up) and says it is incomplete.
    const b = await start(prefix, { REPLICA_MAX_TRACKINGS: '500' });
    await replicaOf(b).replicaSync!.warmup();
    expect(replicaOf(b).replicaSync!.progress().source).toBe('redis');
    expect(replicaOf(b).replica.coverage()).toMatchObject({ complete: false });
    expect(replicaOf(b).replica.size()).toBe(count);
  });

  it('the copy honours REPLICA_MAX_BYTES', async () => {
    const prefix = freshPrefix('bytes');
    const a = await start(prefix, { REPLICA_MAX_BYTES: '1048576' });
    await replicaOf(a).replicaSync!.warmup();
    await waitFor(async () => (await meta(prefix)).fullAt !== undefined, 10_000, 'the copy written');
    expect(Number((await meta(prefix)).bytes)).toBeLessThanOrEqual(1_048_576);
    expect(await held(prefix)).toBeLessThan(N);
    expect((await meta(prefix)).complete).toBe('0');
  });

  it('bounds itself when a writer with larger caps fills it: the first in eviction order go, newest updated_at wins', async () => {
    const prefix = freshPrefix('lua');
    const health = { up: () => true, onChange: () => () => undefined };
    const copy = createRedisReplicaCopy({ redis, health, prefix: `${prefix}default:`, maxEntries: 100, maxBytes: 64 * 1024 * 1024, clock: systemClock, logger: silentLogger });
    const sample = all.slice(0, 300);
    for (const t of sample) copy.put(t);
    await copy.flush();
    const count = await held(prefix);
    expect(count).toBeLessThanOrEqual(100);
    expect(count).toBeGreaterThanOrEqual(99);
    expect((await meta(prefix)).complete).toBe('0');
    // Exactly what the in-memory replica keeps with the same caps and the same writes.
    const store = createReplicaStore({ accountId: 'default', clock: systemClock, windowMs: 365 * 86_400_000, maxEntries: 100 });
    for (const t of sample) store.put(t);
    const expected = sample.filter((t) => store.get(t.id!)).map((t) => t.id);
    expect(new Set(await redis.hkeys(`${prefix}default:replica:data`))).toEqual(new Set(expected));
    // An older version never replaces a newer one.
    const kept = sample.find((t) => t.id === expected[0])!;
    copy.put({ ...kept, updated_at: '2020-01-01T00:00:00+00:00', tag: 'Expired' });
    await copy.flush();
    expect((JSON.parse((await redis.hget(`${prefix}default:replica:data`, kept.id!))!) as Tracking).updated_at).toBe(kept.updated_at);
    // A removal frees its bytes.
    const before = Number((await meta(prefix)).bytes);
    copy.remove(kept.id!, false);
    await copy.flush();
    expect(Number((await meta(prefix)).bytes)).toBe(before - Buffer.byteLength(JSON.stringify(kept)) - 200);
    copy.close();
  });

  it('a write lost while Redis fails invalidates the copy: instances starting later warm up instead of loading holes', async () => {
    const prefix = freshPrefix('lost');
    let failing = false;
    // The real client, except that scripts fail while `failing` (as they do while Redis is away).
    const flaky = new Proxy(redis, {
      get(target, key, receiver) {
        if ((key === 'evalsha' || key === 'eval') && failing) return () => Promise.reject(new Error('Command timed out'));
        const v = Reflect.get(target, key, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const health = { up: () => true, onChange: () => () => undefined };
    const copy = createRedisReplicaCopy({ redis: flaky, health, prefix: `${prefix}default:`, maxEntries: 1000, maxBytes: 64 * 1024 * 1024, clock: systemClock, logger: silentLogger });
    for (const t of all.slice(0, 10)) copy.put(t);
    const now = Date.now();
    copy.passed({ asOf: now, full: { complete: true, windowMs: 86_400_000 } });
    await waitFor(async () => (await copy.meta()) !== undefined, 5000, 'the meta');
    expect(await copy.meta()).toMatchObject({ fullAt: now, asOf: now, complete: true });

    failing = true;
    copy.put({ ...all[0], updated_at: new Date(now).toISOString() });
    await copy.flush();
    failing = false;
    await waitFor(async () => (await copy.meta()) === undefined, 5000, 'the copy invalidated');
    // Later passes do not make it loadable again; only a full pass does.
    copy.passed({ asOf: now + 1000 });
    await copy.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(await copy.meta()).toBeUndefined();
    copy.close();
  });
});
