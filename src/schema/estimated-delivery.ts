/**
 * Estimated delivery dates: every EDD a tracking carries, one `estimatedDelivery` that picks the
 * best of them. AfterShip's AI predictions for shipments not yet created: estimated-delivery-prediction.ts.
 */
import type { Tracking } from '../aftership/wire-types.js';
import { builder } from './builder.js';
import { EstimatedDeliverySource, EstimatedDeliveryType } from './enums.js';
import { TrackingRef } from './tracking.js';

/** Which tracking field an EstimatedDelivery was read from. */
const EDD_FIELDS = {
  LATEST_ESTIMATED_DELIVERY: 'The latest estimate (`latestEstimatedDelivery`), whatever its source.',
  FIRST_ESTIMATED_DELIVERY: 'The first estimate ever given (`firstEstimatedDelivery`).',
  AFTERSHIP_ESTIMATED_DELIVERY_DATE: 'AfterShip\'s AI prediction (`aftershipEstimatedDeliveryDate`).',
  COURIER_ESTIMATED_DELIVERY_DATE: 'The carrier\'s estimate (`courierEstimatedDeliveryDate`).',
  CUSTOM_ESTIMATED_DELIVERY_DATE: 'The merchant\'s custom rules (`customEstimatedDeliveryDate`).',
  ORDER_PROMISED_DELIVERY_DATE: 'The date promised at checkout (`orderPromisedDeliveryDate`).',
} as const;
type EddField = keyof typeof EDD_FIELDS;

const EddFieldEnum = builder.enumType('EstimatedDeliveryField', {
  description: 'The tracking field an estimated delivery was taken from.',
  values: Object.fromEntries(Object.entries(EDD_FIELDS).map(([k, d]) => [k, { value: k, description: d }])) as Record<
    EddField,
    { value: EddField; description: string }
  >,
});

/** One normalised estimate: a moment or a window, where it came from, how sure. */
export interface EstimatedDelivery {
  fromField: EddField;
  source: string | null;
  type: 'specific' | 'range';
  datetime: string | null;
  datetimeMin: string | null;
  datetimeMax: string | null;
  confidenceCode: number | null;
  reviseReason: string | null;
}

function estimate(
  fromField: EddField,
  source: string | null | undefined,
  datetime: string | null | undefined,
  min: string | null | undefined,
  max: string | null | undefined,
  extra: { type?: string | null; confidenceCode?: number | null; reviseReason?: string | null } = {},
): EstimatedDelivery | null {
  if (!datetime && !min && !max) return null;
  const type = extra.type === 'range' || extra.type === 'specific' ? extra.type : datetime ? 'specific' : 'range';
  return {
    fromField,
    source: source ?? null,
    type,
    datetime: datetime ?? null,
    datetimeMin: min ?? null,
    datetimeMax: max ?? null,
    confidenceCode: extra.confidenceCode ?? null,
    reviseReason: extra.reviseReason ?? null,
  };
}

/** Every estimate the tracking carries, in order of preference (best first). */
export function estimatesOf(tr: Tracking): EstimatedDelivery[] {
  const latest = tr.latest_estimated_delivery;
  const aftership = tr.aftership_estimated_delivery_date;
  const courier = tr.courier_estimated_delivery_date;
  const custom = tr.custom_estimated_delivery_date;
  const promised = tr.order_promised_delivery_date;
  return [
    latest && estimate('LATEST_ESTIMATED_DELIVERY', latest.source, latest.datetime, latest.datetime_min, latest.datetime_max, { type: latest.type, reviseReason: latest.revise_reason }),
    aftership && estimate('AFTERSHIP_ESTIMATED_DELIVERY_DATE', 'AfterShip EDD', aftership.estimated_delivery_date, aftership.estimated_delivery_date_min, aftership.estimated_delivery_date_max, { confidenceCode: aftership.confidence_code }),
    courier && estimate('COURIER_ESTIMATED_DELIVERY_DATE', 'Carrier EDD', courier.estimated_delivery_date, courier.estimated_delivery_date_min, courier.estimated_delivery_date_max),
    custom && estimate('CUSTOM_ESTIMATED_DELIVERY_DATE', 'Custom EDD', custom.datetime, custom.datetime_min, custom.datetime_max, { type: custom.type }),
    promised && estimate('ORDER_PROMISED_DELIVERY_DATE', 'Order EDD', promised.promised_delivery_date, promised.promised_delivery_date_min, promised.promised_delivery_date_max),
  ].filter((e): e is EstimatedDelivery => Boolean(e));
}

const EstimatedDeliveryRef = builder.objectRef<EstimatedDelivery>('EstimatedDelivery').implement({
  description: 'When a shipment should arrive: one moment (`datetime`) or a window (`datetimeMin`–`datetimeMax`), with where the estimate came from.',
  fields: (t) => ({
    fromField: t.field({ type: EddFieldEnum, nullable: false, description: 'The tracking field the estimate was read from.', resolve: (e) => e.fromField }),
    source: t.field({ type: EstimatedDeliverySource.ref, description: 'Who produced the estimate: carrier, AfterShip AI, merchant rules or order promise.', resolve: (e) => EstimatedDeliverySource.orNull(e.source) }),
    type: t.field({ type: EstimatedDeliveryType.ref, nullable: false, description: 'A single moment or a window.', resolve: (e) => e.type }),
    datetime: t.field({ type: 'LocalDateTime', description: 'The expected date (or date-time), for a specific estimate.', resolve: (e) => e.datetime }),
    datetimeMin: t.field({ type: 'LocalDateTime', description: 'Start of the window, for a range.', resolve: (e) => e.datetimeMin }),
    datetimeMax: t.field({ type: 'LocalDateTime', description: 'End of the window, for a range.', resolve: (e) => e.datetimeMax }),
    confidenceCode: t.exposeInt('confidenceCode', { description: 'For AfterShip predictions: confidence code (10000 highest … 3000x medium).' }),
    reviseReason: t.exposeString('reviseReason', { description: 'Why AfterShip revised the estimate, e.g. `extreme_weather`, `customs_clearance`.' }),
  }),
});

builder.objectFields(TrackingRef, (t) => ({
  estimatedDelivery: t.field({
    type: EstimatedDeliveryRef,
    description:
      'The best estimate available: the latest estimate if any, else AfterShip\'s prediction, else the carrier\'s, else the merchant\'s custom one, else the order promise. `fromField` and `source` say which.',
    resolve: (tr) => estimatesOf(tr)[0] ?? null,
  }),
  estimatedDeliveries: t.field({
    type: [EstimatedDeliveryRef],
    nullable: false,
    description: 'Every estimate the tracking carries, best first (the same order `estimatedDelivery` picks from).',
    resolve: (tr) => estimatesOf(tr),
  }),
  latestEstimatedDelivery: t.field({
    type: EstimatedDeliveryRef,
    description: 'The current estimate as AfterShip maintains it (may be revised; see `reviseReason`).',
    resolve: (tr) => {
      const e = tr.latest_estimated_delivery;
      return e ? estimate('LATEST_ESTIMATED_DELIVERY', e.source, e.datetime, e.datetime_min, e.datetime_max, { type: e.type, reviseReason: e.revise_reason }) : null;
    },
  }),
  firstEstimatedDelivery: t.field({
    type: EstimatedDeliveryRef,
    description: 'The first estimate the shipment ever had (to compare against the actual delivery).',
    resolve: (tr) => {
      const e = tr.first_estimated_delivery;
      return e ? estimate('FIRST_ESTIMATED_DELIVERY', e.source, e.datetime, e.datetime_min, e.datetime_max, { type: e.type }) : null;
    },
  }),
  aftershipEstimatedDeliveryDate: t.field({
    type: EstimatedDeliveryRef,
    description: 'AfterShip\'s AI prediction, with its confidence code.',
    resolve: (tr) => estimatesOf(tr).find((e) => e.fromField === 'AFTERSHIP_ESTIMATED_DELIVERY_DATE') ?? null,
  }),
  courierEstimatedDeliveryDate: t.field({
    type: EstimatedDeliveryRef,
    description: 'The carrier\'s own estimate, in the carrier\'s format.',
    resolve: (tr) => estimatesOf(tr).find((e) => e.fromField === 'COURIER_ESTIMATED_DELIVERY_DATE') ?? null,
  }),
  customEstimatedDeliveryDate: t.field({
    type: EstimatedDeliveryRef,
    description: 'The estimate from the merchant\'s custom EDD rules.',
    resolve: (tr) => estimatesOf(tr).find((e) => e.fromField === 'CUSTOM_ESTIMATED_DELIVERY_DATE') ?? null,
  }),
  orderPromisedDeliveryDate: t.field({
    type: EstimatedDeliveryRef,
    description: 'The delivery date (or window) promised to the customer at checkout.',
    resolve: (tr) => estimatesOf(tr).find((e) => e.fromField === 'ORDER_PROMISED_DELIVERY_DATE') ?? null,
  }),
}));
