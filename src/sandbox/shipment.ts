/**
 * Builds shipments: a tracking with realistic merchant data (order, customers, parcel, route,
 * links) and its lifecycle script, all drawn from one generator, so the same generator seed
 * rebuilds the same shipment (world.ts relies on it). Used by the seed, by the simulation's new
 * arrivals and (for the plan only) by POST /trackings.
 */
import type { Tracking } from '../aftership/wire-types.js';
import { pickProfile, profileOf, type CourierProfile } from './fixtures/courier-profiles.js';
import { PLACES, placesIn, type Place } from './fixtures/places.js';
import { CALLING_CODES, FIRST_NAMES, LANGUAGES, LAST_NAMES, PRODUCTS } from './fixtures/people.js';
import { buildScript, pickOutcome, type Outcome, type StepTemplate } from './scripts.js';
import { blankTracking, locationText, type TrackingState } from './tracking-model.js';
import { dateOnly, localIso, utcIso, DAY_MS } from './format.js';
import type { Rng } from './random.js';

export interface Shipment {
  state: TrackingState;
  outcome: Outcome;
  profile: CourierProfile;
}

/** Who carries a shipment, where and how: what its timing depends on. */
export interface ShipmentRoute {
  profile: CourierProfile;
  from: Place;
  to: Place;
  service: string;
}

/** What a caller may force instead of drawing it. */
export interface ShipmentChoices {
  outcome?: Outcome;
  /** Courier slug. */
  profile?: string;
  /** A courier connection of the account, used by this shipment if its courier is `slug`. */
  connection?: { id: string; slug: string };
}

export function aftershipLinks(slug: string, n: string): { url: string; orderUrl: string } {
  return {
    url: `https://sandbox-shop.aftership.com/${encodeURIComponent(n)}?courier=${slug}`,
    orderUrl: `https://sandbox-shop.aftership.com/orders/${encodeURIComponent(n)}`,
  };
}

const ABROAD = new Map<string, Place[]>();
const abroad = (country: string): Place[] => {
  let list = ABROAD.get(country);
  if (!list) ABROAD.set(country, (list = PLACES.filter((p) => p.country !== country)));
  return list;
};

function pickRoute(rng: Rng, profile: CourierProfile): { from: Place; to: Place } {
  const homes = profile.home.filter((c) => placesIn(c).length > 0);
  const from = rng.pick(placesIn(rng.pick(homes)));
  const intl = rng.chance(profile.kind === 'parcel' ? 0.15 : 0.4);
  const candidates = intl ? abroad(from.country) : placesIn(from.country).filter((p) => p.city !== from.city);
  return { from, to: rng.pick(candidates.length ? candidates : abroad(from.country)) };
}

function phone(rng: Rng, country: string): string {
  return `+${CALLING_CODES[country] ?? "1"}${rng.int(2, 9)}${rng.digits(9)}`;
}

/**
 * A complete new shipment, still Pending. `created` is the creation time, or a function of the
 * lifecycle script (the seed puts a shipment's creation as far back as its history needs).
 */
export function makeShipment(
  rng: Rng,
  created: number | ((script: StepTemplate[], route: ShipmentRoute) => number),
  forced: ShipmentChoices = {},
): Shipment {
  const profile = (forced.profile !== undefined ? profileOf(forced.profile) : undefined) ?? pickProfile(rng);
  const { from, to } = pickRoute(rng, profile);
  const outcome = forced.outcome ?? pickOutcome(rng);
  const n = profile.number(rng);
  const t: Tracking = blankTracking();
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const name = `${first} ${last}`;
  const script = buildScript(rng, outcome, from, to, carrierName(profile.slug), name);
  const service = rng.pick(profile.services);
  const createdMs = typeof created === 'number' ? created : created(script, { profile, from, to, service });
  const email = `${first}.${last}${rng.int(1, 99)}@example.com`.toLowerCase();
  const orderNo = String(rng.int(100000, 999999));
  Object.assign(t, {
    id: rng.hex(32), legacy_id: rng.alnum(24), created_at: utcIso(createdMs), updated_at: utcIso(createdMs),
    tracking_number: n, slug: profile.slug, title: rng.chance(0.7) ? `Order #${orderNo}` : rng.pick(PRODUCTS),
    source: rng.chance(0.8) ? 'api' : 'shopify',
    origin_country_region: from.country, origin_state: from.state, origin_city: from.city, origin_postal_code: from.postal,
    origin_raw_location: locationText(from),
    destination_country_region: to.country, destination_state: to.state, destination_city: to.city,
    destination_postal_code: to.postal, destination_raw_location: locationText(to),
    order_id: orderNo, order_number: `#${orderNo}`, order_id_path: `https://shop.example.com/admin/orders/${orderNo}`,
    order_date: localIso(createdMs - rng.int(1, 30) * 3_600_000, from.tz),
    language: LANGUAGES[to.country] ?? 'en',
    shipment_type: service, shipment_package_count: rng.chance(0.85) ? 1 : rng.int(2, 3),
    shipment_weight: { unit: to.country === 'USA' ? 'lb' : 'kg', value: Math.round(rng.int(2, 120)) / 10 },
    shipment_dimensions: to.country === 'USA'
      ? { unit: 'in', length: rng.int(6, 24), width: rng.int(4, 16), height: rng.int(2, 12) }
      : { unit: 'cm', length: rng.int(15, 60), width: rng.int(10, 40), height: rng.int(5, 30) },
    shipping_method: rng.pick(['standard', 'express', 'economy']),
    courier_tracking_link: profile.trackingLink(n), courier_redirect_link: profile.redirectLink(n),
    signature_requirement: rng.pick(['no_signature_required', 'no_signature_required', 'signature_required', 'indirect_signature_required']),
    delivery_type: outcome === 'pickup-point' ? 'pickup_at_courier' : 'door_to_door',
    customers: [{ role: 'buyer', name, phone_number: phone(rng, to.country), email, language: LANGUAGES[to.country] ?? 'en', id: `cus_${rng.alnum(10)}` }],
    order_tags: rng.chance(0.3) ? [rng.pick(['vip', 'gift', 'preorder'])] : [],
    shipment_tags: rng.chance(0.4) ? [rng.pick(['fragile', 'wholesale', 'priority', 'gift'])] : [],
  });
  const links = aftershipLinks(profile.slug, n);
  if (rng.chance(0.5)) Object.assign(t, { aftership_tracking_url: links.url, aftership_tracking_order_url: links.orderUrl });
  t.subscribed_emails = rng.chance(0.7) ? [email] : [];
  t.subscribed_smses = rng.chance(0.3) ? [t.customers?.[0]?.phone_number ?? ''] : [];
  if (rng.chance(0.35)) t.custom_fields = { store_name: rng.pick(['north-fork-ceramics', 'trailhead-outfitters', 'bright-desk']), channel: rng.pick(['web', 'mobile', 'marketplace']) };
  if (rng.chance(0.2)) t.note = rng.pick(['Leave at the back door', 'Gift, no invoice in the box', 'Customer asked for fast shipping']);
  if (rng.chance(0.5)) t.order_promised_delivery_date = { promised_delivery_date: dateOnly(createdMs + rng.int(4, 12) * DAY_MS), promised_delivery_date_min: null, promised_delivery_date_max: null };
  if (rng.chance(0.25)) {
    t.custom_estimated_delivery_date = { type: 'range', datetime: null, datetime_min: dateOnly(createdMs + 3 * DAY_MS), datetime_max: dateOnly(createdMs + 7 * DAY_MS) };
  }
  if (outcome === 'pickup-point') {
    t.pickup_location = `${carrierName(profile.slug)} Service Point, ${to.city}`;
    t.pickup_note = 'Bring a photo ID and the pickup code from the notification.';
  }
  if (profile.kind === 'express' && rng.chance(0.4)) t.tracking_account_number = rng.digits(9);
  if (rng.chance(0.15)) t.location_id = `loc_${from.country.toLowerCase()}_${rng.alnum(8)}`;
  if (profile.slug === 'ontrac' || (profile.slug === 'amazon-fba-us' && rng.chance(0.5))) {
    const fm = `1Z${rng.letters(1)}${rng.digits(2)}${rng.letters(3)}${rng.digits(10)}`;
    t.first_mile = { tracking_number: fm, slug: 'ups', transit_time: 1,
      courier_tracking_link: `https://www.ups.com/track?loc=en_US&tracknum=${fm}`, courier_redirect_link: null };
  }
  if (profile.slug === 'deutsch-post') t.tracking_ship_date = dateOnly(createdMs, from.tz).replace(/-/g, '');
  if (profile.slug === 'amazon-fba-us') t.tracking_key = rng.digits(6);
  if (profile.slug === 'yunexpress' && to.country === 'USA') {
    const lm = `9400${rng.digits(18)}`;
    t.last_mile = { tracking_number: lm, slug: 'usps', transit_time: null, source: 'system',
      courier_tracking_link: `https://tools.usps.com/go/TrackConfirmAction?tLabels=${lm}`, courier_redirect_link: null };
  }
  if ((t.shipment_package_count ?? 1) > 1 && (profile.slug === 'ups' || profile.slug === 'fedex')) {
    t.multi_piece_info = {
      type: 'master',
      pieces: Array.from({ length: t.shipment_package_count ?? 2 }, (_, i) => ({
        tracking_id: i === 0 ? t.id : rng.hex(32), tracking_number: i === 0 ? n : profile.number(rng),
        type: i === 0 ? 'master' : 'child', trackable: i === 0,
      })),
    };
  }
  if (forced.connection?.slug === profile.slug) t.courier_connection_id = forced.connection.id;
  return { state: { data: t, script, origin: from, destination: to, lastPlace: null, pickupMs: null }, outcome, profile };
}

export function carrierName(slug: string): string {
  const names: Record<string, string> = { usps: 'USPS', ups: 'UPS', fedex: 'FedEx', dhl: 'DHL', 'dhl-germany': 'DHL', dpd: 'DPD', tnt: 'TNT', 'amazon-fba-us': 'Amazon' };
  return names[slug] ?? slug.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
}
