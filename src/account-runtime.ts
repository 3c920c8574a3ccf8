/**
 * One runtime per AfterShip account: its own client (so its own rate budget and credentials) and its
 * own realtime (webhook secret, dedup, pubsub, polling). Cache entries are keyed by account id in the
 * shared cache. Runtimes are created on first use and stopped with the app.
 */
import { createAfterShipClient } from './aftership/client.js';
import { createRateBudget, type BudgetStore } from './aftership/rate-budget.js';
import type { AfterShipClient } from './aftership/types.js';
import type { AccountRegistry } from './auth/accounts.js';
import type { GatewayCache } from './cache/index.js';
import type { Config } from './config.js';
import type { Clock } from './lib/clock.js';
import type { Logger } from './lib/logger.js';
import type { AfterShipRecorder } from './aftership/recorder.js';
import type { WebhookRecorder } from './realtime/webhook-receiver.js';
import { createMemoryEventLog, createRealtime, type DedupStore, type EventLog, type Realtime, type RealtimePubSub } from './realtime/index.js';
import { createReplicaLists, createReplicaSync, type ReplicaLists, type Replicas, type ReplicaSharedCopy, type ReplicaStore, type ReplicaSync } from './replica/index.js';

export interface AccountRuntime {
  readonly accountId: string;
  readonly client: AfterShipClient;
  readonly realtime: Realtime;
  /** The account's warm replica (read it through `TrackingReplica`; empty when REPLICA_ENABLED=false). */
  readonly replica: ReplicaStore;
  /** Its warm-up and list passes; absent when the replica is off. */
  readonly replicaSync?: ReplicaSync;
  /** `trackings` pages it answers exactly; absent when the replica is off. */
  readonly replicaLists?: ReplicaLists;
}

/** Shared-state factories (Redis when several instances run); absent: in memory. */
export interface SharedState {
  budgetStore?: (accountId: string) => BudgetStore;
  dedup?: (accountId: string) => DedupStore;
  pubsub?: (accountId: string) => RealtimePubSub;
  eventLog?: (accountId: string, retention: { retentionMs: number; maxBytes: number }) => EventLog;
  /** The account's replica copy shared by every instance, bounded by the replica's caps. */
  replicaCopy?: (accountId: string, caps: { maxEntries: number; maxBytes: number }) => ReplicaSharedCopy;
}

export interface AccountRuntimesOptions {
  config: Config;
  registry: AccountRegistry;
  /** AfterShip's base URL (the sandbox's in sandbox mode). */
  baseUrl: string;
  cache: GatewayCache;
  /** Per-account replica stores (the cache reads and writes them too). */
  replicas: Replicas;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  /** Webhook secret to use for an account that has none configured (sandbox mode). */
  fallbackWebhookSecret?: (accountId: string) => string | undefined;
  shared?: SharedState;
  /** Metrics recorders for each account's client and webhook receiver. */
  recorders?: {
    aftership(accountId: string): AfterShipRecorder;
    webhooks(accountId: string): WebhookRecorder;
    replica?(accountId: string): { listCall(kind: 'full' | 'incremental'): void };
  };
}

export interface AccountRuntimes {
  /** Undefined for an account the gateway does not serve (or not started yet when stopping). */
  get(accountId: string): AccountRuntime | undefined;
  /** The runtimes created so far (metrics read their stats). */
  all(): Iterable<AccountRuntime>;
  stop(): Promise<void>;
}

export function createAccountRuntimes(options: AccountRuntimesOptions): AccountRuntimes {
  const { config, registry, clock, logger } = options;
  const runtimes = new Map<string, AccountRuntime>();

  const create = (accountId: string): AccountRuntime => {
    const log = logger.child({ account: accountId });
    const budget = createRateBudget({
      accountLimitPerMinute: config.aftership.rateLimitPerMinute,
      queueTimeoutMs: config.aftership.queueTimeoutMs,
      clock,
      keyPrefix: accountId,
      store: options.shared?.budgetStore?.(accountId),
    });
    const client = createAfterShipClient({
      baseUrl: options.baseUrl,
      auth: registry.authFor(accountId),
      fetch: options.fetch,
      clock,
      timeoutMs: config.aftership.requestTimeoutMs,
      budget,
      logger: log.child({ component: 'aftership' }),
      recorder: options.recorders?.aftership(accountId),
    });
    const realtime = createRealtime({
      cache: options.cache,
      client,
      accountId,
      webhookSecret: registry.webhookSecretFor(accountId) ?? options.fallbackWebhookSecret?.(accountId),
      maxBodyBytes: config.webhookMaxBytes,
      bodyTimeoutMs: config.webhookBodyTimeoutMs,
      dedup: options.shared?.dedup?.(accountId),
      pubsub: options.shared?.pubsub?.(accountId),
      eventLog: options.shared?.eventLog?.(accountId, config.eventLog) ?? createMemoryEventLog({ clock, ...config.eventLog }),
      clock,
      logger: log.child({ component: 'realtime' }),
      polling: { intervalMs: config.realtime.pollIntervalMs, staleAfterMs: config.realtime.webhookStaleMs },
      coalesceMs: config.realtime.coalesceMs,
      webhookRecorder: options.recorders?.webhooks(accountId),
    });
    const replica = options.replicas.store(accountId);
    let replicaSync: ReplicaSync | undefined;
    let replicaLists: ReplicaLists | undefined;
    if (config.replica.enabled) {
      replicaLists = createReplicaLists(replica, () => clock.now());
      // Webhooks flowing (not polling): every change arrives by webhook, so held trackings stay current.
      replica.setLive(() => !realtime.polling());
      replicaSync = createReplicaSync({
        client,
        store: replica,
        clock,
        logger: log.child({ component: 'replica' }),
        windowMs: config.replica.windowMs,
        callsPerSecond: config.replica.warmupCallsPerSecond,
        syncIntervalMs: config.replica.syncIntervalMs,
        fullSyncIntervalMs: config.replica.fullSyncIntervalMs,
        forget: (id) => options.cache.deleteTracking(accountId, id),
        // A lookup waits for the warm-up as long as it would wait for rate budget.
        waitMs: config.aftership.queueTimeoutMs,
        recorder: options.recorders?.replica?.(accountId),
        shared: options.shared?.replicaCopy?.(accountId, { maxEntries: config.replica.maxTrackings, maxBytes: config.replica.maxBytes }),
      });
      replicaSync.start();
    }
    return { accountId, client, realtime, replica, replicaSync, replicaLists };
  };

  let stopped = false;
  return {
    get(accountId) {
      let runtime = runtimes.get(accountId);
      // Once stopped (a drain ends subscriptions before the last queries finish), none is created.
      if (!runtime && !stopped && registry.has(accountId)) {
        runtime = create(accountId);
        runtimes.set(accountId, runtime);
      }
      return runtime;
    },
    all: () => runtimes.values(),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const r of runtimes.values()) r.replicaSync?.stop();
      await Promise.all([...runtimes.values()].map((r) => r.realtime.stop()));
    },
  };
}
