/**
 * Validation of tracking create/update bodies (REFERENCE §5.1). Each rule throws the meta code
 * AfterShip documents: 4008 invalid value, 4009 missing value, 4005 bad tracking number.
 */
import type { Tracking } from '../aftership/wire-types.js';
import { ApiError, invalid, isObject, required, type JsonObject } from './http.js';
import { isLooseDate, isShipDate } from './format.js';

const ALPHA3 = /^[A-Z]{3}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LANGUAGE = /^[a-z]{2}$/;
const ORDER_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
export const TRACKING_NUMBER = /^[A-Za-z0-9\-._/ ]{4,100}$/;
export const CUSTOM_ID = /^[0-9a-zA-Z_-]{1,128}$/;
export const SLUG = /^[a-z0-9-]+$/;

const STRING_FIELDS = [
  'title', 'order_id', 'order_id_path', 'note', 'pickup_location', 'pickup_note', 'tracking_account_number',
  'tracking_key', 'order_number', 'shipment_type', 'origin_state', 'origin_city', 'origin_postal_code',
  'origin_raw_location', 'destination_state', 'destination_city', 'destination_postal_code',
  'destination_raw_location', 'location_id', 'shipping_method',
] as const;

/** Fields a tracking's merchant data can set, shared by create and update. */
export type TrackingInput = Partial<Pick<Tracking,
  | (typeof STRING_FIELDS)[number] | 'custom_fields' | 'language' | 'order_promised_delivery_date' | 'delivery_type'
  | 'tracking_ship_date' | 'order_date' | 'origin_country_region' | 'destination_country_region' | 'customers'
  | 'shipment_direction' | 'shipment_tags' | 'last_mile'>>;

function optString(body: JsonObject, field: string, max = 512): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) throw invalid(field);
  return v;
}

function customers(value: unknown): NonNullable<Tracking['customers']> {
  if (!Array.isArray(value)) throw invalid('customers');
  if (value.length > 3) throw invalid('customers', 'A tracking can have at most 3 customers.');
  return value.map((c, i) => {
    if (!isObject(c)) throw invalid(`customers[${i}]`);
    const f = (k: string): string | null => {
      const v = c[k];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string') throw invalid(`customers[${i}].${k}`);
      return v;
    };
    const out = { role: f('role'), name: f('name'), phone_number: f('phone_number'), email: f('email'), language: f('language'), id: f('id') };
    if (out.phone_number !== null && !E164.test(out.phone_number)) throw invalid(`customers[${i}].phone_number`, 'Use E.164 format, e.g. +14155552671.');
    if (out.email !== null && !EMAIL.test(out.email)) throw invalid(`customers[${i}].email`);
    if (out.language !== null && !LANGUAGE.test(out.language)) throw invalid(`customers[${i}].language`);
    return out;
  });
}

function customFields(value: unknown): Record<string, string> {
  if (!isObject(value)) throw invalid('custom_fields');
  const entries = Object.entries(value);
  if (entries.length > 25) throw invalid('custom_fields', 'At most 25 key-value pairs.');
  for (const [k, v] of entries) {
    if (k.length > 30 || typeof v !== 'string' || v.length > 512) throw invalid(`custom_fields.${k}`);
  }
  return value as Record<string, string>;
}

function promised(value: unknown): NonNullable<Tracking['order_promised_delivery_date']> {
  if (!isObject(value)) throw invalid('order_promised_delivery_date');
  const out: Record<string, string | null> = {};
  for (const k of ['promised_delivery_date', 'promised_delivery_date_min', 'promised_delivery_date_max']) {
    const v = value[k];
    if (v === undefined || v === null) out[k] = null;
    else if (typeof v === 'string' && isLooseDate(v)) out[k] = v;
    else throw invalid(`order_promised_delivery_date.${k}`);
  }
  return out;
}

/** Reads the merchant fields of a create or update body. */
export function readTrackingInput(body: JsonObject): TrackingInput {
  const input: TrackingInput = {};
  for (const f of STRING_FIELDS) {
    const v = optString(body, f);
    if (v !== undefined) input[f] = v;
  }
  if (body.note === '') input.note = null; // "" clears the note
  if (body.custom_fields !== undefined && body.custom_fields !== null) input.custom_fields = customFields(body.custom_fields);
  const language = optString(body, 'language');
  if (language !== undefined) {
    if (!LANGUAGE.test(language)) throw invalid('language');
    input.language = language;
  }
  if (body.order_promised_delivery_date !== undefined && body.order_promised_delivery_date !== null) {
    input.order_promised_delivery_date = promised(body.order_promised_delivery_date);
  }
  const deliveryType = optString(body, 'delivery_type');
  if (deliveryType !== undefined) {
    if (!['pickup_at_store', 'door_to_door', 'pickup_at_courier'].includes(deliveryType)) throw invalid('delivery_type');
    input.delivery_type = deliveryType;
  }
  const shipDate = optString(body, 'tracking_ship_date');
  if (shipDate !== undefined) {
    if (!isShipDate(shipDate)) throw invalid('tracking_ship_date');
    input.tracking_ship_date = shipDate;
  }
  const orderDate = optString(body, 'order_date');
  if (orderDate !== undefined) {
    if (!ORDER_DATE.test(orderDate) || !isLooseDate(orderDate)) throw invalid('order_date');
    input.order_date = orderDate;
  }
  for (const f of ['origin_country_region', 'destination_country_region'] as const) {
    const v = optString(body, f);
    if (v === undefined) continue;
    if (!ALPHA3.test(v)) throw invalid(f, 'Use an ISO 3166-1 alpha-3 code.');
    input[f] = v;
  }
  if (body.customers !== undefined && body.customers !== null) input.customers = customers(body.customers);
  const direction = optString(body, 'shipment_direction');
  if (direction !== undefined) {
    if (direction !== 'forward' && direction !== 'return') throw invalid('shipment_direction');
    input.shipment_direction = direction;
  }
  const hasOrigin = ['origin_country_region', 'origin_state', 'origin_city', 'origin_postal_code', 'origin_raw_location'].some((k) => body[k] != null);
  if (input.location_id !== undefined && hasOrigin) throw invalid('location_id', 'location_id cannot be used together with origin address fields.');
  return input;
}

/** Create-only fields: shipment_tags and last_mile. */
export function readCreateOnly(body: JsonObject): TrackingInput {
  const input: TrackingInput = {};
  const tags = body.shipment_tags;
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags) || tags.length > 50 || tags.some((t) => typeof t !== 'string' || t.length === 0 || t.length > 32)) {
      throw invalid('shipment_tags', 'Up to 50 tags of at most 32 characters.');
    }
    input.shipment_tags = tags as string[];
  }
  const lm = body.last_mile;
  if (lm !== undefined && lm !== null) {
    if (!isObject(lm)) throw invalid('last_mile');
    if (typeof lm.tracking_number !== 'string' || lm.tracking_number === '') throw required('last_mile.tracking_number');
    if (typeof lm.slug !== 'string' || lm.slug === '') throw required('last_mile.slug');
    if (!SLUG.test(lm.slug)) throw new ApiError(4010);
    input.last_mile = { tracking_number: lm.tracking_number, slug: lm.slug, transit_time: null, courier_tracking_link: null, courier_redirect_link: null, source: 'user' };
  }
  return input;
}

/** The tracking number of a create body: 4007 when missing, 4005 when not a valid value. */
export function readTrackingNumber(body: JsonObject): string {
  const n = body.tracking_number;
  if (n === undefined || n === null || n === '') throw new ApiError(4007);
  if (typeof n !== 'string' || !TRACKING_NUMBER.test(n.trim())) throw new ApiError(4005);
  return n.trim();
}

export const NOT_UPDATABLE = ['tracking_number', 'id', 'shipment_tags', 'courier_connection_id', 'slug_group'] as const;
