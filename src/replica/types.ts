/**
 * The replica's read interface: what delivery analytics (src/analytics) and exports read. It never
 * calls AfterShip; it answers from the trackings the gateway holds for one account, kept current
 * by the warm-up, webhooks and incremental list passes (src/replica/sync.ts).
 */
import type { Tracking } from '../aftership/wire-types.js';

export interface ReplicaCoverage {
  /**
   * True when the replica holds every tracking of the account with `updated_at` in [from, to]:
   * a full list pass finished and no tracking was evicted by the caps since.
   */
  complete: boolean;
  /** Trackings held now. */
  trackings: number;
  /** ISO 8601: start of the window (trackings with updated_at >= from). */
  from: string;
  /**
   * ISO 8601: up to when changes are known: now while webhooks flow, otherwise the start of the
   * last completed list pass (warm-up or incremental).
   */
  to: string;
  /** ISO 8601: when this coverage was computed (the gateway's clock). */
  asOf: string;
}

export type ReplicaChange =
  /** Added, or a newer version of a held tracking (`previous`: the version it replaces). */
  | { kind: 'put'; tracking: Tracking; previous: Tracking | undefined }
  /** Deleted in AfterShip, or dropped by the replica (`evicted`: by its caps): no longer held. */
  | { kind: 'delete'; previous: Tracking; evicted?: true }
  /** Everything dropped: rebuild from `scan()`. */
  | { kind: 'reset' };

export interface ScanOptions {
  /** Ends the scan (the iterator returns). */
  signal?: AbortSignal;
  /** Trackings yielded between two yields to the event loop. @default 500 */
  chunkSize?: number;
}

export interface TrackingReplica {
  readonly accountId: string;
  coverage(): ReplicaCoverage;
  /** Trackings held now. */
  size(): number;
  /** By AfterShip id or legacy id: whatever is held, without a freshness check. Read-only. */
  get(id: string): Tracking | undefined;
  /**
   * Every held tracking, in no particular order, in bounded memory (no copy of the set is made).
   * Weakly consistent: a tracking changed during the scan appears once, with either version; one
   * added during the scan may be missing; one removed before it is reached is not yielded.
   * Values are shared: treat them as read-only.
   */
  scan(options?: ScanOptions): AsyncIterableIterator<Tracking>;
  /** Called synchronously after every change; returns the unsubscribe function. */
  onChange(listener: (change: ReplicaChange) => void): () => void;
}
