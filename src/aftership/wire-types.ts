/**
 * AfterShip Tracking API 2026-07 shapes, exactly as they travel on the wire (snake_case).
 *
 * They are derived from the models of AfterShip's own SDK (`@aftership/tracking-sdk` 17, a
 * devDependency; only types are imported, so nothing of it runs in production). The SDK types
 * enums such as `Tag` as TypeScript enums; `Wire<T>` turns every enum into the union of its
 * string values and every `any` map into string maps, so plain JSON (the sandbox's, a webhook's)
 * type-checks against the same shapes the SDK expects.
 */
import type { Tracking as SdkTracking } from '@aftership/tracking-sdk/dist/model/Tracking.js';
import type { Checkpoint as SdkCheckpoint } from '@aftership/tracking-sdk/dist/model/Checkpoint.js';
import type { Courier as SdkCourier } from '@aftership/tracking-sdk/dist/model/Courier.js';
import type { CourierConnection as SdkCourierConnection } from '@aftership/tracking-sdk/dist/model/CourierConnection.js';
import type { GetTrackingsQuery as SdkGetTrackingsQuery } from '@aftership/tracking-sdk/dist/model/GetTrackingsQuery.js';
import type { GetTrackingByIdQuery as SdkGetTrackingByIdQuery } from '@aftership/tracking-sdk/dist/model/GetTrackingByIdQuery.js';
import type { CreateTrackingRequest as SdkCreateTrackingRequest } from '@aftership/tracking-sdk/dist/model/CreateTrackingRequest.js';
import type { UpdateTrackingByIdRequest as SdkUpdateTrackingByIdRequest } from '@aftership/tracking-sdk/dist/model/UpdateTrackingByIdRequest.js';
import type { MarkTrackingCompletedByIdRequest as SdkMarkCompletedRequest } from '@aftership/tracking-sdk/dist/model/MarkTrackingCompletedByIdRequest.js';
import type { DetectCourierRequest as SdkDetectCourierRequest } from '@aftership/tracking-sdk/dist/model/DetectCourierRequest.js';
import type { GetCouriersQuery as SdkGetCouriersQuery } from '@aftership/tracking-sdk/dist/model/GetCouriersQuery.js';
import type { EstimatedDeliveryDateRequest as SdkEddRequest } from '@aftership/tracking-sdk/dist/model/EstimatedDeliveryDateRequest.js';
import type { EstimatedDeliveryDateResponse as SdkEddResponse } from '@aftership/tracking-sdk/dist/model/EstimatedDeliveryDateResponse.js';
import type { GetCourierConnectionsQuery as SdkGetCourierConnectionsQuery } from '@aftership/tracking-sdk/dist/model/GetCourierConnectionsQuery.js';
import type { PostCourierConnectionsRequest as SdkPostCourierConnectionsRequest } from '@aftership/tracking-sdk/dist/model/PostCourierConnectionsRequest.js';
import type { PutCourierConnectionsByIdRequest as SdkPatchCourierConnectionRequest } from '@aftership/tracking-sdk/dist/model/PutCourierConnectionsByIdRequest.js';
import type { Meta as SdkMeta } from '@aftership/tracking-sdk/dist/model/Meta.js';

/** Enums become string unions; `{ [k: string]: any }` maps become string maps; the rest is kept. */
export type Wire<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends readonly (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? string extends keyof T
          ? { [key: string]: string }
          : { [K in keyof T]: Wire<T[K]> }
        : T;

export const TAGS = [
  'Pending',
  'InfoReceived',
  'InTransit',
  'OutForDelivery',
  'AttemptFail',
  'Delivered',
  'AvailableForPickup',
  'Exception',
  'Expired',
] as const;
export type TagName = (typeof TAGS)[number];

export type Tracking = Wire<SdkTracking>;
export type Checkpoint = Wire<SdkCheckpoint>;
export type Courier = Wire<SdkCourier>;
export type CourierConnection = Wire<SdkCourierConnection>;
export type GetTrackingsQuery = Wire<SdkGetTrackingsQuery>;
export type GetTrackingByIdQuery = Wire<SdkGetTrackingByIdQuery>;
export type CreateTrackingRequest = Wire<SdkCreateTrackingRequest>;
export type UpdateTrackingRequest = Wire<SdkUpdateTrackingByIdRequest>;
export type MarkCompletedRequest = Wire<SdkMarkCompletedRequest>;
export type MarkCompletedReason = MarkCompletedRequest['reason'];
export type DetectCourierRequest = Wire<SdkDetectCourierRequest>;
export type GetCouriersQuery = Wire<SdkGetCouriersQuery>;
export type EddRequest = Wire<SdkEddRequest>;
export type EddResponse = Wire<SdkEddResponse>;
export type GetCourierConnectionsQuery = Wire<SdkGetCourierConnectionsQuery>;
export type CreateCourierConnectionRequest = Wire<SdkPostCourierConnectionsRequest>;
export type UpdateCourierConnectionRequest = Wire<SdkPatchCourierConnectionRequest>;
export type Meta = Wire<SdkMeta>;

/** Every response, success or error: `{ meta, data }`. */
export interface Envelope<T> {
  meta: Meta;
  data: T;
}

/** Cursor pagination as AfterShip returns it on list endpoints. */
export interface Pagination {
  total: number;
  next_cursor: string;
  has_next_page: boolean;
}

/** `data` of GET /trackings. */
export interface TrackingList {
  pagination: Pagination;
  trackings: Tracking[];
}

/** `data` of GET /couriers and POST /couriers/detect. */
export interface CourierList {
  total: number;
  couriers: Courier[];
}

/** `data` of GET /courier-connections. */
export interface CourierConnectionList {
  pagination: Pagination;
  courier_connections: CourierConnection[];
}

/** `data` of POST /estimated-delivery-date/predict-batch (and its request body). */
export interface EddBatch<T> {
  estimated_delivery_dates: T[];
}

/** The three webhook events AfterShip sends. */
export const WEBHOOK_EVENTS = ['tracking_update', 'edd_revise', 'tracking_pending_time'] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

/** Body of a webhook delivery; `msg` is the whole tracking in the URL's API version. */
export interface WebhookPayload {
  event: WebhookEventName;
  event_id: string;
  is_tracking_first_tag: boolean;
  msg: Tracking;
  /** UTC Unix seconds of the event. */
  ts: number;
}

/**
 * An AfterShip timestamp (ISO 8601, e.g. `updated_at`) in epoch ms; -Infinity when absent or
 * unparseable, so a version without one is older than any with one. The cache's newest-wins rule
 * and the realtime diff both compare versions with it, so they always agree.
 */
export function timeOf(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

export const API_VERSION = '2026-07';
export const API_PATH_PREFIX = `/tracking/${API_VERSION}`;
