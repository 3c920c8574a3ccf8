/**
 * The shared cache with the replica behind it: reads the cache cannot answer (missing, or past its
 * fresh period) are answered by the replica when it holds the tracking and may serve it (see
 * store.ts); every write of a tracking (fetch, list page, webhook, poll, mutation, another
 * instance's) goes to both, so the replica is kept current by the same event path as the cache.
 * The warm-up writes to the replica only: 100,000 listed trackings must not push the hot entries
 * (courier lists, recent lookups) out of the cache.
 */
import { timeOf, type Tracking } from '../aftership/wire-types.js';
import type { CacheHit, GatewayCache } from '../cache/index.js';
import { jsonBytes } from '../lib/json-bytes.js';
import type { ReplicaStore } from './store.js';

/** The newer of the cache's and the replica's answers; fresh beats stale. */
function pick(local: CacheHit<Tracking> | undefined, replica: CacheHit<Tracking> | undefined): CacheHit<Tracking> | undefined {
  if (!replica) return local;
  if (!local) return replica;
  const newer = timeOf(replica.value.updated_at) - timeOf(local.value.updated_at);
  if (newer > 0) return replica;
  if (newer < 0) return local;
  return local.stale && !replica.stale ? replica : local;
}

export function withReplica(cache: GatewayCache, replicaOf: (accountId: string) => ReplicaStore | undefined): GatewayCache {
  const peekTracking = (a: string, id: string): CacheHit<Tracking> | undefined => {
    const local = cache.peekTracking(a, id);
    const r = replicaOf(a);
    return r ? pick(local, r.peek(id)) : local;
  };
  const peekTrackingByNumber = (a: string, n: string, slug?: string): CacheHit<Tracking> | undefined => {
    const local = cache.peekTrackingByNumber(a, n, slug);
    const r = replicaOf(a);
    return r ? pick(local, r.peekByNumber(n, slug)) : local;
  };
  return {
    ...cache,
    getTracking: (a, id) => peekTracking(a, id)?.value,
    peekTracking,
    getTrackingByNumber: (a, n, slug) => peekTrackingByNumber(a, n, slug)?.value,
    peekTrackingByNumber,
    putTracking(a, tracking, bytes) {
      const r = replicaOf(a);
      // The replica may hold a newer version the cache has evicted (or never had): never roll back.
      if (r?.holdsNewer(tracking)) return false;
      // Weighed once for both.
      const size = r ? (bytes ?? jsonBytes(tracking)) : bytes;
      const inReplica = r?.put(tracking, undefined, size) ?? false;
      return cache.putTracking(a, tracking, size) || inReplica;
    },
    deleteTracking(a, id) {
      replicaOf(a)?.remove(id, true);
      cache.deleteTracking(a, id);
    },
    evictTracking(a, id) {
      replicaOf(a)?.remove(id, false);
      cache.evictTracking(a, id);
    },
    trackingNumberOf: (a, id) => replicaOf(a)?.numberOf(id) ?? cache.trackingNumberOf(a, id),
  };
}
