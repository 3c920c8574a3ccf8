/**
 * Scale-out on Redis: several gateway instances behave as one.
 *
 *   pub/sub     a webhook received by any instance reaches subscribers on every instance, once
 *   budget      one AfterShip rate budget per account, shared (atomic Lua, Redis time)
 *   dedup       an event id seen by any instance is not delivered again
 *   cache       writes are mirrored to the other instances' caches (newest updated_at wins)
 *   event log   one Redis stream per account: an event has one cursor on every instance
 *   replica     one bounded copy of each account's warm replica: a new instance loads it, no warm-up
 *
 * If Redis goes away every instance keeps serving on its own (local dedup, its share of the
 * budget, local delivery, messages kept for later) and resumes by itself when Redis returns.
 * Everything is created here from one URL and closed by `close()`.
 */
import type { BudgetStore } from '../aftership/budget-store-memory.js';
import type { GatewayCache } from '../cache/index.js';
import { systemClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { SharedState } from '../account-runtime.js';
import { createRealtimePubSub } from '../realtime/pubsub.js';
import { createFailoverBudgetStore } from './budget-failover.js';
import { createRedisBudgetStore } from './budget-store.js';
import { createRedisBus, type RedisBus } from './bus.js';
import { createCoherentCache, type CoherentCache } from './coherent-cache.js';
import { createRedisConnections, type RedisConnections } from './connection.js';
import { createRedisDedupStore, type RedisDedupStore } from './dedup-store.js';
import { createRedisEventLog } from './event-log.js';
import { createRedisReplicaCopy } from './replica-copy.js';
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
  /** For `createRateBudget({ store })`: one store for every account (the budget's keyPrefix separates them). */
  readonly budgetStore: BudgetStore;
  /** Per-account dedup stores, pub/subs and the shared budget store, for the account runtimes. */
  readonly shared: Required<SharedState>;
  /** The dedup store of an account (created on first use; also what `shared.dedup` returns). */
  dedupFor(accountId: string): RedisDedupStore;
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
  const bus = createRedisBus({ connections, logger, expectedInstances: options.instances });
  const budgetStore = createFailoverBudgetStore({
    primary: createRedisBudgetStore({ redis: connections.command, prefix, clock }),
    health: connections,
    instances: options.instances,
  });
  const dedups = new Map<string, RedisDedupStore>();
  const dedupFor = (accountId: string): RedisDedupStore => {
    let d = dedups.get(accountId);
    if (!d) {
      d = createRedisDedupStore({ redis: connections.command, health: connections, prefix: `${prefix}${accountId}:`, clock, logger });
      dedups.set(accountId, d);
    }
    return d;
  };
  const caches: CoherentCache[] = [];

  return {
    connections,
    bus,
    budgetStore,
    shared: {
      budgetStore: () => budgetStore,
      dedup: dedupFor,
      // One transport per account: closing an account's pub/sub closes its transport.
      pubsub: () => createRealtimePubSub({ transport: createRedisTransport({ bus }) }),
      // One stream per account, shared by every instance: cursors are the same everywhere.
      eventLog: (accountId, retention) =>
        createRedisEventLog({ redis: connections.command, health: connections, prefix: `${prefix}${accountId}:`, clock, logger, ...retention }),
      // One copy per account, written by every instance, warmed up into by one.
      replicaCopy: (accountId, caps) =>
        createRedisReplicaCopy({ redis: connections.command, health: connections, prefix: `${prefix}${accountId}:`, clock, logger: logger.child({ account: accountId }), ...caps }),
    },
    dedupFor,
    coherentCache(local) {
      const c = createCoherentCache({ local, bus, logger });
      caches.push(c);
      return c;
    },
    up: () => connections.up(),
    async close() {
      for (const c of caches) c.detach();
      for (const d of dedups.values()) d.close();
      await bus.close();
      await connections.close();
    },
  };
}

export { createRedisConnections, createScript, type RedisConnections, type RedisHealth } from './connection.js';
export { createRedisBus, type RedisBus } from './bus.js';
export { createRedisTransport } from './pubsub-transport.js';
export { createRedisBudgetStore, type RedisBudgetStoreOptions } from './budget-store.js';
export { createFailoverBudgetStore, type FailoverBudgetStoreOptions } from './budget-failover.js';
export { createRedisDedupStore, type RedisDedupStore } from './dedup-store.js';
export { createRedisEventLog, type RedisEventLogOptions } from './event-log.js';
export { createCoherentCache, type CoherentCache } from './coherent-cache.js';
export { createRedisReplicaCopy, type RedisReplicaCopyOptions } from './replica-copy.js';
