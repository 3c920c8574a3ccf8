/**
 * The shared, per-process cache of what AfterShip told us, keyed by AfterShip account so two
 * accounts never see each other's data.
 *
 * One `lru-cache` holds every kind of entry, so the bounds (`maxEntries`, `maxBytes`) cover the
 * whole cache. Each entry is fresh for `ttlMs[kind]`, then stale for `staleMs[kind]` more (served
 * while a background refresh runs: stale-while-revalidate), then gone. lru-cache keeps the time:
 * an entry's TTL is its whole life, its age says when it turned stale, and the injectable Clock is
 * lru-cache's time source so tests drive it by hand.
 *
 * The refresh itself is the caller's (see `claimRefresh`), not lru-cache's `fetch()`: a refreshed
 * tracking must go through `putTracking` (newest `updated_at` wins, tombstones, number and legacy
 * indexes) and through the Redis mirror wrapping this cache, which `fetch()` would bypass.
 *
 * Values are shared between requests: treat everything returned as read-only.
 */
import { LRUCache } from 'lru-cache';
import { timeOf, type Courier, type CourierConnection, type EddRequest, type EddResponse, type Tracking } from '../aftership/wire-types.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { jsonBytes } from '../lib/json-bytes.js';
import { canonicalJson } from './canonical-json.js';

export type CacheKind = 'tracking' | 'couriers' | 'courierConnection' | 'eddPrediction';

/** How long each kind stays fresh, in ms. */
export const DEFAULT_TTL_MS: Readonly<Record<CacheKind, number>> = {
  tracking: 2 * 60_000,
  couriers: 6 * 60 * 60_000,
  courierConnection: 5 * 60_000,
  eddPrediction: 60 * 60_000,
};

/** How long after going stale an entry may still be served while it is refreshed, in ms. */
export const DEFAULT_STALE_MS: Readonly<Record<CacheKind, number>> = {
  tracking: 10 * 60_000,
  couriers: 24 * 60 * 60_000,
  courierConnection: 30 * 60_000,
  // A prediction depends only on its input; AfterShip's model moves slowly, so serve it an hour stale.
  eddPrediction: 60 * 60_000,
};

export interface GatewayCacheOptions {
  /** @default systemClock */
  clock?: Clock;
  /** Most entries held, all kinds together. @default 20_000 */
  maxEntries?: number;
  /** Most bytes held (JSON size of the values), all kinds together. @default 64 MiB */
  maxBytes?: number;
  /** Fresh period per kind; see DEFAULT_TTL_MS. */
  ttlMs?: Partial<Record<CacheKind, number>>;
  /** Stale-while-revalidate period per kind, after the fresh period; see DEFAULT_STALE_MS. */
  staleMs?: Partial<Record<CacheKind, number>>;
  /**
   * Told of every write here, whoever the writer (webhook, poll, mutation, refresh, another instance
   * through the Redis mirror, which writes through this cache): the response cache's invalidation.
   */
  onChange?: CacheChangeListener;
}

/** A cached value and whether it is past its fresh period (then: serve it, but refresh it). */
export interface CacheHit<T> {
  value: T;
  stale: boolean;
  /** The entries that gave this answer (an index, then the tracking), and how long it stays fresh. */
  entry: CacheEntryFacts;
}

/** What a response built from a cache answer depends on: the response cache (src/response-cache) keeps it. */
export interface CacheEntryFacts {
  /** Opaque keys of the entries read; `onChange` names the same keys when they are written or removed. */
  keys: readonly string[];
  /** Until the answer turns stale (0 when it is). */
  freshForMs: number;
}

/** Told of every write and removal of an entry (not of expiry or eviction: the data did not change). */
export interface CacheChangeListener {
  changed(key: string): void;
  /** Everything was removed (`clear`). */
  cleared(): void;
}

/** Which courier list: every courier AfterShip supports, or only the account's activated ones. */
export type CourierListScope = 'all' | 'active';

export interface GatewayCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  staleHits: number;
  misses: number;
}

export interface GatewayCache {
  /** By AfterShip id (or legacy id); fresh or stale-but-servable, else undefined. */
  getTracking(accountId: string, id: string): Tracking | undefined;
  peekTracking(accountId: string, id: string): CacheHit<Tracking> | undefined;
  /** By tracking number; without a slug, the most recently stored tracking with that number. */
  getTrackingByNumber(accountId: string, trackingNumber: string, slug?: string): Tracking | undefined;
  peekTrackingByNumber(accountId: string, trackingNumber: string, slug?: string): CacheHit<Tracking> | undefined;
  /**
   * Stores a tracking unless the cache already holds a NEWER version (compare updated_at);
   * returns true when stored. Reordered webhooks and slow responses never roll a tracking back.
   * `bytes`: its JSON size when the caller knows it (a webhook's body); measured otherwise.
   */
  putTracking(accountId: string, tracking: Tracking, bytes?: number): boolean;
  /** Forgets a deleted tracking; a late copy no newer than the deleted one will not be stored again. */
  deleteTracking(accountId: string, id: string): void;
  /** Drops a tracking so the next read fetches it again (no tombstone: any copy may be stored). */
  evictTracking(accountId: string, id: string): void;
  /**
   * The tracking number (and slug) of an id the gateway has seen, even when its entry is stale or
   * gone: a lookup by id can then ride the 50-per-call number batch instead of GET /trackings/:id.
   */
  trackingNumberOf(accountId: string, id: string): { trackingNumber: string; slug?: string } | undefined;

  getCouriers(accountId: string, scope: CourierListScope): Courier[] | undefined;
  peekCouriers(accountId: string, scope: CourierListScope): CacheHit<Courier[]> | undefined;
  putCouriers(accountId: string, scope: CourierListScope, couriers: Courier[]): void;

  getCourierConnection(accountId: string, id: string): CourierConnection | undefined;
  peekCourierConnection(accountId: string, id: string): CacheHit<CourierConnection> | undefined;
  putCourierConnection(accountId: string, connection: CourierConnection): void;
  deleteCourierConnection(accountId: string, id: string): void;

  /** Predictions are keyed by their whole request (field order does not matter). */
  getEddPrediction(accountId: string, request: EddRequest): EddResponse | undefined;
  peekEddPrediction(accountId: string, request: EddRequest): CacheHit<EddResponse> | undefined;
  putEddPrediction(accountId: string, request: EddRequest, response: EddResponse): void;

  /**
   * Claims the right to refresh one entry in the background. Returns a release function,
   * or undefined when a refresh of the same entry is already running (anywhere in the process).
   */
  claimRefresh(kind: CacheKind, accountId: string, key: string): (() => void) | undefined;

  stats(): GatewayCacheStats;
  clear(): void;
}

/** What lru-cache holds: the value, its accounted size, and how long it stays fresh. */
interface Entry {
  value: unknown;
  size: number;
  freshMs: number;
}

const INDEX_ENTRY_SIZE = 64;

function byteSize(value: unknown): number {
  return jsonBytes(value) + 64;
}

/**
 * The connection without the values of its carrier credentials (names kept). AfterShip may echo
 * the values (passwords, API keys) in its answers; the graph only ever shows the names, so the
 * cache (and anything it is mirrored to) never holds them.
 */
export function withoutCredentialValues(connection: CourierConnection): CourierConnection {
  if (!connection.credentials) return connection;
  return { ...connection, credentials: Object.fromEntries(Object.keys(connection.credentials).map((name) => [name, '[redacted]'])) };
}

export function createGatewayCache(options: GatewayCacheOptions = {}): GatewayCache {
  const clock = options.clock ?? systemClock;
  const fresh = { ...DEFAULT_TTL_MS, ...options.ttlMs };
  const stale = { ...DEFAULT_STALE_MS, ...options.staleMs };
  const lru = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 20_000,
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    // Keys count too: a prediction's key holds its whole request.
    sizeCalculation: (entry, key) => entry.size + Buffer.byteLength(key, 'utf8'),
    // Our Clock is lru-cache's time source (tests move it by hand), read on every check rather
    // than cached for a millisecond of real time. Clock time is epoch ms: lru-cache takes a start
    // time of 0 to mean "no TTL".
    perf: clock,
    ttlResolution: 0,
  });
  const refreshing = new Set<string>();
  const counters = { hits: 0, staleHits: 0, misses: 0 };
  const onChange = options.onChange;
  const remove = (key: string): void => {
    lru.delete(key);
    onChange?.changed(key);
  };

  const k = {
    tracking: (a: string, id: string) => `t\u0000${a}\u0000${id}`,
    legacy: (a: string, id: string) => `tl\u0000${a}\u0000${id}`,
    number: (a: string, n: string, slug?: string) => `tn\u0000${a}\u0000${slug ?? '*'}\u0000${n}`,
    tombstone: (a: string, id: string) => `tx\u0000${a}\u0000${id}`,
    couriers: (a: string, scope: CourierListScope) => `c\u0000${a}\u0000${scope}`,
    connection: (a: string, id: string) => `cc\u0000${a}\u0000${id}`,
    edd: (a: string, req: EddRequest) => `e\u0000${a}\u0000${canonicalJson(req)}`,
  };

  /** Stores for the kind's fresh + stale period; lru-cache drops the entry when that is over. */
  function setEntry(key: string, kind: CacheKind, value: unknown, size = byteSize(value)): void {
    // lru-cache keeps an entry while its age <= ttl (0 meaning forever); ours is gone once its
    // age reaches fresh + stale.
    lru.set(key, { value, size, freshMs: fresh[kind] }, { ttl: Math.max(1, fresh[kind] + stale[kind] - 1) });
    onChange?.changed(key);
  }

  /** A live entry's value, with `stale` once its age (as lru-cache tracks it) passes the fresh period. */
  /** `via`: the index entries read on the way (they decide which entry answers, so they count too). */
  function peek<T>(key: string, via: readonly string[] = []): CacheHit<T> | undefined {
    const status: LRUCache.Status<string, Entry> = {};
    const entry = lru.get(key, { status });
    if (!entry) {
      counters.misses++;
      return undefined;
    }
    const age = (status.now ?? 0) - (status.start ?? 0);
    const isStale = age >= entry.freshMs;
    if (isStale) counters.staleHits++;
    else counters.hits++;
    return { value: entry.value as T, stale: isStale, entry: { keys: [...via, key], freshForMs: Math.max(0, entry.freshMs - age) } };
  }

  function resolveTrackingId(accountId: string, id: string): string {
    const viaLegacy = lru.get(k.legacy(accountId, id));
    return viaLegacy ? (viaLegacy.value as string) : id;
  }

  function peekTracking(accountId: string, id: string): CacheHit<Tracking> | undefined {
    // The legacy index counts even when absent: once written, it would send `id` elsewhere.
    return peek<Tracking>(k.tracking(accountId, resolveTrackingId(accountId, id)), [k.legacy(accountId, id)]);
  }

  function peekTrackingByNumber(accountId: string, trackingNumber: string, slug?: string): CacheHit<Tracking> | undefined {
    const indexKey = k.number(accountId, trackingNumber, slug);
    const index = lru.get(indexKey);
    if (!index) {
      counters.misses++;
      return undefined;
    }
    const hit = peek<Tracking>(k.tracking(accountId, index.value as string), [indexKey]);
    // The index may outlive a re-keyed tracking; only answer when the number still matches.
    if (!hit || hit.value.tracking_number !== trackingNumber || (slug !== undefined && hit.value.slug !== slug)) {
      return undefined;
    }
    return hit;
  }

  function putTracking(accountId: string, tracking: Tracking, bytes?: number): boolean {
    const id = tracking.id;
    if (!id) return false;
    const incoming = timeOf(tracking.updated_at);
    const current = lru.get(k.tracking(accountId, id));
    if (current && timeOf((current.value as Tracking).updated_at) > incoming) return false;
    const tomb = lru.get(k.tombstone(accountId, id));
    if (tomb && (tomb.value as number) >= incoming) return false;
    if (tomb) remove(k.tombstone(accountId, id));
    setEntry(k.tracking(accountId, id), 'tracking', tracking, bytes === undefined ? undefined : bytes + 64);
    if (tracking.legacy_id) setEntry(k.legacy(accountId, tracking.legacy_id), 'tracking', id, INDEX_ENTRY_SIZE);
    if (tracking.tracking_number) {
      setEntry(k.number(accountId, tracking.tracking_number), 'tracking', id, INDEX_ENTRY_SIZE);
      if (tracking.slug) setEntry(k.number(accountId, tracking.tracking_number, tracking.slug), 'tracking', id, INDEX_ENTRY_SIZE);
    }
    return true;
  }

  function removeTracking(accountId: string, id: string, tombstone: boolean): void {
    const realId = resolveTrackingId(accountId, id);
    const key = k.tracking(accountId, realId);
    // Expired or not: what it held tells which index entries to drop and dates the tombstone.
    const current = lru.peek(key, { allowStale: true })?.value as Tracking | undefined;
    remove(key);
    // Remember what was deleted so a reordered webhook carrying an older copy cannot resurrect it.
    if (tombstone) {
      setEntry(k.tombstone(accountId, realId), 'tracking', current ? timeOf(current.updated_at) : clock.now(), INDEX_ENTRY_SIZE);
    }
    if (current?.tracking_number) {
      for (const slug of [undefined, current.slug]) {
        const nk = k.number(accountId, current.tracking_number, slug);
        if (lru.peek(nk, { allowStale: true })?.value === realId) remove(nk);
      }
    }
    if (current?.legacy_id) remove(k.legacy(accountId, current.legacy_id));
  }

  return {
    getTracking: (a, id) => peekTracking(a, id)?.value,
    peekTracking,
    getTrackingByNumber: (a, n, slug) => peekTrackingByNumber(a, n, slug)?.value,
    peekTrackingByNumber,
    putTracking,
    deleteTracking: (a, id) => removeTracking(a, id, true),
    evictTracking: (a, id) => removeTracking(a, id, false),
    trackingNumberOf(a, id) {
      const t = lru.peek(k.tracking(a, resolveTrackingId(a, id)), { allowStale: true })?.value as Tracking | undefined;
      return t?.tracking_number ? { trackingNumber: t.tracking_number, ...(t.slug ? { slug: t.slug } : {}) } : undefined;
    },

    getCouriers: (a, scope) => peek<Courier[]>(k.couriers(a, scope))?.value,
    peekCouriers: (a, scope) => peek<Courier[]>(k.couriers(a, scope)),
    putCouriers: (a, scope, couriers) => setEntry(k.couriers(a, scope), 'couriers', couriers),

    getCourierConnection: (a, id) => peek<CourierConnection>(k.connection(a, id))?.value,
    peekCourierConnection: (a, id) => peek<CourierConnection>(k.connection(a, id)),
    putCourierConnection: (a, c) => {
      if (c.id) setEntry(k.connection(a, c.id), 'courierConnection', withoutCredentialValues(c));
    },
    deleteCourierConnection: (a, id) => remove(k.connection(a, id)),

    getEddPrediction: (a, req) => peek<EddResponse>(k.edd(a, req))?.value,
    peekEddPrediction: (a, req) => peek<EddResponse>(k.edd(a, req)),
    putEddPrediction: (a, req, res) => setEntry(k.edd(a, req), 'eddPrediction', res),

    claimRefresh(kind, accountId, key) {
      const token = `${kind}\u0000${accountId}\u0000${key}`;
      if (refreshing.has(token)) return undefined;
      refreshing.add(token);
      return () => void refreshing.delete(token);
    },

    stats: () => ({ entries: lru.size, bytes: lru.calculatedSize, ...counters }),
    clear: () => {
      lru.clear();
      refreshing.clear();
      onChange?.cleared();
    },
  };
}
