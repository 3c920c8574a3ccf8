/**
 * Webhook de-duplication shared by every instance: `SET <prefix>dedup:<eventId> 1 NX PX ttl`.
 * An event id first seen by any instance is a repeat on all of them.
 *
 * Every id is also remembered locally (bounded), so:
 * - while Redis is away, this instance still refuses repeats IT has seen;
 * - ids seen (or forgotten) during an outage are written to Redis when it returns;
 * - if Redis comes back empty (restarted without persistence: the `dedup:epoch` marker is gone),
 *   every id still remembered locally is written back, with its remaining TTL.
 *
 * Residual risk: a repeat delivered to ANOTHER instance while Redis is away, or in the moment
 * between Redis returning and the write-back, is processed again. Run Redis with persistence
 * (appendonly) so a restart does not forget ids.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { createMemoryDedupStore, type DedupStore } from '../realtime/dedup.js';
import type { RedisHealth } from './connection.js';

export interface RedisDedupStoreOptions {
  redis: Redis;
  health: RedisHealth;
  /** @default "asgw:" */
  prefix?: string;
  /** Ids remembered locally. @default 200000 */
  maxLocal?: number;
  clock?: Clock;
  logger: Logger;
}

export interface RedisDedupStore extends DedupStore {
  /** Resolves once what was kept during an outage is written to Redis (tests). */
  synced(timeoutMs?: number): Promise<boolean>;
  close(): void;
}

export function createRedisDedupStore(options: RedisDedupStoreOptions): RedisDedupStore {
  const { redis, health, logger } = options;
  const clock = options.clock ?? systemClock;
  const prefix = `${options.prefix ?? 'asgw:'}dedup:`;
  const epochKey = `${prefix}epoch`;
  const maxLocal = options.maxLocal ?? 200_000;
  /** What this instance has seen, with its TTLs: answers while Redis is away, written back after. */
  const local = createMemoryDedupStore({ clock, maxEntries: maxLocal });
  /** Changes Redis missed during an outage: id → 'seen' | 'forgot'. */
  const missed = new Map<string, 'seen' | 'forgot'>();
  let epoch: string | undefined;
  let syncing: Promise<void> | undefined;
  let needsSync = false;

  async function sync(): Promise<void> {
    const current = await redis.get(epochKey);
    const lost = epoch !== undefined && current !== epoch;
    if (current === null) {
      const fresh = randomUUID();
      await redis.set(epochKey, fresh, 'NX');
      epoch = (await redis.get(epochKey)) ?? fresh;
    } else epoch = current;
    const ids = lost ? local.ids() : [...missed.keys()];
    if (lost && ids.length > 0) logger.warn({ ids: ids.length }, 'Redis lost the webhook de-dup ids; writing back the ones this instance remembers');
    for (let i = 0; i < ids.length; i += 500) {
      const pipe = redis.pipeline();
      for (const id of ids.slice(i, i + 500)) {
        const left = local.remainingMs(id);
        if (missed.get(id) === 'forgot') pipe.del(prefix + id);
        else if (left > 0) pipe.set(prefix + id, '1', 'PX', left, 'NX');
      }
      const results = await pipe.exec();
      if (results?.some(([e]) => e)) throw new Error('write-back failed');
    }
    for (const id of ids) missed.delete(id);
  }

  const startSync = (): void => {
    if (syncing || !health.up()) return;
    needsSync = false;
    syncing = sync()
      .catch(() => {
        needsSync = true;
      })
      .finally(() => {
        syncing = undefined;
      });
  };
  const stopHealth = health.onChange((up) => {
    if (up) startSync();
  });
  if (health.up()) startSync();

  const remember = (id: string, what: 'seen' | 'forgot'): void => {
    missed.delete(id);
    missed.set(id, what);
    if (missed.size > maxLocal) missed.delete(missed.keys().next().value as string);
    needsSync = true;
  };

  return {
    async markSeen(eventId, ttlMs) {
      const first = await local.markSeen(eventId, ttlMs);
      if (!health.up()) {
        remember(eventId, 'seen');
        return first;
      }
      if (needsSync) startSync();
      try {
        const r = await redis.set(prefix + eventId, '1', 'PX', ttlMs, 'NX');
        return first && r === 'OK';
      } catch {
        remember(eventId, 'seen');
        return first;
      }
    },
    async forget(eventId) {
      await local.forget(eventId);
      try {
        if (!health.up()) throw new Error('down');
        await redis.del(prefix + eventId);
      } catch {
        remember(eventId, 'forgot');
      }
    },
    async synced(timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (health.up() && !syncing && !needsSync && missed.size === 0 && epoch !== undefined) return true;
        if (needsSync) startSync();
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    },
    close: stopHealth,
  };
}
