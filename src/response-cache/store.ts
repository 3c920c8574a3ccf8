/**
 * The response cache's store: whole results of queries, each kept with the shared-cache entries it was
 * built from (its dependencies, src/cache keys). Correct by construction: a result is stored only when
 * every lookup of its operation was answered by a fresh shared-cache entry (no AfterShip call, no miss,
 * nothing stale), so it is a function of those entries (and of the document, variables, account and
 * scopes in its key). It is dropped when one of them is written or removed (a webhook, a poll, a
 * mutation, a refresh, another instance's write arriving over Redis: every writer goes through the
 * shared cache, which tells this store) and it expires when the first of them would turn stale.
 *
 * A write that lands while an operation runs could otherwise be missed (the result is stored after
 * the write's invalidation): `set` takes the change sequence read before the operation ran and
 * refuses the result when one of its dependencies changed since.
 */
import { LRUCache } from 'lru-cache';
import type { ExecutionResult } from 'graphql';
import { systemClock, type Clock } from '../lib/clock.js';

export interface CachedResponse {
  /** The result as executed (no `extensions.cost`: that is the request's own). */
  result: ExecutionResult;
  operationName: string | undefined;
  /** The cost guard's estimate when it ran. */
  estimated: number | null;
}

export interface ResponseHit {
  response: CachedResponse;
  /** Since it was stored. */
  ageMs: number;
  /** Until it expires (the first of its dependencies turns stale). */
  maxAgeMs: number;
}

export interface ResponseStoreStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  stored: number;
  invalidated: number;
}

export interface ResponseStore {
  get(key: string): ResponseHit | undefined;
  /** The change sequence now: read it before an operation runs, hand it to `set`. */
  sequence(): number;
  /** Stores unless one of `dependencies` changed after `since`; true when stored. */
  set(key: string, response: CachedResponse, dependencies: readonly string[], ttlMs: number, since: number): boolean;
  /** A shared-cache entry was written or removed: drop every result built from it. */
  changed(dependency: string): void;
  /** The shared cache was emptied. */
  cleared(): void;
  stats(): ResponseStoreStats;
}

export interface ResponseStoreOptions {
  /** Bytes of results held (their JSON size). */
  maxBytes: number;
  /** @default systemClock */
  clock?: Clock;
  /** Recent changes remembered for results still running. @default 10_000 */
  recentChanges?: number;
}

interface Entry {
  response: CachedResponse;
  dependencies: readonly string[];
  size: number;
  storedAt: number;
}

export function createResponseStore(options: ResponseStoreOptions): ResponseStore {
  const clock = options.clock ?? systemClock;
  const byDependency = new Map<string, Set<string>>();
  const counters = { hits: 0, misses: 0, stored: 0, invalidated: 0 };
  const lru = new LRUCache<string, Entry>({
    maxSize: Math.max(1, options.maxBytes),
    sizeCalculation: (entry) => entry.size,
    perf: clock,
    ttlResolution: 0,
    // However an entry goes (invalidated, expired, pushed out), its dependencies forget it.
    dispose: (entry, key) => {
      for (const d of entry.dependencies) {
        const keys = byDependency.get(d);
        keys?.delete(key);
        if (keys?.size === 0) byDependency.delete(d);
      }
    },
  });
  let seq = 0;
  // The last change of each recently changed dependency; past this window, `forgotten` is the newest lost one.
  const recent = new LRUCache<string, number>({ max: options.recentChanges ?? 10_000, dispose: (s) => void (forgotten = Math.max(forgotten, s)) });
  let forgotten = 0;

  const changedSince = (dependencies: readonly string[], since: number): boolean => {
    if (seq === since) return false;
    if (forgotten > since) return true;
    return dependencies.some((d) => (recent.peek(d) ?? 0) > since);
  };

  return {
    get(key) {
      const status: LRUCache.Status<string, Entry> = {};
      const entry = lru.get(key, { status });
      if (!entry) {
        counters.misses++;
        return undefined;
      }
      counters.hits++;
      const now = status.now ?? clock.now();
      return { response: entry.response, ageMs: now - entry.storedAt, maxAgeMs: Math.max(0, (status.start ?? now) + (status.ttl ?? 0) - now) };
    },
    sequence: () => seq,
    set(key, response, dependencies, ttlMs, since) {
      if (ttlMs < 1 || dependencies.length === 0 || changedSince(dependencies, since)) return false;
      const size = Buffer.byteLength(JSON.stringify(response.result), 'utf8') + key.length + 64;
      lru.set(key, { response, dependencies, size, storedAt: clock.now() }, { ttl: ttlMs });
      if (!lru.has(key)) return false; // larger than the whole cache
      for (const d of dependencies) {
        let keys = byDependency.get(d);
        if (!keys) byDependency.set(d, (keys = new Set()));
        keys.add(key);
      }
      counters.stored++;
      return true;
    },
    changed(dependency) {
      recent.set(dependency, ++seq);
      const keys = byDependency.get(dependency);
      if (!keys) return;
      for (const key of [...keys]) if (lru.delete(key)) counters.invalidated++;
    },
    cleared() {
      seq++;
      forgotten = seq;
      counters.invalidated += lru.size;
      lru.clear();
    },
    stats: () => ({ entries: lru.size, bytes: lru.calculatedSize, ...counters }),
  };
}
