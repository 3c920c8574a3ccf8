/**
 * How long things take, in simulation time. Every shipment (seeded, arriving or created through
 * the API) follows these gaps: hours to days between carrier scans, as parcels really move, and
 * the few time scales AfterShip documents (REFERENCE §7, §8, §5.1): a tracking with no carrier
 * news for 30 days expires, `tracking_pending_time` fires after a shipment stayed Pending past a
 * threshold, and AfterShip keeps 120 days of trackings. Speed (see simulation.ts) compresses all
 * of them alike, so relative time scales stay right at any speed.
 */
import type { CourierKind } from './fixtures/courier-profiles.js';
import type { TransitEstimate } from './edd.js';
import type { StepTemplate } from './scripts.js';
import type { Rng } from './random.js';
import { DAY_MS } from './format.js';

export const HOUR_MS = 3_600_000;
/** Expired_001: no tracking information for 30 days (REFERENCE §7). */
export const EXPIRY_MS = 30 * DAY_MS;
/** AfterShip keeps 120 days of trackings (REFERENCE §5.1, created_at_min). */
export const RETENTION_MS = 120 * DAY_MS;
/** The seeded trackings were created over this many days before the start (and arrivals continue at that pace). */
export const SEED_WINDOW_DAYS = 42;
/** Default `tracking_pending_time` threshold (AfterShip lets the user pick 24/48/72… hours). */
export const DEFAULT_PENDING_ALERT_HOURS = 48;
/** One simulated day per real minute: the time-lapse the gateway's sandbox mode uses so the demo moves. */
export const DEMO_SPEED = 1440;

/** A whole-second instant: AfterShip's timestamps have second precision. */
export const toSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** Uniform duration between lo and hi hours, to the minute. */
const hours = (rng: Rng, lo: number, hi: number): number => rng.int(lo * 60, hi * 60) * 60_000;

/** Mostly `common`, sometimes `slow` (a share `p`): carriers have long tails. */
const tail = (rng: Rng, p: number, common: [number, number], slow: [number, number]): number =>
  rng.chance(p) ? hours(rng, slow[0], slow[1]) : hours(rng, common[0], common[1]);

/** Time from the previous event (or creation) to `step`, for a courier of `kind`. */
export function gapMs(rng: Rng, step: StepTemplate, prev: StepTemplate | undefined, kind: CourierKind): number {
  const s = step.subtag;
  if (step.tag === 'Expired') return EXPIRY_MS + hours(rng, 0, 6); // AfterShip's daily expiry job
  if (s === 'InfoReceived_001') return rng.chance(0.05) ? hours(rng, 48, 120) : tail(rng, 0.15, [1, 12], [12, 40]);
  if (s === 'InTransit_002') return tail(rng, 0.25, [3, 30], [30, 96]);
  if (s === 'InTransit_004') return kind === 'post' ? hours(rng, 72, 216) : kind === 'parcel' ? hours(rng, 24, 72) : hours(rng, 12, 30);
  if (s === 'InTransit_006') return hours(rng, 1, 6);
  if (s === 'InTransit_005') return hours(rng, 10, 40);
  if (s === 'InTransit_001') return hours(rng, 6, 30);
  if (s === 'InTransit_007') return hours(rng, 1, 8);
  if (s === 'InTransit_003') return kind === 'post' ? hours(rng, 6, 30) : hours(rng, 3, 14);
  // A delay lasts about the days the EDD was pushed back by.
  if (s === 'InTransit_008') return (prev?.edd?.kind === 'revise' ? prev.edd.days : 1) * hours(rng, 18, 30);
  if (s === 'Exception_011') return hours(rng, 72, 240); // the way back to the sender
  if (s === 'Exception_013') return hours(rng, 120, 360); // declared lost after days of silence
  if (s === 'Exception_008') return hours(rng, 168, 336); // not collected within the holding period
  if (s === 'Exception_020') return hours(rng, 24, 120);
  if (s === 'Exception_010') return hours(rng, 6, 30);
  if (step.tag === 'Exception') return hours(rng, 4, 20);
  if (step.tag === 'OutForDelivery') return prev?.tag === 'AttemptFail' ? hours(rng, 18, 30) : hours(rng, 6, 14);
  if (step.tag === 'Delivered' && prev?.tag === 'AvailableForPickup') return tail(rng, 0.3, [4, 48], [48, 144]);
  if (step.tag === 'AvailableForPickup') return prev?.tag === 'InTransit' ? hours(rng, 6, 20) : hours(rng, 2, 8);
  if (step.tag === 'AttemptFail' || step.tag === 'Delivered') return hours(rng, 1, 9);
  return hours(rng, 3, 20);
}

/** Share of deliveries later than the first estimate (carriers deliver about 85-90% on time). */
const LATE_SHARE = 0.08;

/**
 * Stretches or shrinks the in-network legs (pickup to the last mile) so the delivery lands around
 * the route's estimate: mostly within it, LATE_SHARE of the time up to 80% over it. Delays and
 * extra attempts come on top, so those shipments are late against their first estimate.
 */
function fitToEstimate(rng: Rng, gaps: number[], script: readonly StepTemplate[], kind: CourierKind, est: TransitEstimate): void {
  const pickup = script.findIndex((s) => s.subtag === 'InTransit_002');
  const lastMile = script.findIndex((s, i) => i > pickup && (s.tag === 'OutForDelivery' || s.tag === 'AvailableForPickup'));
  if (pickup < 0 || lastMile < 0) return; // lost, cancelled, expired: nothing to deliver on time
  let scalable = 0;
  let fixed = gaps[lastMile] + (gaps[lastMile + 1] ?? 0);
  for (let i = pickup + 1; i < lastMile; i++) {
    if (script[i].tag === 'InTransit' && script[i].subtag !== 'InTransit_008') scalable += gaps[i];
    else fixed += gaps[i];
  }
  if (scalable <= 0) return;
  // Business days to calendar days (posts deliver on Saturdays).
  const calendarMs = est.days * DAY_MS * (kind === 'post' ? 7 / 6 : 7 / 5);
  const share = rng.chance(LATE_SHARE) ? 1.05 + rng.next() * 0.75 : 0.45 + rng.next() * 0.45;
  const factor = Math.min(4, Math.max(0.25, (calendarMs * share - fixed) / scalable));
  for (let i = pickup + 1; i < lastMile; i++) {
    if (script[i].tag === 'InTransit' && script[i].subtag !== 'InTransit_008') gaps[i] = Math.max(30, Math.round((gaps[i] * factor) / 60_000)) * 60_000;
  }
}

/**
 * The gap before each step of a script (the first one counts from creation); with the route's
 * transit estimate, the legs are fitted to it.
 */
export function gapsOf(rng: Rng, script: readonly StepTemplate[], kind: CourierKind, estimate?: TransitEstimate): number[] {
  const gaps = script.map((step, i) => gapMs(rng, step, script[i - 1], kind));
  if (estimate) fitToEstimate(rng, gaps, script, kind, estimate);
  return gaps;
}

/** Absolute times of the steps, from `start` (creation) on, to the second. */
export function timesFrom(start: number, gaps: readonly number[]): number[] {
  let sum = start;
  return gaps.map((g) => toSecond((sum += g)));
}

/** After a retrack, AfterShip polls the carrier again within minutes. */
export function recheckGapMs(rng: Rng): number {
  return rng.int(60, 240) * 1000;
}
