/**
 * Scale-out on Redis: several gateway instances behave as one.
 *
 *   pub/sub     a webhook received by any instance reaches subscribers on every instance, once
 *   budget      one AfterShip rate budget per account, shared (atomic Lua, Redis time)
 *   dedup       an event id seen by any instance is not delivered again
 *   cache       writes are mirrored to the other instances' caches (newest updated_at wins)
 *
 * If Redis goes away every instance keeps serving on its own (local dedup, its share of the
 * budget, local delivery, messages kept for later) and resumes by itself when Redis returns.
 * Everything is created here from one URL and closed by `close()`.
 */
import { createHash } from 'node:crypto';
import type { BudgetStore } from '../aftership/budget-store-memory.js';
import type { GatewayCache } from '../cache/index.js';
import { systemClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { PubSubTransport } from '../realtime/pubsub.js';
import { createFailoverBudgetStore } from './budget-failover.js';
import { createRedisBudgetStore } from './budget-store.js';
import { createRedisBus, type RedisBus } from './bus.js';
import { createCoherentCache, type CoherentCache } from './coherent-cache.js';
import { createRedisConnections, type RedisConnections } from './connection.js';
import { createRedisDedupStore, type RedisDedupStore } from './dedup-store.js';
import { createRedisTransport } from './pubsub-transport.js';

export interface RedisScaleOutOptions {
  url: string;
  /** Prefix of every key and channel (REDIS_PREFIX). @default "asgw:" */
  prefix?: string;
  /** Instances expected to share the account (GATEWAY_INSTANCES); sizes the budget share when Redis is away. @default 2 */
  instances?: number;
  clock?: Clock;
  logger: Logger;
}

export interface RedisScaleOut {
  readonly connections: RedisConnections;
  readonly bus: RedisBus;
  /** For `createRateBudget({ store })`. */
  readonly budgetStore: BudgetStore;
  /** For `createRealtime({ dedup })`. */
  readonly dedup: RedisDedupStore;
  /** For `createRealtimePubSub({ transport })`. */
  readonly transport: PubSubTransport;
  /** Wraps this instance's cache so the other instances learn of its writes (and it of theirs). */
  coherentCache(local: GatewayCache): CoherentCache;
  up(): boolean;
  close(): Promise<void>;
}

export function createRedisScaleOut(options: RedisScaleOutOptions): RedisScaleOut {
  const logger = options.logger.child({ component: 'redis' });
  const clock = options.clock ?? systemClock;
  const connections = createRedisConnections({ url: options.url, prefix: options.prefix, logger });
  const prefix = connections.prefix;
  const bus = createRedisBus({ connections, logger });
  const budgetStore = createFailoverBudgetStore({
    primary: createRedisBudgetStore({ redis: connections.command, prefix, clock }),
    health: connections,
    instances: options.instances,
  });
  const dedup = createRedisDedupStore({ redis: connections.command, health: connections, prefix, clock, logger });
  const transport = createRedisTransport({ bus });
  const caches: CoherentCache[] = [];

  return {
    connections,
    bus,
    budgetStore,
    dedup,
    transport,
    coherentCache(local) {
      const c = createCoherentCache({ local, bus, logger });
      caches.push(c);
      return c;
    },
    up: () => connections.up(),
    async close() {
      for (const c of caches) c.detach();
      dedup.close();
      await bus.close();
      await connections.close();
    },
  };
}

/**
 * Rate-budget key prefix for an AfterShip account: derived from its API key (never the key
 * itself), so deployments with different accounts can share one Redis and one REDIS_PREFIX.
 */
export function budgetKeyPrefix(apiKey: string): string {
  return `acct-${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}`;
}

/** Parses GATEWAY_INSTANCES (default 2); throws a clear error for anything but a whole number >= 1. */
export function parseGatewayInstances(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 2;
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 1000) {
    throw new Error(`GATEWAY_INSTANCES must be a whole number from 1 to 1000 (got "${raw}")`);
  }
  return n;
}

export { createRedisConnections, createScript, type RedisConnections, type RedisHealth } from './connection.js';
export { createRedisBus, type RedisBus } from './bus.js';
export { createRedisTransport } from './pubsub-transport.js';
export { createRedisBudgetStore, type RedisBudgetStoreOptions } from './budget-store.js';
export { createFailoverBudgetStore, type FailoverBudgetStoreOptions } from './budget-failover.js';
export { createRedisDedupStore, type RedisDedupStore } from './dedup-store.js';
export { createCoherentCache, type CoherentCache } from './coherent-cache.js';
