/**
 * Estimated delivery on a tracking: AfterShip's EDD (and the carrier's, for express couriers) set
 * at pickup, revised by delays, and the on-time status measured against the latest estimate.
 */
import type { Tracking } from '../aftership/wire-types.js';
import { profileOf } from './fixtures/courier-profiles.js';
import { dateOnly, DAY_MS } from './format.js';
import { deliveryDates, estimateTransit, type TransitEstimate } from './edd.js';
import type { CourierKind } from './fixtures/courier-profiles.js';
import type { Place } from './fixtures/places.js';
import type { TrackingState } from './tracking-model.js';

/** AfterShip's transit estimate for a shipment's route (what its EDD is computed from). */
export function transitOf(slug: string, kind: CourierKind, origin: Place, destination: Place, service: string | null | undefined): TransitEstimate {
  return estimateTransit({
    slug, kind, originCountry: origin.country, destinationCountry: destination.country,
    originState: origin.state, destinationState: destination.state, preciseAddresses: true, service,
  });
}

/** Sets the EDDs at pickup: AfterShip's from the route estimate, the carrier's too for express couriers. */
export function setEdd(st: TrackingState, at: number): void {
  const t = st.data;
  const kind = profileOf(t.slug ?? '')?.kind ?? 'parcel';
  const est = transitOf(t.slug ?? '', kind, st.origin, st.destination, t.shipment_type);
  const local = at + st.origin.tz * 60_000;
  const d = deliveryDates(local, est, kind);
  t.aftership_estimated_delivery_date = {
    estimated_delivery_date: dateOnly(d.date), confidence_code: est.confidence,
    estimated_delivery_date_min: dateOnly(d.min), estimated_delivery_date_max: dateOnly(d.max),
  };
  const carrierEdd = kind === 'express' ? dateOnly(d.date) : null;
  if (carrierEdd) t.courier_estimated_delivery_date = { estimated_delivery_date: carrierEdd, estimated_delivery_date_min: null, estimated_delivery_date_max: null };
  const source = carrierEdd ? 'Carrier EDD' : 'AfterShip EDD';
  t.first_estimated_delivery ??= { type: 'specific', source, datetime: dateOnly(d.date), datetime_min: null, datetime_max: null };
  t.latest_estimated_delivery = { type: 'specific', source, datetime: dateOnly(d.date), datetime_min: null, datetime_max: null, revise_reason: null };
}

function shiftDate(date: string | null | undefined, days: number): string | null {
  if (!date) return null;
  return dateOnly(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

/** A delay pushes AfterShip's (and the carrier's) estimate back by `days`, as a range, with the reason. */
export function reviseEdd(st: TrackingState, days: number, reason: string): void {
  const t = st.data;
  const a = t.aftership_estimated_delivery_date;
  if (!a) return;
  t.aftership_estimated_delivery_date = {
    estimated_delivery_date: shiftDate(a.estimated_delivery_date, days) ?? undefined,
    confidence_code: 30001,
    estimated_delivery_date_min: shiftDate(a.estimated_delivery_date_min, days) ?? undefined,
    estimated_delivery_date_max: shiftDate(a.estimated_delivery_date_max, days + 1) ?? undefined,
  };
  const c = t.courier_estimated_delivery_date;
  if (c?.estimated_delivery_date) c.estimated_delivery_date = shiftDate(c.estimated_delivery_date, days);
  t.latest_estimated_delivery = {
    type: 'range', source: 'AfterShip EDD', datetime: null,
    datetime_min: t.aftership_estimated_delivery_date.estimated_delivery_date_min ?? null,
    datetime_max: t.aftership_estimated_delivery_date.estimated_delivery_date_max ?? null,
    revise_reason: reason,
  };
}

/** The latest EDD day (end of a range), for on-time status. */
function latestEddDay(t: Tracking): string | null {
  const l = t.latest_estimated_delivery;
  return l ? (l.datetime ?? l.datetime_max ?? null) : null;
}

/** on_time_status / on_time_difference against the latest estimate, while moving and once delivered. */
export function updateOnTime(t: Tracking, at: number, deliveredAt: number | null): void {
  const edd = latestEddDay(t);
  if (!edd) return;
  // End of that (UTC) day; the EDD is a plain YYYY-MM-DD.
  const eddMs = Date.UTC(Number(edd.slice(0, 4)), Number(edd.slice(5, 7)) - 1, Number(edd.slice(8, 10)), 23, 59, 59);
  const ref = deliveredAt ?? at;
  const late = Math.max(0, Math.ceil((ref - eddMs) / DAY_MS));
  // Vocabulary is undocumented: on-time / late when delivered, trending-* while moving (REFERENCE §6.1).
  if (deliveredAt !== null) t.on_time_status = late > 0 ? 'late' : 'on-time';
  else t.on_time_status = late > 0 ? 'trending-late' : 'trending-on-time';
  t.on_time_difference = late;
}
