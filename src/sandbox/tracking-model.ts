/**
 * The Tracking object and how one carrier event changes it. Seeding and the live simulation both
 * go through `applyStep`, so invariants hold everywhere: tag/subtag/subtag_message equal the
 * newest checkpoint's, `active:false` once terminal, return_to_sender from Exception_010/011,
 * pickup/delivery dates, transit_time, failed attempts and EDDs follow the checkpoints.
 */
import { createHash } from 'node:crypto';
import type { Checkpoint, Tracking } from '../aftership/wire-types.js';
import type { Place } from './fixtures/places.js';
import { profileOf } from './fixtures/courier-profiles.js';
import { SUBTAG_MESSAGES, isTerminal } from './fixtures/subtags.js';
import type { StepTemplate } from './scripts.js';
import { dateOnly, daysBetween, localIso, utcIso, DAY_MS } from './format.js';
import { deliveryDates, estimateTransit } from './edd.js';
import { hashString } from './random.js';

export interface PlannedStep {
  at: number;
  /** null: a re-check after retrack that only deactivates the tracking again. */
  step: StepTemplate | null;
}

export interface TrackingRecord {
  data: Tracking;
  createdMs: number;
  plan: PlannedStep[];
  retracks: number;
  origin: Place;
  destination: Place;
  lastPlace: Place | null;
  pickupMs: number | null;
  /** Part of the seeded world: replaced by a new shipment once finished. */
  replenish?: boolean;
}

export interface StepResult {
  tagChanged: boolean;
  eddChanged: boolean;
}

/** Every Tracking field in the SDK's order, with AfterShip's empty values. */
export function blankTracking(): Tracking {
  return {
    id: '', legacy_id: '', created_at: '', updated_at: '', tracking_number: '', slug: '', active: true,
    custom_fields: null, transit_time: null,
    origin_country_region: null, origin_state: null, origin_city: null, origin_postal_code: null, origin_raw_location: null,
    destination_country_region: null, destination_state: null, destination_city: null, destination_postal_code: null,
    destination_raw_location: null, courier_destination_country_region: null, courier_estimated_delivery_date: null,
    note: null, order_id: null, order_id_path: null, order_date: null, shipment_package_count: null,
    shipment_pickup_date: null, shipment_delivery_date: null, shipment_type: null, shipment_weight: null,
    shipment_dimensions: null, signed_by: null, source: 'api', tag: 'Pending', subtag: 'Pending_001',
    subtag_message: 'Pending', title: '', tracked_count: 0, language: null, unique_token: 'deprecated',
    checkpoints: [], subscribed_smses: [], subscribed_emails: [], return_to_sender: false,
    order_promised_delivery_date: null, delivery_type: null, pickup_location: null, pickup_note: null,
    courier_tracking_link: null, first_attempted_at: null, courier_redirect_link: null,
    tracking_account_number: null, tracking_key: null, tracking_ship_date: null, on_time_status: null,
    on_time_difference: null, order_tags: [], aftership_estimated_delivery_date: null,
    custom_estimated_delivery_date: null, order_number: null, first_estimated_delivery: null,
    latest_estimated_delivery: null, shipment_tags: [], courier_connection_id: null, carbon_emissions: null,
    location_id: null, shipping_method: null, failed_delivery_attempts: null, signature_requirement: 'no_signature_required',
    delivery_location_type: null, aftership_tracking_url: null, aftership_tracking_order_url: null,
    first_mile: null, last_mile: null, customers: [], proof_of_delivery: null, multi_piece_info: null,
    shipment_direction: 'forward', return_shipment: null, forward_shipment: null,
  };
}

/** Earth distance in km, for carbon emissions. */
function distanceKm(a: Place, b: Place): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(h));
}

export function locationText(place: Place): string {
  return [place.city.toUpperCase(), place.state, place.postal, place.country, place.countryName].filter(Boolean).join(', ');
}

function buildCheckpoint(rec: TrackingRecord, step: StepTemplate, at: number): Checkpoint {
  const t = rec.data;
  const place = step.place ?? null;
  const tz = (place ?? rec.lastPlace ?? rec.origin).tz;
  // The carrier scanned a few minutes before AfterShip stored the event.
  const lag = (5 + (hashString(`${t.id}:${t.checkpoints?.length ?? 0}`) % 40)) * 60_000;
  // ...but never before the previous scan: carrier times stay in order.
  const prev = t.checkpoints?.at(-1)?.checkpoint_time;
  const prevMs = prev ? Date.parse(prev) : Number.NEGATIVE_INFINITY;
  const eventMs = Math.min(at, Math.max(at - lag, Math.floor(prevMs / 60_000) * 60_000 + 60_000));
  const checkpointTime = localIso(eventMs, tz);
  const hash = createHash('sha1').update(`${t.slug}|${t.tracking_number}|${checkpointTime}|${step.subtag}|${step.message}`).digest('hex');
  return {
    created_at: utcIso(at),
    slug: t.slug,
    checkpoint_time: checkpointTime,
    location: place ? locationText(place) : null,
    city: place ? place.city.toUpperCase() : null,
    state: place?.state ?? null,
    postal_code: place?.postal ?? null,
    coordinate: place && Number.isFinite(place.lat) ? { latitude: place.lat, longitude: place.lon } : null,
    country_region: place?.country ?? null,
    country_region_name: place?.countryName ?? null,
    message: step.message,
    tag: step.tag,
    subtag: step.subtag,
    subtag_message: SUBTAG_MESSAGES[step.subtag] ?? step.tag,
    raw_tag: profileOf(t.slug ?? '')?.rawTags?.[step.tag] ?? step.subtag.replace(/^([A-Za-z]+)_0*/, (_, a: string) => a.slice(0, 2).toUpperCase()),
    events: step.events.map((e) => ({ code: e.code, reason: e.reason ? { code: e.reason.code } : null })),
    source: 'carrier',
    hash,
  };
}

function setEdd(rec: TrackingRecord, at: number): void {
  const t = rec.data;
  const kind = profileOf(t.slug ?? '')?.kind ?? 'parcel';
  const est = estimateTransit({
    slug: t.slug ?? '', kind, originCountry: rec.origin.country, destinationCountry: rec.destination.country,
    originState: rec.origin.state, destinationState: rec.destination.state, preciseAddresses: true, service: t.shipment_type,
  });
  const local = at + rec.origin.tz * 60_000;
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

function reviseEdd(rec: TrackingRecord, days: number, reason: string): void {
  const t = rec.data;
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

function updateOnTime(t: Tracking, at: number, deliveredAt: number | null): void {
  const edd = latestEddDay(t);
  if (!edd) return;
  const eddMs = Date.parse(`${edd}T23:59:59Z`);
  const ref = deliveredAt ?? at;
  const late = Math.max(0, Math.ceil((ref - eddMs) / DAY_MS));
  // Vocabulary is undocumented: on-time / late when delivered, trending-* while moving (REFERENCE §6.1).
  if (deliveredAt !== null) t.on_time_status = late > 0 ? 'late' : 'on-time';
  else t.on_time_status = late > 0 ? 'trending-late' : 'trending-on-time';
  t.on_time_difference = late;
}

/** Applies one carrier event at instant `at` (ms). */
export function applyStep(rec: TrackingRecord, step: StepTemplate, at: number): StepResult {
  const t = rec.data;
  const cps = (t.checkpoints ??= []);
  const prevTag = t.tag;
  // Expiry with no carrier data at all is a status, not a carrier event.
  if (!(step.tag === 'Expired' && cps.length === 0)) cps.push(buildCheckpoint(rec, step, at));
  if (step.place) rec.lastPlace = step.place;
  t.tag = step.tag;
  t.subtag = step.subtag;
  t.subtag_message = SUBTAG_MESSAGES[step.subtag] ?? step.tag;
  t.updated_at = utcIso(at);
  t.tracked_count = (t.tracked_count ?? 0) + 1 + (hashString(`${t.id}:${cps.length}`) % 4);
  const last = cps[cps.length - 1];
  let eddChanged = false;

  if (step.tag === 'InTransit' && rec.pickupMs === null) {
    rec.pickupMs = at;
    t.shipment_pickup_date = last?.checkpoint_time ?? utcIso(at);
    t.courier_destination_country_region = rec.destination.country;
  }
  if (step.edd?.kind === 'set' && !t.aftership_estimated_delivery_date) {
    setEdd(rec, at);
    eddChanged = true;
  } else if (step.edd?.kind === 'revise') {
    reviseEdd(rec, step.edd.days, step.edd.reason);
    eddChanged = t.aftership_estimated_delivery_date !== null;
  }
  if (step.tag === 'OutForDelivery' && t.failed_delivery_attempts === null) t.failed_delivery_attempts = 0;
  if (step.tag === 'AttemptFail' || step.tag === 'Delivered') t.first_attempted_at ??= last?.checkpoint_time ?? null;
  if (step.tag === 'AttemptFail') t.failed_delivery_attempts = (t.failed_delivery_attempts ?? 0) + 1;
  t.return_to_sender = cps.some((c) => c.subtag === 'Exception_010' || c.subtag === 'Exception_011');

  let deliveredAt: number | null = null;
  if (step.tag === 'Delivered') {
    deliveredAt = at;
    t.shipment_delivery_date = last?.checkpoint_time ?? utcIso(at);
    const recipient = t.customers?.find((c) => c.role !== 'sender')?.name ?? null;
    if (step.subtag === 'Delivered_005') t.signed_by = 'NEIGHBOUR';
    else if (step.subtag === 'Delivered_003' || t.signature_requirement === 'signature_required' || t.signature_requirement === 'adult_signature_required') {
      t.signed_by = recipient ?? 'RECIPIENT';
    }
    t.delivery_location_type = ({ Delivered_002: 'Pickup Point', Delivered_003: 'In Person', Delivered_005: 'Neighbor' } as Record<string, string>)[step.subtag] ?? 'Front Door';
    if (hashString(t.id ?? '') % 2 === 0) t.proof_of_delivery = [{ type: 'image', url: `https://pod.sandbox.aftership.example/${t.id}/photo.jpg` }];
    const km = distanceKm(rec.origin, rec.destination);
    t.carbon_emissions = Number.isFinite(km) ? { unit: 'kg', value: Math.round(km * 0.00015 * 1000 * (t.shipment_weight?.value ?? 1)) / 1000 } : null;
  }
  if (rec.pickupMs !== null) t.transit_time = Math.max(1, daysBetween(rec.pickupMs, deliveredAt ?? at));
  updateOnTime(t, at, deliveredAt);
  if (isTerminal(step.tag, step.subtag)) t.active = false;
  return { tagChanged: prevTag !== step.tag, eddChanged };
}
