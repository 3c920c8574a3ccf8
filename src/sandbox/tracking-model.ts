/**
 * The Tracking object and how one carrier event changes it. Seeding, rebuilding and the live
 * simulation all go through `applyStep`, so invariants hold everywhere: tag/subtag/subtag_message
 * equal the newest checkpoint's, `active:false` once terminal, return_to_sender from
 * Exception_010/011, pickup/delivery dates, transit_time, failed attempts and EDDs follow the
 * checkpoints.
 *
 * A large world does not keep every Tracking in memory: a `TrackingRecord` holds what lists filter
 * and sort on (`summary`) plus how to rebuild the full object (`recipe` + `history`); the full
 * object (`state`) is built on demand and cached (see world.ts). Records changed through the API
 * are pinned: their state is kept and never rebuilt.
 */
import type { Checkpoint, TagName, Tracking } from '../aftership/wire-types.js';
import type { Place } from './fixtures/places.js';
import { profileOf } from './fixtures/courier-profiles.js';
import { SUBTAG_MESSAGES, isTerminal } from './fixtures/subtags.js';
import type { StepTemplate } from './scripts.js';
import type { ShipmentChoices } from './shipment.js';
import { daysBetween, localIso, utcIso } from './format.js';
import { setEdd, reviseEdd, updateOnTime } from './tracking-edd.js';
import { hash160, hashString } from './random.js';

/** The full, materialised tracking and what its lifecycle needs. */
export interface TrackingState {
  data: Tracking;
  /** The carrier events of its lifecycle, in order; planned steps point into it. */
  script: StepTemplate[];
  origin: Place;
  destination: Place;
  lastPlace: Place | null;
  pickupMs: number | null;
  /** The newest carrier scan's time (ms), so the next one is not parsed back from its text; unset after a user checkpoint. */
  lastScanMs?: number;
}

/** Something due to happen to a tracking at `at` (simulation ms). */
export type PlannedEvent =
  | { at: number; kind: 'step'; index: number }
  /** After a retrack: AfterShip polls again, finds nothing new and deactivates it. */
  | { at: number; kind: 'recheck' }
  /** `tracking_pending_time`: still Pending at the account's threshold. */
  | { at: number; kind: 'pending-alert' };

/** How to generate a world shipment again: its generator's seed and what the seed chose for it. */
export interface Recipe extends ShipmentChoices {
  key: number;
}

/** What GET /trackings filters and sorts on, kept for every record (no rebuild needed). */
export interface Summary {
  tag: TagName;
  /** `updated_at` in ms (whole seconds). */
  updatedMs: number;
  active: boolean;
  returnToSender: boolean;
  transitTime: number | null;
  origin: string | null;
  destination: string | null;
  courierDestination: string | null;
  orderId: string | null;
  shipmentTags: readonly string[];
  /** Lower-cased text the `keyword` filter searches, fields separated by U+0000. */
  keywords: string;
}

export interface TrackingRecord {
  id: string;
  legacyId: string;
  slug: string;
  trackingNumber: string;
  /** `created_at` in ms (whole seconds): the list's sort key. */
  createdMs: number;
  summary: Summary;
  /** What will happen next, in time order. */
  plan: PlannedEvent[];
  /** When each of the script's first steps happened (a rebuild replays them). */
  history: number[];
  /** How to rebuild `state`; null when pinned (created or changed through the API). */
  recipe: Recipe | null;
  /** The full object: always there when pinned, a cache otherwise. */
  state: TrackingState | undefined;
  retracks: number;
  /** A seeded or arriving shipment (not created through the API): forgotten after AfterShip's retention. */
  world: boolean;
}

export interface StepResult {
  tagChanged: boolean;
  eddChanged: boolean;
}

/** A new record for a tracking: pinned (its state kept) unless a recipe can rebuild it. */
export function recordOf(
  state: TrackingState, createdMs: number,
  parts: { recipe: Recipe | null; history: number[]; plan: PlannedEvent[]; world: boolean; summary?: Summary },
): TrackingRecord {
  const t = state.data;
  return {
    id: t.id ?? '', legacyId: t.legacy_id ?? '', slug: t.slug ?? '', trackingNumber: t.tracking_number ?? '', createdMs,
    summary: parts.summary ?? summaryOf(t), plan: parts.plan, history: parts.history, recipe: parts.recipe,
    state: parts.recipe ? undefined : state, retracks: 0, world: parts.world,
  };
}

export const isReturnSubtag = (subtag: string | null | undefined): boolean => subtag === 'Exception_010' || subtag === 'Exception_011';

/** The summary of a full tracking (after any change to it). */
export function summaryOf(t: Tracking): Summary {
  const keywords = [
    t.tracking_number, t.title, t.order_id,
    ...(t.customers ?? []).flatMap((c) => [c.name, c.email, c.phone_number]),
    ...Object.values(t.custom_fields ?? {}),
  ].filter((h): h is string => typeof h === 'string' && h !== '').join('\u0000').toLowerCase();
  return {
    tag: t.tag ?? 'Pending', updatedMs: Date.parse(t.updated_at ?? '') || 0, active: t.active !== false,
    returnToSender: t.return_to_sender === true, transitTime: t.transit_time ?? null,
    origin: t.origin_country_region ?? null, destination: t.destination_country_region ?? null,
    courierDestination: t.courier_destination_country_region ?? null, orderId: t.order_id ?? null,
    shipmentTags: t.shipment_tags ?? [], keywords,
  };
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

const LOCATIONS = new WeakMap<Place, string>();
const CITIES = new WeakMap<Place, string>();

function cityText(place: Place): string {
  let text = CITIES.get(place);
  if (text === undefined) CITIES.set(place, (text = place.city.toUpperCase()));
  return text;
}

/** `location` as carriers write it, e.g. `BOCA RATON, FL, 33487, USA, United States` (once per place). */
export function locationText(place: Place): string {
  let text = LOCATIONS.get(place);
  if (text === undefined) {
    text = [place.city.toUpperCase(), place.state, place.postal, place.country, place.countryName].filter(Boolean).join(', ');
    LOCATIONS.set(place, text);
  }
  return text;
}

const RAW_TAGS = new Map<string, string>();
/** A carrier-style status code for carriers without a table (`InTransit_007` -> `IN7`), computed once per subtag. */
function rawTagOf(subtag: string): string {
  let raw = RAW_TAGS.get(subtag);
  if (raw === undefined) RAW_TAGS.set(subtag, (raw = subtag.replace(/^([A-Za-z]+)_0*/, (_, a: string) => a.slice(0, 2).toUpperCase())));
  return raw;
}

function buildCheckpoint(st: TrackingState, step: StepTemplate, at: number): Checkpoint {
  const t = st.data;
  const place = step.place ?? null;
  const tz = (place ?? st.lastPlace ?? st.origin).tz;
  // The carrier scanned a few minutes before AfterShip stored the event.
  const lag = (5 + (hashString(`${t.id}:${t.checkpoints?.length ?? 0}`) % 40)) * 60_000;
  // ...but never before the previous scan: carrier times stay in order.
  const prev = t.checkpoints?.at(-1)?.checkpoint_time;
  const prevMs = st.lastScanMs ?? (prev ? Date.parse(prev) : Number.NEGATIVE_INFINITY);
  const eventMs = Math.min(at, Math.max(at - lag, Math.floor(prevMs / 60_000) * 60_000 + 60_000));
  st.lastScanMs = eventMs;
  const checkpointTime = localIso(eventMs, tz);
  const hash = hash160(`${t.slug}|${t.tracking_number}|${checkpointTime}|${step.subtag}|${step.message}`);
  return {
    created_at: utcIso(at),
    slug: t.slug,
    checkpoint_time: checkpointTime,
    location: place ? locationText(place) : null,
    city: place ? cityText(place) : null,
    state: place?.state ?? null,
    postal_code: place?.postal ?? null,
    coordinate: place && Number.isFinite(place.lat) ? { latitude: place.lat, longitude: place.lon } : null,
    country_region: place?.country ?? null,
    country_region_name: place?.countryName ?? null,
    message: step.message,
    tag: step.tag,
    subtag: step.subtag,
    subtag_message: SUBTAG_MESSAGES[step.subtag] ?? step.tag,
    raw_tag: profileOf(t.slug ?? '')?.rawTags?.[step.tag] ?? rawTagOf(step.subtag),
    events: step.events.map((e) => ({ code: e.code, reason: e.reason ? { code: e.reason.code } : null })),
    source: 'carrier',
    hash,
  };
}

/** Applies one carrier event at instant `at` (ms). */
export function applyStep(st: TrackingState, step: StepTemplate, at: number): StepResult {
  const t = st.data;
  const cps = (t.checkpoints ??= []);
  const prevTag = t.tag;
  // Expiry with no carrier data at all is a status, not a carrier event.
  if (!(step.tag === 'Expired' && cps.length === 0)) cps.push(buildCheckpoint(st, step, at));
  if (step.place) st.lastPlace = step.place;
  t.tag = step.tag;
  t.subtag = step.subtag;
  t.subtag_message = SUBTAG_MESSAGES[step.subtag] ?? step.tag;
  t.updated_at = utcIso(at);
  t.tracked_count = (t.tracked_count ?? 0) + 1 + (hashString(`${t.id}:${cps.length}`) % 4);
  const last = cps[cps.length - 1];
  let eddChanged = false;

  if (step.tag === 'InTransit' && st.pickupMs === null) {
    st.pickupMs = at;
    t.shipment_pickup_date = last?.checkpoint_time ?? utcIso(at);
    t.courier_destination_country_region = st.destination.country;
  }
  if (step.edd?.kind === 'set' && !t.aftership_estimated_delivery_date) {
    setEdd(st, at);
    eddChanged = true;
  } else if (step.edd?.kind === 'revise') {
    reviseEdd(st, step.edd.days, step.edd.reason);
    eddChanged = t.aftership_estimated_delivery_date !== null;
  }
  if (step.tag === 'OutForDelivery' && t.failed_delivery_attempts === null) t.failed_delivery_attempts = 0;
  if (step.tag === 'AttemptFail' || step.tag === 'Delivered') t.first_attempted_at ??= last?.checkpoint_time ?? null;
  if (step.tag === 'AttemptFail') t.failed_delivery_attempts = (t.failed_delivery_attempts ?? 0) + 1;
  if (isReturnSubtag(step.subtag)) t.return_to_sender = true;

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
    const km = distanceKm(st.origin, st.destination);
    t.carbon_emissions = Number.isFinite(km) ? { unit: 'kg', value: Math.round(km * 0.00015 * 1000 * (t.shipment_weight?.value ?? 1)) / 1000 } : null;
  }
  if (st.pickupMs !== null) t.transit_time = Math.max(1, daysBetween(st.pickupMs, deliveredAt ?? at));
  updateOnTime(t, at, deliveredAt);
  if (isTerminal(step.tag, step.subtag)) t.active = false;
  return { tagChanged: prevTag !== step.tag, eddChanged };
}
