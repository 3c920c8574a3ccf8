/**
 * What analytics reads: the account's replicated trackings and how much of the account they are.
 * Analytics never reaches the AfterShip client; the replica (kept by its warm-up and by webhooks)
 * is its only input, so a statistic or an export costs no AfterShip call.
 */
import type { Tracking } from '../aftership/wire-types.js';

/** Which window of the account the replica holds, so a figure is never silently partial. */
export interface Coverage {
  /** True when the replica holds every tracking of the account created in [from, to]. */
  complete: boolean;
  /** Why not complete (warm-up running, replica capped...); null when complete. */
  incompleteReason: string | null;
  /** Trackings held (before any filter). */
  trackings: number;
  /** `created_at` of the oldest and newest tracking the window covers (epoch ms); null when empty. */
  from: number | null;
  to: number | null;
  /** When the replica was last known current (epoch ms); null before its first pass. */
  asOf: number | null;
}

export interface AnalyticsSource {
  coverage(): Coverage;
  /** The trackings held now. Iterated synchronously by statistics; exports walk it in slices. */
  trackings(): Iterable<Tracking>;
}
