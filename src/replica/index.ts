/**
 * The warm replica: per account, a copy of the trackings updated in a window (store.ts), filled and
 * refreshed by list passes (sync.ts) and kept current by the same writes as the cache (cache.ts).
 * Read interface for analytics and exports: types.ts.
 */
import type { Clock } from '../lib/clock.js';
import { createReplicaStore, type ReplicaStore, type ReplicaStoreOptions } from './store.js';

export interface ReplicaConfig {
  /** Off: stores stay empty, nothing is listed, lookups take the cache's path only. */
  enabled: boolean;
  /** Trackings updated within this long are replicated. */
  windowMs: number;
  maxTrackings: number;
  maxBytes: number;
  warmupCallsPerSecond: number;
  syncIntervalMs: number;
  fullSyncIntervalMs: number;
}

export interface Replicas {
  /** The account's store, created on first use. */
  store(accountId: string): ReplicaStore;
  /** The account's store if it exists (the cache's read path must not create one). */
  existing(accountId: string): ReplicaStore | undefined;
  all(): Iterable<ReplicaStore>;
}

export function createReplicas(config: ReplicaConfig, clock: Clock, extra: Pick<ReplicaStoreOptions, 'ttlMs' | 'staleMs' | 'changes'> = {}): Replicas {
  const stores = new Map<string, ReplicaStore>();
  return {
    store(accountId) {
      let s = stores.get(accountId);
      if (!s) {
        s = createReplicaStore({ accountId, clock, windowMs: config.windowMs, maxEntries: config.maxTrackings, maxBytes: config.maxBytes, ...extra });
        stores.set(accountId, s);
      }
      return s;
    },
    existing: (accountId) => stores.get(accountId),
    all: () => stores.values(),
  };
}

export { withReplica } from './cache.js';
export { createReplicaLists, type ListKey, type ReplicaListPage, type ReplicaLists } from './list.js';
export { createReplicaStore, type ReplicaHit, type ReplicaStore, type ReplicaStoreStats, type TrackingNumberRef } from './store.js';
export { mirrorToCopy, type ReplicaSharedCopy, type SharedCopyMeta } from './shared.js';
export { createReplicaSync, type ReplicaProgress, type ReplicaSync, type ReplicaSyncState } from './sync.js';
export type { ReplicaChange, ReplicaCoverage, ScanOptions, TrackingReplica } from './types.js';
