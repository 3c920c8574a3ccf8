/**
 * AfterShip states a delivery estimate in six tracking fields and in predictions, in three
 * shapes (`datetime*`, `estimated_delivery_date*`, `promised_delivery_date*`). This reads any of
 * them as one: a moment or a window, who gave it, how sure. The schema's `EstimatedDelivery` and
 * the realtime diff (EDD_REVISED) both use it, so an event's estimate is its tracking's
 * `estimatedDelivery`.
 */
import type { EddResponse, Tracking } from './wire-types.js';

/** The tracking fields that carry an estimate. */
export type EstimateField =
  | 'latest_estimated_delivery'
  | 'first_estimated_delivery'
  | 'aftership_estimated_delivery_date'
  | 'courier_estimated_delivery_date'
  | 'custom_estimated_delivery_date'
  | 'order_promised_delivery_date';

export interface DeliveryEstimate {
  /** The tracking field it was read from; null for a prediction. */
  field: EstimateField | null;
  /** AfterShip's source: `Carrier EDD`, `AfterShip EDD`, `Custom EDD` or `Order EDD`; null when unsaid. */
  source: string | null;
  type: 'specific' | 'range';
  datetime: string | null;
  datetimeMin: string | null;
  datetimeMax: string | null;
  confidenceCode: number | null;
  reviseReason: string | null;
}

/** Which fields `estimatesOf` reads, best first (the first estimate ever given is history, not a candidate). */
const BEST_FIRST: readonly EstimateField[] = [
  'latest_estimated_delivery',
  'aftership_estimated_delivery_date',
  'courier_estimated_delivery_date',
  'custom_estimated_delivery_date',
  'order_promised_delivery_date',
];

function estimate(
  field: EstimateField | null,
  source: string | null | undefined,
  datetime: string | null | undefined,
  min: string | null | undefined,
  max: string | null | undefined,
  extra: { type?: string | null; confidenceCode?: number | null; reviseReason?: string | null } = {},
): DeliveryEstimate | null {
  if (!datetime && !min && !max) return null;
  const type = extra.type === 'range' || extra.type === 'specific' ? extra.type : datetime ? 'specific' : 'range';
  return {
    field,
    source: source ?? null,
    type,
    datetime: datetime ?? null,
    datetimeMin: min ?? null,
    datetimeMax: max ?? null,
    confidenceCode: extra.confidenceCode ?? null,
    reviseReason: extra.reviseReason ?? null,
  };
}

/** The estimate one tracking field holds, if any. */
export function estimateIn(tr: Tracking, field: EstimateField): DeliveryEstimate | null {
  switch (field) {
    case 'latest_estimated_delivery':
    case 'first_estimated_delivery': {
      const e = tr[field];
      return e ? estimate(field, e.source, e.datetime, e.datetime_min, e.datetime_max, { type: e.type, reviseReason: 'revise_reason' in e ? e.revise_reason : null }) : null;
    }
    case 'aftership_estimated_delivery_date': {
      const e = tr[field];
      return e ? estimate(field, 'AfterShip EDD', e.estimated_delivery_date, e.estimated_delivery_date_min, e.estimated_delivery_date_max, { confidenceCode: e.confidence_code }) : null;
    }
    case 'courier_estimated_delivery_date': {
      const e = tr[field];
      return e ? estimate(field, 'Carrier EDD', e.estimated_delivery_date, e.estimated_delivery_date_min, e.estimated_delivery_date_max) : null;
    }
    case 'custom_estimated_delivery_date': {
      const e = tr[field];
      return e ? estimate(field, 'Custom EDD', e.datetime, e.datetime_min, e.datetime_max, { type: e.type }) : null;
    }
    case 'order_promised_delivery_date': {
      const e = tr[field];
      return e ? estimate(field, 'Order EDD', e.promised_delivery_date, e.promised_delivery_date_min, e.promised_delivery_date_max) : null;
    }
  }
}

/** Every estimate the tracking carries, best first. */
export function estimatesOf(tr: Tracking): DeliveryEstimate[] {
  return BEST_FIRST.map((field) => estimateIn(tr, field)).filter((e): e is DeliveryEstimate => e !== null);
}

/** The estimate that currently applies: the best the tracking carries. */
export function bestEstimate(tr: Tracking): DeliveryEstimate | null {
  // The first the tracking carries (every webhook asks: no list of all of them).
  for (const field of BEST_FIRST) {
    const e = estimateIn(tr, field);
    if (e) return e;
  }
  return null;
}

/** A prediction's dates as an estimate (AfterShip's, with its confidence). */
export function predictionEstimate(p: EddResponse): DeliveryEstimate | null {
  return estimate(null, 'AfterShip EDD', p.estimated_delivery_date, p.estimated_delivery_date_min, p.estimated_delivery_date_max, {
    confidenceCode: p.confidence_code,
  });
}
