/**
 * One AfterShip rate budget for all instances: the Redis store answers exactly like the memory
 * store, shares one time line between instances whose clocks disagree, and two gateways under load
 * together never exceed an endpoint's limit in any rolling second at the sandbox (without Redis they do).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createMemoryBudgetStore, type BudgetStore, type BudgetWindow } from '../src/aftership/budget-store-memory.js';
import { ManualClock, type Clock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/logger.js';
import { createRedisBudgetStore } from '../src/redis/index.js';
import { createSandbox } from '../src/sandbox/index.js';
import { post } from './access-support.js';
import { API_KEY, SHARED_REDIS_URL, WEBHOOK_SECRET, cleanPrefix, startInstance, uniquePrefix } from './redis-support.js';

const prefix = uniquePrefix('budget');
const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });

afterAll(async () => {
  await cleanPrefix(SHARED_REDIS_URL, prefix);
  redis.disconnect();
});

/** A small deterministic PRNG so the sequence is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Redis budget store', () => {
  it('answers exactly like the memory store over a random sequence (caller time)', async () => {
    const clock = new ManualClock(1_000_000);
    const mem = createMemoryBudgetStore({ inflightTtlMs: 3000 });
    const red = createRedisBudgetStore({ redis, prefix: `${prefix}eq:`, time: 'caller', inflightTtlMs: 3000, clock });
    const windows: BudgetWindow[][] = [
      [
        { key: 'a:ep:x', windowMs: 1010, limit: 3 },
        { key: 'a:account', windowMs: 3010, limit: 10 },
      ],
      [
        { key: 'a:ep:y', windowMs: 1010, limit: 2 },
        { key: 'a:account', windowMs: 3010, limit: 10 },
      ],
    ];
    const random = rng(42);
    const inFlight: { ticket: string; keys: string[] }[] = [];
    let granted = 0;
    let refused = 0;
    for (let i = 0; i < 600; i++) {
      clock.advance(Math.floor(random() * 180));
      const now = clock.now();
      const roll = random();
      if (roll < 0.55) {
        const w = windows[random() < 0.6 ? 0 : 1];
        const ticket = `t${i}`;
        const [m, r] = [await mem.tryAcquire(w, now, ticket), await red.tryAcquire(w, now, ticket)];
        expect(r, `step ${i}`).toEqual(m);
        if (m.ok) {
          granted++;
          // Some sends are never completed: they must stop counting after the in-flight TTL.
          if (random() < 0.9) inFlight.push({ ticket, keys: w.map((x) => x.key) });
        } else refused++;
      } else if (roll < 0.9 && inFlight.length > 0) {
        const { ticket, keys } = inFlight.splice(Math.floor(random() * inFlight.length), 1)[0];
        await mem.complete(keys, ticket, now);
        await red.complete(keys, ticket, now);
        // complete is idempotent
        if (random() < 0.2) await red.complete(keys, ticket, now + 5);
      } else if (roll < 0.95) {
        const key = random() < 0.5 ? 'a:ep:y' : 'a:account';
        const until = now + Math.floor(random() * 1500);
        await mem.pause(key, until);
        await red.pause(key, until);
        expect(await red.pausedUntil(key)).toBe(await mem.pausedUntil(key));
      }
    }
    expect(granted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('shares each instance\'s demand and makes instances take turns for scarce slots, like the memory store', async () => {
    const clock = new ManualClock(0);
    const mem = createMemoryBudgetStore();
    const red = createRedisBudgetStore({ redis, prefix: `${prefix}turns:`, time: 'caller', clock });
    const w: BudgetWindow[] = [{ key: 'acc:ep:t', windowMs: 1000, limit: 2 }];
    const both = async (now: number, ticket: string, waiting: number) => {
      const demand = { owner: ticket.slice(0, ticket.lastIndexOf(':')), waiting: [waiting] };
      const [m, r] = [await mem.tryAcquire(w, now, ticket, demand), await red.tryAcquire(w, now, ticket, demand)];
      expect(r, ticket).toEqual(m);
      return m;
    };
    const complete = async (ticket: string, at: number) => {
      await mem.complete(['acc:ep:t'], ticket, at);
      await red.complete(['acc:ep:t'], ticket, at);
    };
    expect(await both(0, 'acc:A:1', 5)).toEqual({ ok: true, others: [[]] });
    expect(await both(0, 'acc:B:1', 3)).toEqual({ ok: true, others: [[4]] });
    expect(await both(0, 'acc:A:2', 4)).toEqual({ ok: false, retryAtMs: 1000, blockedBy: 'acc:ep:t', others: [[2]] });
    expect(await both(0, 'acc:B:2', 2)).toEqual({ ok: false, retryAtMs: 1000, blockedBy: 'acc:ep:t', others: [[4]] });
    await complete('acc:A:1', 10);
    await complete('acc:B:1', 10);
    expect(await both(1010, 'acc:A:3', 4)).toEqual({ ok: true, others: [[2]] });
    // One slot left and B holds fewer sends than A: A yields its turn.
    expect(await both(1010, 'acc:A:4', 3)).toEqual({ ok: false, retryAtMs: 1060, blockedBy: 'acc:ep:t', others: [[2]] });
    expect(await both(1010, 'acc:B:3', 2)).toEqual({ ok: true, others: [[3]] });
    // B's demand stops counting shortly after it was due back; A's queue is all that is left.
    expect(await both(1400, 'acc:A:5', 3)).toEqual({ ok: false, retryAtMs: 2400, blockedBy: 'acc:ep:t', others: [[]] });
  });

  it('keeps one time line (Redis TIME) for instances whose clocks disagree', async () => {
    const skewed = (offsetMs: number): Clock => ({ now: () => Date.now() + offsetMs, setTimer: () => ({ cancel() {} }), sleep: async () => undefined });
    const clockA = skewed(0);
    const clockB = skewed(5000);
    const storeA = createRedisBudgetStore({ redis, prefix: `${prefix}time:`, clock: clockA });
    const storeB = createRedisBudgetStore({ redis, prefix: `${prefix}time:`, clock: clockB });
    const w: BudgetWindow[] = [{ key: 'acct:ep:z', windowMs: 1000, limit: 2 }];

    expect(await storeA.tryAcquire(w, clockA.now(), 'a1')).toEqual({ ok: true });
    // B's clock is 5 s ahead: with caller time the first send would already look expired to it.
    expect(await storeB.tryAcquire(w, clockB.now(), 'b1')).toEqual({ ok: true });
    const refusedA = await storeA.tryAcquire(w, clockA.now(), 'a2');
    const refusedB = await storeB.tryAcquire(w, clockB.now(), 'b2');
    expect(refusedA.ok || refusedB.ok).toBe(false);
    // Retry times come back on each caller's own clock (sends in flight: now + window).
    if (!refusedA.ok) expect(Math.abs(refusedA.retryAtMs - (clockA.now() + 1000))).toBeLessThan(100);
    if (!refusedB.ok) expect(Math.abs(refusedB.retryAtMs - (clockB.now() + 1000))).toBeLessThan(100);

    // A pause set by B (in B's time) holds A until the same instant, in A's time.
    await storeA.complete(['acct:ep:z'], 'a1', clockA.now());
    await storeB.complete(['acct:ep:z'], 'b1', clockB.now());
    await storeB.pause('acct:ep:z', clockB.now() + 3000);
    const paused = await storeA.tryAcquire(w, clockA.now(), 'a3');
    expect(paused.ok).toBe(false);
    if (!paused.ok) expect(Math.abs(paused.retryAtMs - (clockA.now() + 3000))).toBeLessThan(100);
    expect(Math.abs((await storeA.pausedUntil('acct:ep:z')) - (clockA.now() + 3000))).toBeLessThan(100);
  });
});

describe('two gateways under load', () => {
  /** Starts two instances on one sandbox, fires the same load at both, returns the sandbox's log. */
  async function loadBoth(env: Record<string, string>) {
    const sandbox = createSandbox({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, autoAdvance: false, logger: silentLogger, seed: 20 });
    const url = await sandbox.listen(0, '127.0.0.1');
    const apps: App[] = await Promise.all([startInstance(sandbox, url, env), startInstance(sandbox, url, env)]);
    try {
      const seeded = sandbox.store.list();
      sandbox.requests.reset();
      const calls = apps.flatMap((app, n) => [
        ...seeded.slice(n * 8, n * 8 + 8).map((t) => app.ops.account().client.getTracking(t.id!)),
        ...seeded.slice(n * 4, n * 4 + 4).map((t) => app.ops.account().client.detectCouriers({ tracking_number: t.tracking_number! })),
      ]);
      const results = await Promise.allSettled(calls);
      return { sandbox, results };
    } finally {
      await Promise.all(apps.map((a) => a.stop()));
      await sandbox.close();
    }
  }

  it('never send an endpoint more than its limit in any rolling second, together', async () => {
    const { sandbox, results } = await loadBoth({ REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: `${prefix}load:` });
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(sandbox.requests.count({ endpoint: 'GET /trackings/:id' })).toBe(16);
    expect(sandbox.requests.count({ endpoint: 'POST /couriers/detect' })).toBe(8);
    expect(sandbox.requests.count({ status: 429 })).toBe(0);
    expect(sandbox.requests.maxInWindow({ endpoint: 'GET /trackings/:id', include429: true })).toBeLessThanOrEqual(5);
    expect(sandbox.requests.maxInWindow({ endpoint: 'POST /couriers/detect', include429: true })).toBeLessThanOrEqual(3);
  });

  it('(control) without Redis each instance spends the whole budget and the sum exceeds it', async () => {
    const { sandbox } = await loadBoth({});
    expect(sandbox.requests.maxInWindow({ endpoint: 'POST /couriers/detect', include429: true })).toBeGreaterThan(3);
  });
});

describe('over-budget lookups on two instances sharing the budget', () => {
  const QUEUE_TIMEOUT_MS = 10_000;

  it('each lookup is refused at once or served within the queue timeout: none waits it out (the fail-fast decision sees the shared demand)', async () => {
    const clock = new ManualClock();
    let storeCalls = 0;
    const redisStore = createRedisBudgetStore({ redis, prefix: `${prefix}fast:`, time: 'caller', clock });
    // The shared store, counting calls in flight so the test knows when nothing is moving.
    const store: BudgetStore = {
      ...redisStore,
      async tryAcquire(...args) {
        storeCalls++;
        try {
          return await redisStore.tryAcquire(...args);
        } finally {
          storeCalls--;
        }
      },
    };
    const sandbox = createSandbox({ apiKey: API_KEY, clock, autoAdvance: false, seed: 0, logger: silentLogger });
    const url = await sandbox.listen(0, '127.0.0.1');
    const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', AFTERSHIP_API_KEY: API_KEY, AFTERSHIP_BASE_URL: url, GATEWAY_AUTH: 'none', AFTERSHIP_QUEUE_TIMEOUT_MS: String(QUEUE_TIMEOUT_MS), CLIENT_MAX_CONCURRENT: '0', LOAD_SHED_EVENT_LOOP_LAG_MS: '0', REPLICA_ENABLED: 'false' };
    const apps = await Promise.all([0, 1].map(() => startApp(loadConfig(env), { clock, logger: silentLogger, shared: { budgetStore: () => store } })));
    try {
      const answers: { at: number; code: string | null; retryAfterSeconds?: number }[] = [];
      const N = 100;
      for (const app of apps) {
        for (let i = 0; i < N; i++) {
          const id = randomBytes(16).toString('hex');
          void post(`${app.url}/graphql`, 'query($id: ID!) { tracking(id: $id) { id } }', { id }).then((res) => {
            const e = res.body.errors?.[0];
            answers.push({ at: clock.now(), code: e ? String(e.extensions?.code) : null, retryAfterSeconds: e?.extensions?.retryAfterSeconds as number | undefined });
          });
        }
      }
      const waiting = (): number => apps.reduce((n, a) => n + a.ops.account().client.stats().budget.waiting, 0);
      /** Nothing moves until the clock does: every lookup is answered or queued, and no store call is out. */
      const settle = async (): Promise<void> => {
        for (let quiet = 0; quiet < 2; ) {
          await new Promise((r) => setImmediate(r));
          quiet = answers.length + waiting() === 2 * N && storeCalls === 0 ? quiet + 1 : 0;
        }
      };
      await settle();
      const start = clock.now();
      while (answers.length < 2 * N && clock.now() - start < 2 * QUEUE_TIMEOUT_MS) {
        clock.advance(10);
        await settle();
      }
      const refused = answers.filter((a) => a.code === 'RATE_LIMITED');
      const served = answers.filter((a) => a.code === null);
      expect(served.length + refused.length).toBe(2 * N);
      // All the demand was there before the clock moved: every refusal came then (before, 50 of
      // them waited, failing one window after another as the other instance's sends showed up).
      expect(refused.filter((a) => a.at > start)).toEqual([]);
      expect(refused.every((a) => a.retryAfterSeconds! >= 1)).toBe(true);
      // What was kept was served within the queue timeout, and that was about what 5/s allows.
      expect(served.filter((a) => a.at - start > QUEUE_TIMEOUT_MS)).toEqual([]);
      expect(served.length).toBeGreaterThanOrEqual(45);
      expect(sandbox.requests.count({ status: 429 })).toBe(0);
    } finally {
      await Promise.all(apps.map((a) => a.stop()));
      await sandbox.close();
    }
  });
});
