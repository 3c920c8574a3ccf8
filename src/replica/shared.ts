/**
 * A copy of one account's replica shared by every instance (with REDIS_URL: src/redis/replica-copy.ts),
 * so a restarted or new instance is warm at once: it loads the copy and lists only what changed since
 * the copy's `asOf`. Without one, every instance warms up on its own.
 *
 * Every instance writes what its own replica stores and removes (webhooks, fetches, mutations, list
 * passes: each instance applies the same writes through the mirrored cache, newest `updated_at` wins),
 * so the copy stays as current as any instance. One instance at a time warms up into it (`lock()`).
 */
import type { Tracking } from '../aftership/wire-types.js';
import type { ReplicaStore } from './store.js';

export interface SharedCopyMeta {
  /** Start of the last full pass written into the copy (ms). */
  fullAt: number;
  /** Changes up to here are in the copy (ms): the last pass's start, or a heartbeat while webhooks flow. */
  asOf: number;
  /** Nothing was evicted from the copy since that full pass, and no write to it was lost. */
  complete: boolean;
  /** The window the full pass listed. */
  windowMs: number;
}

export interface ReplicaSharedCopy {
  /** The copy's description; undefined when no full pass was written (or it was invalidated). Rejects when unreachable. */
  meta(): Promise<SharedCopyMeta | undefined>;
  /** True when this instance may warm up into the copy (held and renewed until `unlock()`); false: another instance does. */
  lock(): Promise<boolean>;
  unlock(): Promise<void>;
  /** Drops the copy (a fresh full pass is about to fill it: nothing deleted in AfterShip may stay). */
  reset(): Promise<void>;
  /** Reads the whole copy, a chunk at a time. */
  load(onChunk: (trackings: Tracking[]) => void, signal: AbortSignal): Promise<void>;
  /** Queued and sent in the background: a tracking this instance stored / dropped. */
  put(tracking: Tracking): void;
  /** `evicted`: dropped by the caps (the copy is no longer complete), not deleted. */
  remove(id: string, evicted: boolean): void;
  /** A pass completed: `asOf` for any pass, and for a full one its start (and whether the store is complete). */
  passed(pass: { asOf: number; full?: { complete: boolean; windowMs: number } }): void;
  /** Writes still queued are sent (tests, shutdown). */
  flush(): Promise<void>;
  close(): void;
}

/**
 * Mirrors the store's writes to the copy. Removals (deletes, and trackings dropped by the caps) are
 * mirrored too: every instance runs the same caps, and the copy bounds itself in any case.
 * Returns `restore`, which puts trackings read from the copy into the store without writing them back.
 */
export function mirrorToCopy(store: ReplicaStore, copy: ReplicaSharedCopy): { restore(trackings: Tracking[], verifiedAt: number): void; detach(): void } {
  let restoring = false;
  const detach = store.onChange((change) => {
    if (restoring) return;
    if (change.kind === 'put') copy.put(change.tracking);
    else if (change.kind === 'delete' && change.previous.id) copy.remove(change.previous.id, change.evicted === true);
  });
  return {
    restore(trackings, verifiedAt) {
      restoring = true;
      try {
        for (const t of trackings) store.put(t, verifiedAt);
      } finally {
        restoring = false;
      }
    },
    detach,
  };
}
