/**
 * Which replicated trackings a statistic or an export covers. The same filter serves
 * `deliveryStats(filter:)` and the export routes' query parameters; it is checked (bounded lists,
 * ranges in order) before any tracking is looked at, then compiled into one predicate.
 */
import type { TagName, Tracking } from '../aftership/wire-types.js';
import { TAGS } from '../aftership/wire-types.js';
import { instantOf } from './dates.js';
import { InvalidAnalyticsInputError } from './errors.js';

/** Epoch ms; `from` inclusive, `to` exclusive, so consecutive ranges never count a tracking twice. */
export interface TimeRange {
  from?: number | null;
  to?: number | null;
}

export type ShipmentDirection = 'forward' | 'return';

export interface DeliveryStatsFilter {
  /** `created_at`: when the tracking was added to AfterShip. */
  createdAt?: TimeRange | null;
  /** `shipment_pickup_date`: when the courier picked the parcel up (trackings not yet picked up never match). */
  shippedAt?: TimeRange | null;
  /** `shipment_delivery_date` (trackings not delivered never match). */
  deliveredAt?: TimeRange | null;
  /** Courier slugs. */
  slugs?: readonly string[] | null;
  /** ISO 3166-1 alpha-3 of `origin_country_region`. */
  originCountryRegions?: readonly string[] | null;
  /** ISO 3166-1 alpha-3 of the destination (see destinationOf). */
  destinationCountryRegions?: readonly string[] | null;
  /** Current tag. */
  tags?: readonly TagName[] | null;
  /** Carries any of these shipment tags. */
  shipmentTags?: readonly string[] | null;
  /** A tracking without a direction is a forward shipment (AfterShip marks returns). */
  shipmentDirection?: ShipmentDirection | null;
}

/** The most values one list of the filter may hold. */
export const MAX_FILTER_VALUES = 100;

const ALPHA3 = /^[A-Z]{3}$/;

/** The destination: the merchant's, else the one the courier reports. */
export function destinationOf(t: Tracking): string | null {
  return t.destination_country_region || t.courier_destination_country_region || null;
}

export function directionOf(t: Tracking): ShipmentDirection {
  return t.shipment_direction === 'return' ? 'return' : 'forward';
}

function checkList(values: readonly string[] | null | undefined, field: string, check?: (v: string) => string | undefined): void {
  if (!values) return;
  if (values.length > MAX_FILTER_VALUES) throw new InvalidAnalyticsInputError(`${field} takes at most ${MAX_FILTER_VALUES} values.`, field);
  for (const v of values) {
    if (typeof v !== 'string' || v.length === 0 || v.length > 128) throw new InvalidAnalyticsInputError(`${field}: values must be 1 to 128 characters.`, field);
    const problem = check?.(v);
    if (problem) throw new InvalidAnalyticsInputError(`${field}: ${problem}`, field);
  }
}

function checkRange(range: TimeRange | null | undefined, field: string): void {
  if (!range) return;
  for (const end of ['from', 'to'] as const) {
    const v = range[end];
    if (v !== null && v !== undefined && !Number.isFinite(v)) throw new InvalidAnalyticsInputError(`${field}.${end} is not a valid instant.`, `${field}.${end}`);
  }
  if (range.from != null && range.to != null && range.from > range.to) {
    throw new InvalidAnalyticsInputError(`${field}.from is after ${field}.to.`, `${field}.from`);
  }
}

/**
 * Checks a filter before it runs; `prefix` names its fields in errors (`filter.` in GraphQL, nothing
 * for query parameters).
 */
export function checkFilter(filter: DeliveryStatsFilter | null | undefined, prefix = ''): void {
  if (!filter) return;
  const alpha3 = (v: string) => (ALPHA3.test(v) ? undefined : `${JSON.stringify(v)} is not an ISO 3166-1 alpha-3 code (e.g. USA).`);
  checkList(filter.slugs, `${prefix}slugs`);
  checkList(filter.originCountryRegions, `${prefix}originCountryRegions`, alpha3);
  checkList(filter.destinationCountryRegions, `${prefix}destinationCountryRegions`, alpha3);
  checkList(filter.shipmentTags, `${prefix}shipmentTags`);
  checkList(filter.tags, `${prefix}tags`, (v) => ((TAGS as readonly string[]).includes(v) ? undefined : `${JSON.stringify(v)} is not a tag.`));
  checkRange(filter.createdAt, `${prefix}createdAt`);
  checkRange(filter.shippedAt, `${prefix}shippedAt`);
  checkRange(filter.deliveredAt, `${prefix}deliveredAt`);
}

const inRange = (ms: number | null, r: TimeRange): boolean =>
  ms !== null && (r.from == null || ms >= r.from) && (r.to == null || ms < r.to);

/** The filter as one predicate (checked first). Sets are built once, not per tracking. */
export function compileFilter(filter: DeliveryStatsFilter | null | undefined): (t: Tracking) => boolean {
  checkFilter(filter);
  if (!filter) return () => true;
  const set = <T extends string>(values: readonly T[] | null | undefined) => (values && values.length ? new Set<string>(values) : null);
  const slugs = set(filter.slugs);
  const origins = set(filter.originCountryRegions);
  const destinations = set(filter.destinationCountryRegions);
  const tags = set(filter.tags);
  const shipmentTags = set(filter.shipmentTags);
  const { createdAt, shippedAt, deliveredAt, shipmentDirection } = filter;
  return (t) => {
    if (slugs && !slugs.has(t.slug ?? '')) return false;
    if (origins && !origins.has(t.origin_country_region ?? '')) return false;
    if (destinations && !destinations.has(destinationOf(t) ?? '')) return false;
    if (tags && !tags.has(t.tag ?? '')) return false;
    if (shipmentTags && !(t.shipment_tags ?? []).some((s) => shipmentTags.has(s))) return false;
    if (shipmentDirection && directionOf(t) !== shipmentDirection) return false;
    if (createdAt && !inRange(instantOf(t.created_at), createdAt)) return false;
    if (shippedAt && !inRange(instantOf(t.shipment_pickup_date), shippedAt)) return false;
    if (deliveredAt && !inRange(instantOf(t.shipment_delivery_date), deliveredAt)) return false;
    return true;
  };
}
