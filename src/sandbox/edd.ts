/**
 * AI EDD emulation: a deterministic transit-time model per courier kind and route
 * (domestic express 1-2 business days ... international post 7-20), honouring pickup_time or
 * estimated_pickup (order cut-off, business days, processing time) as REFERENCE §5.3 describes.
 * The same input always gives the same answer (the id is a hash of the input).
 */
import { createHash } from 'node:crypto';
import type { CourierKind } from './fixtures/courier-profiles.js';
import { DAY_MS } from './format.js';
import { hashString } from './random.js';

export interface TransitEstimate {
  days: number;
  minDays: number;
  maxDays: number;
  confidence: number;
}

export interface RouteInput {
  slug: string;
  kind: CourierKind;
  originCountry: string;
  destinationCountry: string;
  originState?: string | null;
  destinationState?: string | null;
  preciseAddresses: boolean;
  service?: string | null;
}

const RANGES: Record<CourierKind, { domestic: [number, number]; international: [number, number] }> = {
  express: { domestic: [1, 2], international: [2, 5] },
  parcel: { domestic: [1, 4], international: [4, 8] },
  post: { domestic: [2, 5], international: [7, 20] },
};

/** Business days in transit for a route: deterministic, plausible per courier kind and distance. */
export function estimateTransit(route: RouteInput): TransitEstimate {
  const intl = route.originCountry !== route.destinationCountry;
  const [lo, hi] = RANGES[route.kind][intl ? 'international' : 'domestic'];
  const h = hashString(
    [route.slug, route.originCountry, route.originState ?? '', route.destinationCountry, route.destinationState ?? '', route.service ?? ''].join('|'),
  );
  const sameState = !intl && route.originState != null && route.originState === route.destinationState;
  const span = sameState ? 0 : hi - lo;
  // Express services named "overnight", "12:00" or "next day" are one day domestically.
  const fast = /overnight|next day|12:00|express/i.test(route.service ?? '') && !intl;
  const days = fast ? lo : lo + (h % (span + 1));
  const slack = intl ? 2 + (h % 3) : 1 + (h % 2);
  let confidence = intl ? 20001 : route.kind === 'post' ? 30001 : 10001;
  if (!route.preciseAddresses) confidence = 30004;
  else if (!intl && route.kind === 'express') confidence = 10000;
  return { days, minDays: Math.max(1, days - 1), maxDays: days + slack, confidence };
}

/** Mon=1 ... Sun=7, as AfterShip numbers business days. */
export function isoWeekday(ms: number): number {
  const d = new Date(ms).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Adds n business days to a (wall-clock, UTC-encoded) instant. */
export function addBusinessDays(ms: number, n: number, businessDays: readonly number[] = [1, 2, 3, 4, 5]): number {
  let t = ms;
  let left = n;
  while (left > 0) {
    t += DAY_MS;
    if (businessDays.includes(isoWeekday(t))) left--;
  }
  return t;
}

/** Moves forward to the next business day if `ms` is not on one. */
export function onBusinessDay(ms: number, businessDays: readonly number[]): number {
  let t = ms;
  for (let i = 0; i < 7 && !businessDays.includes(isoWeekday(t)); i++) t += DAY_MS;
  return t;
}

/**
 * Pickup from an order: after the cut-off the order counts from the next business day, then the
 * processing days (business days) are added; pickup happens at the cut-off time of that day.
 * Wall-clock times are carried as if they were UTC (they are local to the origin, no offset).
 */
export function pickupFromOrder(orderMs: number, cutoff: string, businessDays: readonly number[], processingDays: number): number {
  const [ch, cm, cs] = cutoff.split(':').map(Number);
  const dayStart = Math.floor(orderMs / DAY_MS) * DAY_MS;
  const cutoffMs = dayStart + ((ch * 60 + cm) * 60 + cs) * 1000;
  let day = dayStart;
  if (orderMs > cutoffMs || !businessDays.includes(isoWeekday(day))) day = onBusinessDay(day + DAY_MS, businessDays);
  day = addBusinessDays(day, processingDays, businessDays);
  return day + (cutoffMs - dayStart);
}

/** A stable 32-hex id for an EDD answer: the same input gives the same id. */
export function eddId(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 32);
}

/** Delivery days for a transit estimate counted from a pickup instant (posts also deliver on Saturdays). */
export function deliveryDates(pickupMs: number, est: TransitEstimate, kind: CourierKind): { date: number; min: number; max: number } {
  const days = kind === 'post' ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5];
  return {
    date: addBusinessDays(pickupMs, est.days, days),
    min: addBusinessDays(pickupMs, est.minDays, days),
    max: addBusinessDays(pickupMs, est.maxDays, days),
  };
}
