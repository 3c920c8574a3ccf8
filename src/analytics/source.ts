/**
 * What analytics reads: the account's replica (src/replica/types.ts), through the two methods it
 * needs. Analytics never reaches the AfterShip client; the replica (kept by its warm-up and by
 * webhooks) is its only input, so a statistic or an export costs no AfterShip call.
 */
import type { ReplicaCoverage, TrackingReplica } from '../replica/types.js';

/** Which window of the account the replica holds, so a figure is never silently partial. */
export type Coverage = ReplicaCoverage;

/** The replica as analytics reads it: its coverage, and a bounded-memory scan of what it holds. */
export type AnalyticsSource = Pick<TrackingReplica, 'coverage' | 'scan'>;
