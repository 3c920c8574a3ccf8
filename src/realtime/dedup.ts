/**
 * "Have we seen this webhook event before?" AfterShip delivers at least once and retries for
 * up to ~68.3 h (14 attempts, 30 s × 2^k back-off), so event ids are remembered for 72 h by default.
 *
 * The contract is async and atomic (first caller wins) so a shared store can implement it:
 * Redis does exactly this with `SET key 1 NX PX ttl`.
 */
import { systemClock, type Clock } from '../lib/clock.js';

export interface DedupStore {
  /** Records `eventId` for `ttlMs`; resolves true only for the first caller within that time. */
  markSeen(eventId: string, ttlMs: number): Promise<boolean>;
  /** Forgets `eventId`, so a retry is processed again (used when processing failed). */
  forget(eventId: string): Promise<void>;
}

/** 72 hours: longer than AfterShip's whole retry schedule (245,730 s ≈ 68.3 h). */
export const DEFAULT_DEDUP_TTL_MS = 72 * 60 * 60 * 1000;

export interface MemoryDedupOptions {
  /** @default systemClock */
  clock?: Clock;
  /**
   * Most event ids remembered. Past it the oldest id is forgotten even if its TTL has not run
   * out (a very late retry of it would then be delivered again): memory stays bounded
   * whatever the webhook rate. @default 500_000 (about 70 MB at worst)
   */
  maxEntries?: number;
}

export interface MemoryDedupStore extends DedupStore {
  size(): number;
  /** Ids forgotten early because the store was full. */
  evictedEarly(): number;
  /** The ids remembered now, oldest first. */
  ids(): string[];
  /** How much longer `eventId` is remembered, in ms; 0 when it is not. */
  remainingMs(eventId: string): number;
}

export function createMemoryDedupStore(options: MemoryDedupOptions = {}): MemoryDedupStore {
  const clock = options.clock ?? systemClock;
  const maxEntries = options.maxEntries ?? 500_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer (got ${maxEntries})`);
  }
  // Insertion order = age order: expired ids are found at the front without a scan.
  const seen = new Map<string, number>();
  let evicted = 0;

  const sweep = (now: number): void => {
    for (const [id, expiresAt] of seen) {
      if (expiresAt > now) break;
      seen.delete(id);
    }
  };

  return {
    async markSeen(eventId, ttlMs) {
      const now = clock.now();
      sweep(now);
      const expiresAt = seen.get(eventId);
      if (expiresAt !== undefined && expiresAt > now) return false;
      // Re-insert so the Map stays ordered by expiry time for a constant TTL.
      seen.delete(eventId);
      seen.set(eventId, now + ttlMs);
      while (seen.size > maxEntries) {
        const oldest = seen.keys().next().value as string;
        seen.delete(oldest);
        evicted++;
      }
      return true;
    },
    async forget(eventId) {
      seen.delete(eventId);
    },
    size: () => {
      sweep(clock.now());
      return seen.size;
    },
    evictedEarly: () => evicted,
    ids: () => {
      sweep(clock.now());
      return [...seen.keys()];
    },
    remainingMs: (eventId) => Math.max(0, (seen.get(eventId) ?? 0) - clock.now()),
  };
}
