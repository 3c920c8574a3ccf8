/**
 * Cache coherence between instances: a `GatewayCache` that delegates to this instance's own
 * cache and tells the others about every write, over the bus (channel `cache`).
 *
 * - A tracking stored here (webhook, mutation, fetch) is offered to every other instance, which
 *   stores it by the usual newest-`updated_at`-wins rule: nobody is rolled back, nobody keeps a
 *   version older than one another instance has seen.
 * - Deletes (with their tombstone) and evictions are repeated everywhere.
 * - Courier lists and courier connections are mirrored the same way. EDD predictions are not:
 *   they depend only on their input, so another instance's copy is never stale, only absent.
 * Messages sent while Redis is away wait in the bus outbox, so instances catch up when it returns.
 * Reads stay local and synchronous (no Redis round trip on the read path).
 */
import type { Courier, CourierConnection, Tracking } from '../aftership/wire-types.js';
import { withoutCredentialValues, type CourierListScope, type GatewayCache } from '../cache/index.js';
import type { Logger } from '../lib/logger.js';
import type { RedisBus } from './bus.js';

type CacheMessage =
  | { op: 'putTracking'; a: string; tracking: Tracking }
  | { op: 'deleteTracking' | 'evictTracking' | 'deleteCourierConnection'; a: string; id: string }
  | { op: 'putCouriers'; a: string; scope: CourierListScope; couriers: Courier[] }
  | { op: 'putCourierConnection'; a: string; connection: CourierConnection };

export interface CoherentCache extends GatewayCache {
  /** Called when another instance's tracking was stored here (it was newer than ours). */
  onRemoteTracking(listener: (accountId: string, tracking: Tracking) => void): () => void;
  /** Stops listening to the other instances. */
  detach(): void;
}

export interface CoherentCacheOptions {
  local: GatewayCache;
  bus: RedisBus;
  logger: Logger;
}

const CHANNEL = 'cache';

export function createCoherentCache(options: CoherentCacheOptions): CoherentCache {
  const { local, bus, logger } = options;
  const trackingListeners = new Set<(accountId: string, tracking: Tracking) => void>();
  const send = (m: CacheMessage): void => bus.publish(CHANNEL, JSON.stringify(m));

  const apply = (m: CacheMessage): void => {
    switch (m.op) {
      case 'putTracking':
        if (local.putTracking(m.a, m.tracking)) for (const l of [...trackingListeners]) l(m.a, m.tracking);
        return;
      case 'deleteTracking':
        return local.deleteTracking(m.a, m.id);
      case 'evictTracking':
        return local.evictTracking(m.a, m.id);
      case 'putCouriers':
        return local.putCouriers(m.a, m.scope, m.couriers);
      case 'putCourierConnection':
        return local.putCourierConnection(m.a, m.connection);
      case 'deleteCourierConnection':
        return local.deleteCourierConnection(m.a, m.id);
    }
  };
  const detach = bus.subscribe(CHANNEL, (payload) => {
    try {
      apply(JSON.parse(payload) as CacheMessage);
    } catch (e) {
      logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'ignored a bad cache message from another instance');
    }
  });

  return {
    getTracking: (a, id) => local.getTracking(a, id),
    peekTracking: (a, id) => local.peekTracking(a, id),
    getTrackingByNumber: (a, n, slug) => local.getTrackingByNumber(a, n, slug),
    peekTrackingByNumber: (a, n, slug) => local.peekTrackingByNumber(a, n, slug),
    putTracking(a, tracking, bytes) {
      const stored = local.putTracking(a, tracking, bytes);
      if (stored) send({ op: 'putTracking', a, tracking });
      return stored;
    },
    deleteTracking(a, id) {
      local.deleteTracking(a, id);
      send({ op: 'deleteTracking', a, id });
    },
    evictTracking(a, id) {
      local.evictTracking(a, id);
      send({ op: 'evictTracking', a, id });
    },
    trackingNumberOf: (a, id) => local.trackingNumberOf(a, id),
    getCouriers: (a, scope) => local.getCouriers(a, scope),
    peekCouriers: (a, scope) => local.peekCouriers(a, scope),
    putCouriers(a, scope, couriers) {
      local.putCouriers(a, scope, couriers);
      send({ op: 'putCouriers', a, scope, couriers });
    },
    getCourierConnection: (a, id) => local.getCourierConnection(a, id),
    peekCourierConnection: (a, id) => local.peekCourierConnection(a, id),
    putCourierConnection(a, connection) {
      local.putCourierConnection(a, connection);
      // Carrier passwords never travel through Redis.
      if (connection.id) send({ op: 'putCourierConnection', a, connection: withoutCredentialValues(connection) });
    },
    deleteCourierConnection(a, id) {
      local.deleteCourierConnection(a, id);
      send({ op: 'deleteCourierConnection', a, id });
    },
    getEddPrediction: (a, req) => local.getEddPrediction(a, req),
    peekEddPrediction: (a, req) => local.peekEddPrediction(a, req),
    putEddPrediction: (a, req, res) => local.putEddPrediction(a, req, res),
    claimRefresh: (kind, a, key) => local.claimRefresh(kind, a, key),
    stats: () => local.stats(),
    clear: () => local.clear(),
    onRemoteTracking(listener) {
      trackingListeners.add(listener);
      return () => void trackingListeners.delete(listener);
    },
    detach() {
      detach();
      trackingListeners.clear();
    },
  };
}
