/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** The main status of a tracking or checkpoint (AfterShip's 9 tags, e.g. `IN_TRANSIT` for AfterShip's `InTransit`). `subtag` refines it, in AfterShip's spelling (e.g. `InTransit_003`). */
export type Tag =
  /** A delivery attempt failed; the courier will usually try again. */
  | 'ATTEMPT_FAIL'
  /** Waiting at a pickup point or locker for the recipient. */
  | 'AVAILABLE_FOR_PICKUP'
  /** Delivered (or picked up by the recipient). */
  | 'DELIVERED'
  /** A problem: held, returned, damaged, lost, refused... see `subtag`. */
  | 'EXCEPTION'
  /** No tracking information for 30 days since it was added. */
  | 'EXPIRED'
  /** The courier has the shipping information but has not picked the parcel up yet. */
  | 'INFO_RECEIVED'
  /** On its way: accepted by the courier or moving through its network. */
  | 'IN_TRANSIT'
  /** Out for delivery today. */
  | 'OUT_FOR_DELIVERY'
  /** Added, but the courier has reported nothing yet. */
  | 'PENDING';

export type TrackingPageShipmentFragment = { id: string, trackingNumber: string, tag: Tag | null, subtagMessage: string | null, updatedAt: string | null, courier: { name: string, phone: string | null, webUrl: string | null } | null, estimatedDelivery: { datetime: string | null, datetimeMin: string | null, datetimeMax: string | null } | null, checkpoints: Array<{ checkpointTime: string | null, message: string | null, city: string | null, state: string | null, countryRegionName: string | null, subtagMessage: string | null }> };

export type TrackingPageLookupQueryVariables = Exact<{
  trackingNumber: string;
  slug?: string | null | undefined;
}>;


export type TrackingPageLookupQuery = { trackingByNumber: { id: string, trackingNumber: string, tag: Tag | null, subtagMessage: string | null, updatedAt: string | null, courier: { name: string, phone: string | null, webUrl: string | null } | null, estimatedDelivery: { datetime: string | null, datetimeMin: string | null, datetimeMax: string | null } | null, checkpoints: Array<{ checkpointTime: string | null, message: string | null, city: string | null, state: string | null, countryRegionName: string | null, subtagMessage: string | null }> } | null };

export type TrackingPageUpdatesSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type TrackingPageUpdatesSubscription = { trackingUpdated: { id: string, trackingNumber: string, tag: Tag | null, subtagMessage: string | null, updatedAt: string | null, courier: { name: string, phone: string | null, webUrl: string | null } | null, estimatedDelivery: { datetime: string | null, datetimeMin: string | null, datetimeMax: string | null } | null, checkpoints: Array<{ checkpointTime: string | null, message: string | null, city: string | null, state: string | null, countryRegionName: string | null, subtagMessage: string | null }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const TrackingPageShipmentFragmentDoc = new TypedDocumentString(`
    fragment TrackingPageShipment on Tracking {
  id
  trackingNumber
  tag
  subtagMessage
  updatedAt
  courier {
    name
    phone
    webUrl
  }
  estimatedDelivery {
    datetime
    datetimeMin
    datetimeMax
  }
  checkpoints {
    checkpointTime
    message
    city
    state
    countryRegionName
    subtagMessage
  }
}
    `, {"fragmentName":"TrackingPageShipment"}) as unknown as TypedDocumentString<TrackingPageShipmentFragment, unknown>;
export const TrackingPageLookupDocument = new TypedDocumentString(`
    query TrackingPageLookup($trackingNumber: String!, $slug: String) {
  trackingByNumber(trackingNumber: $trackingNumber, slug: $slug) {
    ...TrackingPageShipment
  }
}
    fragment TrackingPageShipment on Tracking {
  id
  trackingNumber
  tag
  subtagMessage
  updatedAt
  courier {
    name
    phone
    webUrl
  }
  estimatedDelivery {
    datetime
    datetimeMin
    datetimeMax
  }
  checkpoints {
    checkpointTime
    message
    city
    state
    countryRegionName
    subtagMessage
  }
}`) as unknown as TypedDocumentString<TrackingPageLookupQuery, TrackingPageLookupQueryVariables>;
export const TrackingPageUpdatesDocument = new TypedDocumentString(`
    subscription TrackingPageUpdates($id: ID!) {
  trackingUpdated(id: $id) {
    ...TrackingPageShipment
  }
}
    fragment TrackingPageShipment on Tracking {
  id
  trackingNumber
  tag
  subtagMessage
  updatedAt
  courier {
    name
    phone
    webUrl
  }
  estimatedDelivery {
    datetime
    datetimeMin
    datetimeMax
  }
  checkpoints {
    checkpointTime
    message
    city
    state
    countryRegionName
    subtagMessage
  }
}`) as unknown as TypedDocumentString<TrackingPageUpdatesSubscription, TrackingPageUpdatesSubscriptionVariables>;