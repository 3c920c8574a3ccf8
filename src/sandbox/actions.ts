/**
 * User actions on a tracking that are not carrier events: mark-as-completed and retrack, plus
 * the route (places) and lifecycle plan given to trackings created through the API.
 */
import type { MarkCompletedReason, Tracking } from '../aftership/wire-types.js';
import { PLACES, placesIn, type Place } from './fixtures/places.js';
import { SUBTAG_MESSAGES } from './fixtures/subtags.js';
import { profileOf } from './fixtures/courier-profiles.js';
import { buildScript, pickOutcome } from './scripts.js';
import { carrierName } from './shipment.js';
import { addPendingAlert, stepsPlan } from './lifecycle.js';
import { gapsOf, recheckGapMs, timesFrom } from './timing.js';
import { transitOf } from './tracking-edd.js';
import { createRng, hash160, hashString, type Rng } from './random.js';
import { localIso, utcIso } from './format.js';
import type { PlannedEvent, TrackingRecord, TrackingState } from './tracking-model.js';

const COMPLETION: Record<MarkCompletedReason, { tag: 'Delivered' | 'Exception'; subtag: string; message: string }> = {
  DELIVERED: { tag: 'Delivered', subtag: 'Delivered_001', message: 'Marked as delivered by the merchant' },
  LOST: { tag: 'Exception', subtag: 'Exception_013', message: 'Marked as lost by the merchant' },
  RETURNED_TO_SENDER: { tag: 'Exception', subtag: 'Exception_011', message: 'Marked as returned to sender by the merchant' },
};

/** Mark-as-completed: a `source:"user"` checkpoint, the tag/subtag for the reason, and no more updates. */
export function completeTracking(rec: TrackingRecord, st: TrackingState, reason: MarkCompletedReason, at: number, eventDatetime?: string): boolean {
  const t = st.data;
  const c = COMPLETION[reason];
  const tz = (st.lastPlace ?? st.destination).tz;
  const checkpointTime = eventDatetime ?? localIso(at, tz);
  const prevTag = t.tag;
  (t.checkpoints ??= []).push({
    created_at: utcIso(at), slug: t.slug, checkpoint_time: checkpointTime, location: null, city: null, state: null,
    postal_code: null, coordinate: null, country_region: null, country_region_name: null, message: c.message,
    tag: c.tag, subtag: c.subtag, subtag_message: SUBTAG_MESSAGES[c.subtag], raw_tag: null, events: [], source: 'user',
    hash: hash160(`${t.id}|user|${checkpointTime}|${c.subtag}`),
  });
  Object.assign(t, { tag: c.tag, subtag: c.subtag, subtag_message: SUBTAG_MESSAGES[c.subtag], active: false, updated_at: utcIso(at) });
  st.lastScanMs = undefined; // the merchant's time may be any date
  if (reason === 'DELIVERED') t.shipment_delivery_date = checkpointTime;
  if (reason === 'RETURNED_TO_SENDER') t.return_to_sender = true;
  rec.plan = [];
  return prevTag !== c.tag;
}

/** A new lifecycle from `at` on: a fresh script for the shipment's route, timed with real gaps. */
function freshPlan(st: TrackingState, rng: Rng, at: number, excludeExpiry: boolean): PlannedEvent[] {
  const t = st.data;
  let outcome = pickOutcome(rng);
  while (excludeExpiry && (outcome === 'expired' || outcome === 'expired-after-info')) outcome = pickOutcome(rng);
  const name = t.customers?.[0]?.name ?? 'the recipient';
  st.script = buildScript(rng, outcome, st.origin, st.destination, carrierName(t.slug ?? ''), name);
  const kind = profileOf(t.slug ?? '')?.kind ?? 'parcel';
  return stepsPlan(timesFrom(at, gapsOf(rng, st.script, kind, transitOf(t.slug ?? '', kind, st.origin, st.destination, t.shipment_type))));
}

/**
 * Retrack of an inactive tracking: AfterShip polls the carrier again. An expired shipment gets
 * a fresh lifecycle; a finished one is re-checked, finds nothing new and goes inactive again.
 */
export function retrackTracking(rec: TrackingRecord, st: TrackingState, at: number, randomSeed: number): void {
  const t = st.data;
  rec.retracks++;
  Object.assign(t, { active: true, updated_at: utcIso(at), tracked_count: (t.tracked_count ?? 0) + 1 });
  const rng = createRng(hashString(`${randomSeed}:${t.id}:retrack:${rec.retracks}`));
  rec.plan = t.tag === 'Expired' || t.tag === 'Pending' ? freshPlan(st, rng, at, true) : [{ at: at + recheckGapMs(rng), kind: 'recheck' }];
}

/** A place for an address given to the API: a known city, else one in that country, else a bare one. */
export function placeFor(country: string | null | undefined, city: string | null | undefined, state: string | null | undefined, postal: string | null | undefined, fallbackCountry: string): Place {
  const c = country ?? fallbackCountry;
  const inCountry = placesIn(c);
  const byCity = inCountry.find((p) => p.city.toLowerCase() === (city ?? '').toLowerCase());
  if (byCity) return byCity;
  if (inCountry.length) {
    const base = inCountry[hashString(`${city}|${state}|${postal}`) % inCountry.length];
    return city ? { ...base, city, state: state ?? base.state, postal: postal ?? base.postal, hub: false } : base;
  }
  return { city: city ?? c, state: state ?? null, postal: postal ?? '', country: c, countryName: c, lat: Number.NaN, lon: Number.NaN, tz: 0 };
}

/** Route and lifecycle for a tracking created through the API (its state is pinned: the API made it). */
export function planCreated(rec: TrackingRecord, st: TrackingState, at: number, randomSeed: number, homeCountry: string | undefined, pendingAlertMs: number): void {
  const t: Tracking = st.data;
  const home = profileOf(t.slug ?? '')?.home[0] ?? homeCountry ?? 'USA';
  st.origin = placeFor(t.origin_country_region, t.origin_city, t.origin_state, t.origin_postal_code, home);
  const destCountry = t.destination_country_region ?? st.origin.country;
  const fallback = PLACES.find((p) => p.country === destCountry && p.city !== st.origin.city);
  st.destination = t.destination_city || !fallback
    ? placeFor(destCountry, t.destination_city, t.destination_state, t.destination_postal_code, destCountry)
    : fallback;
  rec.plan = freshPlan(st, createRng(hashString(`${randomSeed}:${t.id}`)), at, false);
  addPendingAlert(rec.plan, at, at, pendingAlertMs, 0);
}
