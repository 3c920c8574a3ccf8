/**
 * Estimated delivery dates: every EDD a tracking carries, one `estimatedDelivery` that picks the
 * best of them. AfterShip's AI predictions for shipments not yet created: estimated-delivery-prediction.ts.
 */
import { estimateIn, estimatesOf, type DeliveryEstimate, type EstimateField } from '../aftership/estimates.js';
import { builder } from './builder.js';
import { LIST_SIZES } from './limits.js';
import { EstimatedDeliverySource, EstimatedDeliveryType } from './enums.js';
import { TrackingRef } from './tracking.js';

/** Which tracking field an EstimatedDelivery was read from (GraphQL name → AfterShip field). */
const EDD_FIELDS: Record<string, { value: EstimateField; description: string }> = {
  LATEST_ESTIMATED_DELIVERY: { value: 'latest_estimated_delivery', description: 'The latest estimate (`latestEstimatedDelivery`), whatever its source.' },
  FIRST_ESTIMATED_DELIVERY: { value: 'first_estimated_delivery', description: 'The first estimate ever given (`firstEstimatedDelivery`).' },
  AFTERSHIP_ESTIMATED_DELIVERY_DATE: { value: 'aftership_estimated_delivery_date', description: 'AfterShip\'s AI prediction (`aftershipEstimatedDeliveryDate`).' },
  COURIER_ESTIMATED_DELIVERY_DATE: { value: 'courier_estimated_delivery_date', description: 'The courier\'s estimate (`courierEstimatedDeliveryDate`).' },
  CUSTOM_ESTIMATED_DELIVERY_DATE: { value: 'custom_estimated_delivery_date', description: 'The merchant\'s custom rules (`customEstimatedDeliveryDate`).' },
  ORDER_PROMISED_DELIVERY_DATE: { value: 'order_promised_delivery_date', description: 'The date promised at checkout (`orderPromisedDeliveryDate`).' },
};

const EddFieldEnum = builder.enumType('EstimatedDeliveryField', {
  description: 'The tracking field an estimated delivery was taken from.',
  values: EDD_FIELDS,
});

/**
 * The one shape of an estimate, wherever it appears: on a tracking (six fields), on a tracking
 * event (before and after the change) and on a prediction.
 */
export const EstimatedDeliveryRef = builder.objectRef<DeliveryEstimate>('EstimatedDelivery').implement({
  description:
    'When a shipment should arrive: one moment (`datetime`) or a window (`datetimeMin`–`datetimeMax`), who gave the estimate and how sure. The same type on a tracking, a tracking event and a prediction.',
  fields: (t) => ({
    fromField: t.field({
      type: EddFieldEnum,
      description: 'The tracking field the estimate was read from; null for a prediction.',
      resolve: (e) => e.field,
    }),
    source: t.field({ type: EstimatedDeliverySource.ref, description: 'Who produced the estimate: courier, AfterShip AI, merchant rules or order promise; null when AfterShip did not say.', resolve: (e) => EstimatedDeliverySource.orNull(e.source) }),
    type: t.field({ type: EstimatedDeliveryType.ref, nullable: false, description: 'A single moment or a window.', resolve: (e) => e.type }),
    datetime: t.field({ type: 'LocalDateTime', description: 'The expected date (or date-time), for a specific estimate.', resolve: (e) => e.datetime }),
    datetimeMin: t.field({ type: 'LocalDateTime', description: 'Start of the window, for a range.', resolve: (e) => e.datetimeMin }),
    datetimeMax: t.field({ type: 'LocalDateTime', description: 'End of the window, for a range.', resolve: (e) => e.datetimeMax }),
    confidenceCode: t.exposeInt('confidenceCode', { description: 'For AfterShip predictions: confidence code (10000 highest, 10001/20001 high, 3000x medium).' }),
    reviseReason: t.exposeString('reviseReason', { description: 'Why AfterShip revised the estimate, e.g. `extreme_weather`, `customs_clearance`.' }),
  }),
});

builder.objectFields(TrackingRef, (t) => ({
  estimatedDelivery: t.field({
    type: EstimatedDeliveryRef,
    description:
      'The best estimate available: the latest estimate if any, else AfterShip\'s prediction, else the courier\'s, else the merchant\'s custom one, else the order promise. `fromField` and `source` say which.',
    resolve: (tr) => estimatesOf(tr)[0] ?? null,
  }),
  estimatedDeliveries: t.field({
    type: [EstimatedDeliveryRef],
    listSize: LIST_SIZES.estimates,
    nullable: false,
    description: 'Every estimate the tracking carries, best first (the same order `estimatedDelivery` picks from).',
    resolve: (tr) => estimatesOf(tr),
  }),
  latestEstimatedDelivery: t.field({
    type: EstimatedDeliveryRef,
    description: 'The current estimate as AfterShip maintains it (may be revised; see `reviseReason`).',
    resolve: (tr) => estimateIn(tr, 'latest_estimated_delivery'),
  }),
  firstEstimatedDelivery: t.field({
    type: EstimatedDeliveryRef,
    description: 'The first estimate the shipment ever had (to compare against the actual delivery).',
    resolve: (tr) => estimateIn(tr, 'first_estimated_delivery'),
  }),
  aftershipEstimatedDeliveryDate: t.field({
    type: EstimatedDeliveryRef,
    description: 'AfterShip\'s AI prediction, with its confidence code.',
    resolve: (tr) => estimateIn(tr, 'aftership_estimated_delivery_date'),
  }),
  courierEstimatedDeliveryDate: t.field({
    type: EstimatedDeliveryRef,
    description: 'The courier\'s own estimate.',
    resolve: (tr) => estimateIn(tr, 'courier_estimated_delivery_date'),
  }),
  customEstimatedDeliveryDate: t.field({
    type: EstimatedDeliveryRef,
    description: 'The estimate from the merchant\'s custom EDD rules.',
    resolve: (tr) => estimateIn(tr, 'custom_estimated_delivery_date'),
  }),
  orderPromisedDeliveryDate: t.field({
    type: EstimatedDeliveryRef,
    description: 'The delivery date (or window) promised to the customer at checkout.',
    resolve: (tr) => estimateIn(tr, 'order_promised_delivery_date'),
  }),
}));
