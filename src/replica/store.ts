/**
 * The replica of one account's trackings, in memory: trackings by id, an id → tracking-number index
 * (kept for evicted trackings too, so a lookup by id can still go through the 50-per-call number
 * batch), the number index, tombstones of deleted trackings, and the coverage the sync reports.
 *
 * Freshness: while the account's webhooks flow (`live()`), a held tracking is current: webhooks
 * bring every change, so it is served without expiry. Otherwise it is fresh for `ttlMs` after it
 * was last known current (fetched, listed, pushed, or covered by a completed list pass), then
 * stale-but-servable for `staleMs` more (the caller refreshes it), then not served.
 *
 * Bounds: at most `maxEntries` trackings and `maxBytes` (JSON size). Past either, the ones no
 * longer moving go first (inactive: delivered, expired, completed), least recently updated first,
 * then active ones the same way; eviction makes the coverage incomplete.
 */
import { timeOf, type Tracking } from '../aftership/wire-types.js';
import type { Clock } from '../lib/clock.js';
import { jsonBytes } from '../lib/json-bytes.js';
import type { ReplicaChange, ReplicaCoverage, ScanOptions, TrackingReplica } from './types.js';

export interface ReplicaHit {
  value: Tracking;
  stale: boolean;
  /** What an answer built from it depends on (the response cache): its keys and how long it stays fresh. */
  entry: { keys: readonly string[]; freshForMs: number };
}

export interface TrackingNumberRef {
  trackingNumber: string;
  slug?: string;
}

export interface ReplicaStoreOptions {
  accountId: string;
  clock: Clock;
  /** Trackings with updated_at in the last `windowMs` are what a full pass lists. */
  windowMs: number;
  /** @default 100_000 */
  maxEntries?: number;
  /** JSON bytes of the held trackings. @default 256 MiB */
  maxBytes?: number;
  /** Fresh period when webhooks are not flowing. @default 120_000 */
  ttlMs?: number;
  /** Stale-while-revalidate period after that. @default 600_000 */
  staleMs?: number;
  /** Told of every write and removal (by the keys in `ReplicaHit.entry`): the response cache. */
  changes?: { changed(key: string): void; cleared(): void };
}

export interface ReplicaStoreStats {
  trackings: number;
  bytes: number;
  /** Trackings dropped by the caps so far. */
  evicted: number;
  /** Ids whose tracking number is known (held or evicted). */
  indexed: number;
}

export interface ReplicaStore extends TrackingReplica {
  /**
   * Stores unless a newer version (updated_at) or a tombstone is held; `verifiedAt`: when AfterShip
   * said so; `jsonSize`: the tracking's JSON size when known (measured otherwise).
   */
  put(tracking: Tracking, verifiedAt?: number, jsonSize?: number): boolean;
  /** True when the replica holds a version newer than this one (a write of it would roll back). */
  holdsNewer(tracking: Tracking): boolean;
  /** `deleted`: a tombstone keeps late copies out; otherwise the next read may store any copy. */
  remove(id: string, deleted: boolean): void;
  /** With freshness (see module comment); undefined when not held or too old to serve. */
  peek(id: string): ReplicaHit | undefined;
  peekByNumber(trackingNumber: string, slug?: string): ReplicaHit | undefined;
  /** The tracking number (and slug) of an id the replica has seen, held or evicted. */
  numberOf(id: string): TrackingNumberRef | undefined;
  /**
   * Resolves with the tracking once it is stored (by id or legacy id), or undefined after
   * `timeoutMs`, on `releaseWaiters()`, or at once when MAX_WAITERS lookups already wait.
   */
  whenHeld(id: string, timeoutMs: number): Promise<Tracking | undefined>;
  /** Resolves every waiter with undefined (the warm-up ended: what it did not list, it will not). */
  releaseWaiters(): void;
  /** Who tells whether webhooks are flowing for the account now. */
  setLive(live: () => boolean): void;
  live(): boolean;
  /** A list pass that started at `startedAt` completed: everything held is current as of then. */
  passCompleted(startedAt: number, full: boolean): void;
  /** Held ids last known current before `before` with updated_at >= `updatedFrom` (a full pass's candidates for deletion). */
  unseenSince(before: number, updatedFrom: number): string[];
  stats(): ReplicaStoreStats;
  clear(): void;
}

interface Entry {
  tracking: Tracking;
  updatedMs: number;
  verifiedMs: number;
  bytes: number;
  active: boolean;
}

const MAX_TOMBSTONES = 10_000;
/** Lookups waiting for the warm-up at once; more take the normal path at once (a flood of unknown ids). */
const MAX_WAITERS = 10_000;
/** Overhead beyond the JSON text: the entry, its map slots and index keys. */
const ENTRY_OVERHEAD_BYTES = 200;

const norm = (n: string): string => n.trim().toUpperCase();
const iso = (ms: number): string => new Date(ms).toISOString();

/** Delivered, expired or marked completed: no longer moving, first to go when the replica is full. */
function isActive(t: Tracking): boolean {
  if (t.active === false) return false;
  return t.tag !== 'Delivered' && t.tag !== 'Expired';
}

export function createReplicaStore(options: ReplicaStoreOptions): ReplicaStore {
  const { accountId, clock, windowMs } = options;
  const maxEntries = options.maxEntries ?? 100_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const ttlMs = options.ttlMs ?? 120_000;
  const staleMs = options.staleMs ?? 600_000;
  const entries = new Map<string, Entry>();
  const byNumber = new Map<string, string>();
  const legacy = new Map<string, string>();
  /** id → number + slug, for held and evicted trackings (insertion order: oldest first). */
  const numbers = new Map<string, TrackingNumberRef>();
  const tombstones = new Map<string, number>();
  const listeners = new Set<(change: ReplicaChange) => void>();
  const waiters = new Map<string, ((t: Tracking | undefined) => void)[]>();
  let waiting = 0;
  const wake = (id: string | undefined, t: Tracking | undefined): void => {
    const list = id ? waiters.get(id) : undefined;
    if (!list) return;
    waiters.delete(id!);
    waiting -= list.length;
    for (const w of list) w(t);
  };
  let bytes = 0;
  let evicted = 0;
  let capped = false;
  let lastEvictionAt = -Infinity;
  let fullPassAt: number | undefined;
  let watermark = -Infinity;
  let live: () => boolean = () => false;

  const emit = (change: ReplicaChange): void => {
    for (const l of [...listeners]) l(change);
  };

  const numberKeys = (t: Tracking): string[] => {
    if (!t.tracking_number) return [];
    const n = norm(t.tracking_number);
    return t.slug ? [`*\u0000${n}`, `${t.slug}\u0000${n}`] : [`*\u0000${n}`];
  };

  const resolve = (id: string): string => legacy.get(id) ?? id;
  const idKey = (id: string): string => `rp\u0000${accountId}\u0000${id}`;
  const numberKey = (key: string): string => `rpn\u0000${accountId}\u0000${key}`;
  /** The response cache forgets answers built from this tracking (by id, legacy id or number). */
  const changed = (id: string, t: Tracking): void => {
    if (!options.changes) return;
    options.changes.changed(idKey(id));
    if (t.legacy_id) options.changes.changed(idKey(t.legacy_id));
    for (const key of numberKeys(t)) options.changes.changed(numberKey(key));
  };

  function unindex(id: string, t: Tracking): void {
    for (const key of numberKeys(t)) if (byNumber.get(key) === id) byNumber.delete(key);
    if (t.legacy_id && legacy.get(t.legacy_id) === id) legacy.delete(t.legacy_id);
  }

  function drop(id: string, keepNumber: boolean, evicted = false): Entry | undefined {
    const e = entries.get(id);
    if (!e) return undefined;
    entries.delete(id);
    bytes -= e.bytes;
    unindex(id, e.tracking);
    if (!keepNumber) numbers.delete(id);
    changed(id, e.tracking);
    emit({ kind: 'delete', previous: e.tracking, ...(evicted && { evicted }) });
    return e;
  }

  /** Drops about 1% more than needed, so a full replica does not sort on every put. */
  function evict(): void {
    if (entries.size <= maxEntries && bytes <= maxBytes) return;
    const order = [...entries].sort(([, a], [, b]) => Number(a.active) - Number(b.active) || a.updatedMs - b.updatedMs);
    const entryGoal = Math.floor(maxEntries * 0.99);
    const byteGoal = Math.floor(maxBytes * 0.99);
    for (const [id] of order) {
      if (entries.size <= entryGoal && bytes <= byteGoal) break;
      drop(id, true, true);
      evicted++;
    }
    capped = true;
    lastEvictionAt = clock.now();
  }

  function put(tracking: Tracking, verifiedAt = clock.now(), jsonSize?: number): boolean {
    const id = tracking.id;
    if (!id) return false;
    const updatedMs = timeOf(tracking.updated_at);
    const current = entries.get(id);
    if (current && current.updatedMs > updatedMs) return false;
    const tomb = tombstones.get(id);
    if (tomb !== undefined && tomb >= updatedMs) return false;
    tombstones.delete(id);
    const size = (jsonSize ?? jsonBytes(tracking)) + ENTRY_OVERHEAD_BYTES;
    if (current) {
      bytes -= current.bytes;
      unindex(id, current.tracking);
    }
    entries.set(id, { tracking, updatedMs, verifiedMs: Math.max(verifiedAt, current?.verifiedMs ?? -Infinity), bytes: size, active: isActive(tracking) });
    bytes += size;
    for (const key of numberKeys(tracking)) byNumber.set(key, id);
    if (tracking.legacy_id) legacy.set(tracking.legacy_id, id);
    if (tracking.tracking_number) {
      numbers.delete(id);
      numbers.set(id, { trackingNumber: tracking.tracking_number, ...(tracking.slug ? { slug: tracking.slug } : {}) });
      // Evicted trackings' numbers are kept up to as many as the replica may hold.
      while (numbers.size > maxEntries * 2) numbers.delete(numbers.keys().next().value as string);
    }
    if (current) changed(id, current.tracking);
    changed(id, tracking);
    emit({ kind: 'put', tracking, previous: current?.tracking });
    if (waiting > 0) {
      wake(id, tracking);
      wake(tracking.legacy_id ?? undefined, tracking);
    }
    evict();
    return true;
  }

  /** `via`: the keys read on the way (the number index, the legacy id). */
  function hit(e: Entry | undefined, via: string[]): ReplicaHit | undefined {
    if (!e || !e.tracking.id) return undefined;
    const keys = [...via, idKey(e.tracking.id)];
    if (live()) return { value: e.tracking, stale: false, entry: { keys, freshForMs: ttlMs } };
    const age = clock.now() - Math.max(e.verifiedMs, watermark);
    if (age < ttlMs) return { value: e.tracking, stale: false, entry: { keys, freshForMs: ttlMs - age } };
    if (age < ttlMs + staleMs) return { value: e.tracking, stale: true, entry: { keys, freshForMs: 0 } };
    return undefined;
  }

  async function* scan(opts: ScanOptions = {}): AsyncIterableIterator<Tracking> {
    const chunk = Math.max(1, opts.chunkSize ?? 500);
    let n = 0;
    // A Map iterator survives changes: updated keys keep their place, removed ones are skipped.
    for (const e of entries.values()) {
      if (opts.signal?.aborted) return;
      yield e.tracking;
      if (++n % chunk === 0) await new Promise<void>((r) => setImmediate(r));
    }
  }

  return {
    accountId,
    coverage(): ReplicaCoverage {
      const now = clock.now();
      const isLive = live();
      const to = isLive ? now : Number.isFinite(watermark) ? watermark : now - windowMs;
      return {
        complete: fullPassAt !== undefined && !capped,
        trackings: entries.size,
        from: iso(now - windowMs),
        to: iso(Math.max(to, now - windowMs)),
        asOf: iso(now),
      };
    },
    size: () => entries.size,
    get: (id) => entries.get(resolve(id))?.tracking,
    scan,
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    put,
    holdsNewer(tracking) {
      const e = tracking.id ? entries.get(tracking.id) : undefined;
      return e !== undefined && e.updatedMs > timeOf(tracking.updated_at);
    },
    remove(id, deleted) {
      const realId = resolve(id);
      const e = drop(realId, !deleted);
      if (deleted) {
        tombstones.set(realId, e ? e.updatedMs : clock.now());
        while (tombstones.size > MAX_TOMBSTONES) tombstones.delete(tombstones.keys().next().value as string);
      }
    },
    peek: (id) => hit(entries.get(resolve(id)), [idKey(id)]),
    peekByNumber(trackingNumber, slug) {
      const key = `${slug ?? '*'}\u0000${norm(trackingNumber)}`;
      const id = byNumber.get(key);
      return id ? hit(entries.get(id), [numberKey(key)]) : undefined;
    },
    numberOf: (id) => numbers.get(resolve(id)),
    whenHeld(id, timeoutMs) {
      const held = entries.get(resolve(id));
      if (held) return Promise.resolve(held.tracking);
      if (waiting >= MAX_WAITERS || timeoutMs <= 0) return Promise.resolve(undefined);
      return new Promise((done) => {
        let settled = false;
        const settle = (t: Tracking | undefined): void => {
          if (settled) return;
          settled = true;
          timer.cancel();
          done(t);
        };
        const timer = clock.setTimer(() => {
          const list = waiters.get(id);
          const i = list?.indexOf(settle) ?? -1;
          if (list && i >= 0) {
            list.splice(i, 1);
            waiting--;
            if (list.length === 0) waiters.delete(id);
          }
          settle(undefined);
        }, timeoutMs);
        const list = waiters.get(id) ?? [];
        list.push(settle);
        waiters.set(id, list);
        waiting++;
      });
    },
    releaseWaiters() {
      for (const id of [...waiters.keys()]) wake(id, undefined);
    },
    setLive(fn) {
      live = fn;
    },
    live: () => live(),
    passCompleted(startedAt, full) {
      watermark = Math.max(watermark, startedAt);
      if (full) {
        fullPassAt = startedAt;
        // A full pass during which nothing was evicted covers the window again.
        capped = lastEvictionAt >= startedAt;
      }
    },
    unseenSince(before, updatedFrom) {
      const ids: string[] = [];
      for (const [id, e] of entries) if (e.verifiedMs < before && e.updatedMs >= updatedFrom) ids.push(id);
      return ids;
    },
    stats: () => ({ trackings: entries.size, bytes, evicted, indexed: numbers.size }),
    clear() {
      entries.clear();
      byNumber.clear();
      legacy.clear();
      numbers.clear();
      tombstones.clear();
      bytes = 0;
      fullPassAt = undefined;
      watermark = -Infinity;
      options.changes?.cleared();
      emit({ kind: 'reset' });
    },
  };
}
