/**
 * POST /estimated-delivery-date/predict and /predict-batch (REFERENCE §5.3). Answers echo the
 * request plus id, dates and confidence; batch takes at most 5 items and fails as a whole when
 * one item is invalid (the field name says which: `estimated_delivery_dates[2].slug`).
 */
import { MAX_EDD_BATCH } from '../../aftership/endpoints.js';
import type { EddRequest, EddResponse } from '../../aftership/wire-types.js';
import { ApiError, invalid, isObject, ok, required, type JsonObject } from '../http.js';
import { profileOf } from '../fixtures/courier-profiles.js';
import { dateOnly } from '../format.js';
import { deliveryDates, eddId, estimateTransit, pickupFromOrder } from '../edd.js';
import type { CourierRegistry } from '../detect.js';
import type { Handler } from './context.js';

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;
const CUTOFF = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

/** Local wall-clock time `YYYY-MM-DD HH:mm:ss` as if UTC (no offset: it is origin-local). */
function parseWall(text: unknown, field: string): number {
  if (typeof text !== 'string') throw invalid(field);
  const m = WALL_TIME.exec(text);
  if (!m) throw invalid(field, 'Use YYYY-MM-DD HH:mm:ss.');
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (new Date(ms).getUTCDate() !== +m[3]) throw invalid(field);
  return ms;
}

const pad = (n: number): string => String(n).padStart(2, '0');
function formatWall(ms: number): string {
  const d = new Date(ms);
  return `${dateOnly(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function readAddress(value: unknown, field: string): { country_region: string; state: string | null; city: string | null; postal_code: string | null; raw_location: string | null } {
  if (value === undefined || value === null) throw required(field);
  if (!isObject(value)) throw invalid(field);
  const s = (k: string): string | null => {
    const v = value[k];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw invalid(`${field}.${k}`);
    return v;
  };
  const country = s('country_region');
  if (!country) throw required(`${field}.country_region`);
  if (!/^[A-Z]{3}$/.test(country)) throw invalid(`${field}.country_region`);
  const out = { country_region: country, state: s('state'), city: s('city'), postal_code: s('postal_code'), raw_location: s('raw_location') };
  if (!out.state && !out.postal_code) throw required(`${field}.state or ${field}.postal_code`);
  return out;
}

/** Validates one request and computes its answer (deterministic). */
export function predictOne(item: unknown, couriers: CourierRegistry, prefix = ''): EddResponse {
  const f = (name: string): string => `${prefix}${name}`;
  if (!isObject(item)) throw invalid(prefix.replace(/\.$/, '') || 'body');
  const body: JsonObject = item;
  if (body.slug === undefined || body.slug === null || body.slug === '') throw required(f('slug'));
  if (typeof body.slug !== 'string' || !couriers.get(body.slug)) throw invalid(f('slug'));
  const slug = body.slug;
  const origin = readAddress(body.origin_address, f('origin_address'));
  const destination = readAddress(body.destination_address, f('destination_address'));
  const service = body.service_type_name ?? null;
  if (service !== null && typeof service !== 'string') throw invalid(f('service_type_name'));
  let weight: EddResponse['weight'] = null;
  if (body.weight !== undefined && body.weight !== null) {
    const w = body.weight;
    if (!isObject(w) || typeof w.unit !== 'string' || !w.unit || typeof w.value !== 'number' || !(w.value > 0)) throw invalid(f('weight'));
    weight = { unit: w.unit, value: w.value };
  }
  const pc = body.package_count ?? null;
  if (pc !== null && !(Number.isInteger(pc) && (pc as number) > 0)) throw invalid(f('package_count'));
  const hasPickup = body.pickup_time !== undefined && body.pickup_time !== null;
  const hasEstimated = body.estimated_pickup !== undefined && body.estimated_pickup !== null;
  if (hasPickup && hasEstimated) throw invalid(f('estimated_pickup'), 'Send either pickup_time or estimated_pickup.');
  if (!hasPickup && !hasEstimated) throw required(f('pickup_time or estimated_pickup'));
  let pickupMs: number;
  let estimated: EddResponse['estimated_pickup'] = null;
  if (hasPickup) {
    pickupMs = parseWall(body.pickup_time, f('pickup_time'));
  } else {
    const ep = body.estimated_pickup;
    if (!isObject(ep)) throw invalid(f('estimated_pickup'));
    if (ep.order_time === undefined || ep.order_time === null) throw required(f('estimated_pickup.order_time'));
    const orderMs = parseWall(ep.order_time, f('estimated_pickup.order_time'));
    const cutoff = ep.order_cutoff_time ?? '18:00:00';
    if (typeof cutoff !== 'string' || !CUTOFF.test(cutoff)) throw invalid(f('estimated_pickup.order_cutoff_time'));
    const days = ep.business_days ?? [1, 2, 3, 4, 5];
    if (!Array.isArray(days) || !days.length || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) throw invalid(f('estimated_pickup.business_days'));
    const pt = ep.order_processing_time ?? { unit: 'day', value: 0 };
    if (!isObject(pt) || (pt.unit ?? 'day') !== 'day' || !(Number.isInteger(pt.value ?? 0) && ((pt.value ?? 0) as number) >= 0)) {
      throw invalid(f('estimated_pickup.order_processing_time'));
    }
    const processing = (pt.value ?? 0) as number;
    pickupMs = pickupFromOrder(orderMs, cutoff, days as number[], processing);
    estimated = {
      order_time: ep.order_time as string, order_cutoff_time: cutoff, business_days: days as number[],
      order_processing_time: { unit: 'day', value: processing }, pickup_time: formatWall(pickupMs),
    };
  }
  const kind = profileOf(slug)?.kind ?? (/post|mail|correo|poste/i.test(slug) ? 'post' : 'parcel');
  const est = estimateTransit({
    slug, kind, originCountry: origin.country_region, destinationCountry: destination.country_region,
    originState: origin.state, destinationState: destination.state,
    preciseAddresses: Boolean(origin.postal_code && destination.postal_code), service: service as string | null,
  });
  const dates = deliveryDates(pickupMs, est, kind);
  const echo = {
    slug, service_type_name: service as string | null, origin_address: origin, destination_address: destination,
    weight, package_count: pc as number | null, pickup_time: hasPickup ? (body.pickup_time as string) : null, estimated_pickup: estimated,
  };
  return {
    id: eddId(echo), ...echo,
    estimated_delivery_date: dateOnly(dates.date), confidence_code: est.confidence,
    estimated_delivery_date_min: dateOnly(dates.min), estimated_delivery_date_max: dateOnly(dates.max),
  };
}

export const predict: Handler = (req, ctx) => ok(predictOne(req.body(), ctx.couriers));

export const predictBatch: Handler = (req, ctx) => {
  const body = req.body();
  const items = body.estimated_delivery_dates;
  if (items === undefined || items === null) throw required('estimated_delivery_dates');
  if (!Array.isArray(items) || items.length === 0) throw invalid('estimated_delivery_dates');
  if (items.length > MAX_EDD_BATCH) throw invalid('estimated_delivery_dates', `At most ${MAX_EDD_BATCH} items per batch.`);
  const answers = items.map((item: unknown, i) => predictOne(item as EddRequest, ctx.couriers, `estimated_delivery_dates[${i}].`));
  if (answers.length !== items.length) throw new ApiError(400);
  return ok({ estimated_delivery_dates: answers });
};
