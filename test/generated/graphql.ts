/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Receivers to add to a tracking (one already there, by e-mail, phone or id, is updated instead). */
export type AddNotificationReceiversInput = {
  /** Who to add; the tracking may end up with at most 3. */
  receivers: Array<NotificationReceiverInput>;
  /** The tracking: its global ID or AfterShip id. */
  trackingId: string | number;
};

/** A postal address; send what you know. */
export type AddressInput = {
  /** City. */
  city?: string | null | undefined;
  /** Country or region, ISO 3166-1 alpha-3 (e.g. `USA`). */
  countryRegion?: string | null | undefined;
  /** Postal or ZIP code. */
  postalCode?: string | null | undefined;
  /** The whole address as one line of free text. */
  rawLocation?: string | null | undefined;
  /** State, province or region. */
  state?: string | null | undefined;
};

/** Who reported a checkpoint. */
export type CheckpointSource =
  /** The carrier's own tracking data. */
  | 'CARRIER'
  /** Added by the merchant, e.g. by marking the tracking completed. */
  | 'USER';

/** A carrier account to connect. */
export type CreateCarrierConnectionInput = {
  /** The carrier's slug, e.g. `ups-api`. */
  courierSlug: string;
  /** The credentials the carrier needs. */
  credentials: Array<CredentialInput>;
};

/** A shipment to start tracking. Only `trackingNumber` is required; without `slug` AfterShip detects the courier. */
export type CreateTrackingInput = {
  /** Carrier connection to track with (global ID or AfterShip id); default: the oldest for the courier. */
  courierConnectionId?: string | number | null | undefined;
  /** Your own key/value fields: an object of strings (≤25 keys of ≤30 characters, values ≤512). */
  customFields?: unknown;
  /** People to notify (at most 3); on update, replaces the whole list. */
  customers?: Array<NotificationReceiverInput> | null | undefined;
  /** How the parcel reaches the recipient. */
  deliveryType?: DeliveryType | null | undefined;
  /** Where it goes (some couriers need the postal code). */
  destination?: AddressInput | null | undefined;
  /** Your own id for the tracking (`[0-9a-zA-Z-_]`, ≤128); default: AfterShip makes one. */
  id?: string | null | undefined;
  /** Language of notifications (ISO 639-1, e.g. `en`). */
  language?: string | null | undefined;
  /** The last-mile carrier, when another carrier delivers. */
  lastMile?: LastMileInput | null | undefined;
  /** Your location it ships from (not together with `origin`). */
  locationId?: string | null | undefined;
  /** A private note (on update, an empty string clears it). */
  note?: string | null | undefined;
  /** When the order was placed, `YYYY-MM-DDTHH:mm:ssZ`. */
  orderDate?: string | null | undefined;
  /** Your order id. */
  orderId?: string | null | undefined;
  /** Link to the order in your system. */
  orderIdPath?: string | null | undefined;
  /** Order number shown to the customer. */
  orderNumber?: string | null | undefined;
  /** Delivery date promised at checkout. */
  orderPromisedDeliveryDate?: OrderPromisedDeliveryDateInput | null | undefined;
  /** Where it ships from. */
  origin?: AddressInput | null | undefined;
  /** Where the recipient collects it (pickup delivery types). */
  pickupLocation?: string | null | undefined;
  /** Instructions for the pickup. */
  pickupNote?: string | null | undefined;
  /** Forward (to the customer) or return. */
  shipmentDirection?: ShipmentDirection | null | undefined;
  /** Tags for filtering (≤50, each ≤32 characters). */
  shipmentTags?: Array<string> | null | undefined;
  /** The carrier service; once set, AfterShip no longer overwrites it. */
  shipmentType?: string | null | undefined;
  /** Shipping method chosen at checkout. */
  shippingMethod?: string | null | undefined;
  /** Courier slug; omit to let AfterShip detect it. */
  slug?: string | null | undefined;
  /** Detect only within this courier family, e.g. `fedex-group` (not with `slug`). */
  slugGroup?: string | null | undefined;
  /** A label for the tracking (default: the tracking number). */
  title?: string | null | undefined;
  /** Extra field some couriers need: account number. */
  trackingAccountNumber?: string | null | undefined;
  /** Extra field some couriers need: key or PIN. */
  trackingKey?: string | null | undefined;
  /** The carrier's tracking number (4–100 of A–Z, 0–9, `-._/`). */
  trackingNumber: string;
  /** Extra field some couriers need: ship date (`YYYYMMDD` or `YYYY-MM-DD`). */
  trackingShipDate?: string | null | undefined;
};

/** One credential for a carrier connection. See `Courier.credentialFields` for the names a carrier needs. */
export type CredentialInput = {
  /** Credential name, e.g. `api_key`. */
  name: string;
  /** Its secret value (stored by AfterShip, never returned). */
  value: string;
};

/** The connection to delete. */
export type DeleteCarrierConnectionInput = {
  /** The connection: global ID or AfterShip id. */
  id: string | number;
};

/** The tracking to delete. */
export type DeleteTrackingInput = {
  /** The tracking: global ID or AfterShip id. */
  id: string | number;
};

/** How the parcel reaches the recipient. */
export type DeliveryType =
  /** Delivered to the recipient's address. */
  | 'DOOR_TO_DOOR'
  /** The recipient collects it at a carrier location. */
  | 'PICKUP_AT_COURIER'
  /** The recipient collects it at the merchant's store. */
  | 'PICKUP_AT_STORE';

/** A tracking number to identify, plus anything that narrows the candidates. */
export type DetectCouriersInput = {
  /** Destination country/region (ISO alpha-3), for couriers that need it. */
  destinationCountryRegion?: string | null | undefined;
  /** Destination postal code, for couriers that need it. */
  destinationPostalCode?: string | null | undefined;
  /** Destination state, for couriers that need it. */
  destinationState?: string | null | undefined;
  /** Origin country/region (ISO alpha-3), for couriers that need it. */
  originCountryRegion?: string | null | undefined;
  /** Only consider one family of couriers, e.g. `fedex-group`, `dhl-group`. Not together with `slugs`. */
  slugGroup?: string | null | undefined;
  /** Only consider these couriers (at most 50). Not together with `slugGroup`. */
  slugs?: Array<string> | null | undefined;
  /** Account number with the courier, for couriers that need it. */
  trackingAccountNumber?: string | null | undefined;
  /** Extra key the courier needs (e.g. a PIN), for couriers that need it. */
  trackingKey?: string | null | undefined;
  /** The tracking number to identify. */
  trackingNumber: string;
  /** Ship date as `YYYYMMDD`, for couriers that need it. */
  trackingShipDate?: string | null | undefined;
};

/** An address for a prediction: the country is required, and either state or postal code. */
export type EstimatedDeliveryAddressInput = {
  /** City. */
  city?: string | null | undefined;
  /** Country or region, ISO 3166-1 alpha-3 (e.g. `USA`). */
  countryRegion: string;
  /** Postal or ZIP code (this or `state` is required). */
  postalCode?: string | null | undefined;
  /** The whole address as one line of free text. */
  rawLocation?: string | null | undefined;
  /** State, province or region (this or `postalCode` is required). */
  state?: string | null | undefined;
};

/** The tracking field an estimated delivery was taken from. */
export type EstimatedDeliveryField =
  /** AfterShip's AI prediction (`aftershipEstimatedDeliveryDate`). */
  | 'AFTERSHIP_ESTIMATED_DELIVERY_DATE'
  /** The carrier's estimate (`courierEstimatedDeliveryDate`). */
  | 'COURIER_ESTIMATED_DELIVERY_DATE'
  /** The merchant's custom rules (`customEstimatedDeliveryDate`). */
  | 'CUSTOM_ESTIMATED_DELIVERY_DATE'
  /** The first estimate ever given (`firstEstimatedDelivery`). */
  | 'FIRST_ESTIMATED_DELIVERY'
  /** The latest estimate (`latestEstimatedDelivery`), whatever its source. */
  | 'LATEST_ESTIMATED_DELIVERY'
  /** The date promised at checkout (`orderPromisedDeliveryDate`). */
  | 'ORDER_PROMISED_DELIVERY_DATE';

/** A shipment to predict the delivery date of. Give either `pickupTime` or `estimatedPickup`. */
export type EstimatedDeliveryInput = {
  /** Where it goes. */
  destinationAddress: EstimatedDeliveryAddressInput;
  /** Compute the pickup from the order time instead. */
  estimatedPickup?: EstimatedPickupInput | null | undefined;
  /** Where it ships from. */
  originAddress: EstimatedDeliveryAddressInput;
  /** Number of packages. */
  packageCount?: number | null | undefined;
  /** When the carrier picks it up, local time at the origin: `YYYY-MM-DD HH:mm:ss`. */
  pickupTime?: string | null | undefined;
  /** The carrier service, e.g. "FEDEX GROUND". */
  serviceTypeName?: string | null | undefined;
  /** Courier slug, e.g. `fedex`. */
  slug: string;
  /** Weight of the shipment. */
  weight?: WeightInput | null | undefined;
};

/** Who produced an estimated delivery date. */
export type EstimatedDeliverySource =
  /** AfterShip's AI prediction. */
  | 'AFTERSHIP_EDD'
  /** The carrier. */
  | 'CARRIER_EDD'
  /** The merchant's custom EDD rules. */
  | 'CUSTOM_EDD'
  /** The delivery date promised when the order was placed. */
  | 'ORDER_EDD';

/** Whether an estimated delivery is one moment or a window. */
export type EstimatedDeliveryType =
  /** A window (`datetimeMin` to `datetimeMax`). */
  | 'RANGE'
  /** One date or date-time (`datetime`). */
  | 'SPECIFIC';

/** Work the pickup time out from when the order was placed and the merchant's schedule. */
export type EstimatedPickupInput = {
  /** Days the merchant ships, 1 = Monday … 7 = Sunday (default Monday–Friday). */
  businessDays?: Array<number> | null | undefined;
  /** Daily cut-off time `HH:mm:ss` (default `18:00:00`). */
  orderCutoffTime?: string | null | undefined;
  /** Handling time before pickup (default 0 days). */
  orderProcessingTime?: OrderProcessingTimeInput | null | undefined;
  /** When the order was placed, local time at the origin: `YYYY-MM-DD HH:mm:ss`. */
  orderTime: string;
};

/** The carrier that takes over for the last mile, and its number. */
export type LastMileInput = {
  /** Slug of the last-mile carrier. */
  slug: string;
  /** Tracking number on the last-mile carrier. */
  trackingNumber: string;
};

/** Why a tracking is marked completed by hand. */
export type MarkCompletedReason =
  /** It was delivered (tag becomes Delivered / Delivered_001). */
  | 'DELIVERED'
  /** It was lost (tag becomes Exception / Exception_013). */
  | 'LOST'
  /** It went back to the sender (tag becomes Exception / Exception_011). */
  | 'RETURNED_TO_SENDER';

/** Stop tracking a shipment by hand, saying how it ended. */
export type MarkTrackingCompletedInput = {
  /** When it ended: `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss` or with `Z` (default: now). */
  eventDatetime?: string | null | undefined;
  /** The tracking: global ID or AfterShip id. */
  id: string | number;
  /** How the shipment ended. */
  reason: MarkCompletedReason;
};

/** A person to notify about the shipment. Give at least an e-mail or a phone number. */
export type NotificationReceiverInput = {
  /** E-mail address for notifications. */
  email?: string | null | undefined;
  /** Your own id of this customer. */
  id?: string | null | undefined;
  /** Language of their notifications (ISO 639-1). */
  language?: string | null | undefined;
  /** Their name. */
  name?: string | null | undefined;
  /** Phone number for SMS, E.164 with a leading `+`. */
  phoneNumber?: string | null | undefined;
  /** Their role, e.g. `buyer`. */
  role?: string | null | undefined;
};

/** How long the merchant takes to hand an order to the carrier. */
export type OrderProcessingTimeInput = {
  /** Unit; only `day` is supported (the default). */
  unit?: string | null | undefined;
  /** Number of units (default 0). */
  value?: number | null | undefined;
};

/** The delivery date promised at checkout: a date, or a window (`YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss` or with `Z`). */
export type OrderPromisedDeliveryDateInput = {
  /** The promised date. */
  promisedDeliveryDate?: string | null | undefined;
  /** End of the promised window. */
  promisedDeliveryDateMax?: string | null | undefined;
  /** Start of the promised window. */
  promisedDeliveryDateMin?: string | null | undefined;
};

/** Receivers to remove from a tracking, matched by e-mail, phone number or id. */
export type RemoveNotificationReceiversInput = {
  /** Remove receivers with these e-mail addresses (case-insensitive). */
  emails?: Array<string> | null | undefined;
  /** Remove receivers with these customer ids. */
  ids?: Array<string> | null | undefined;
  /** Remove receivers with these phone numbers. */
  phoneNumbers?: Array<string> | null | undefined;
  /** The tracking: its global ID or AfterShip id. */
  trackingId: string | number;
};

/** The inactive tracking to track again. */
export type RetrackTrackingInput = {
  /** The tracking: global ID or AfterShip id. */
  id: string | number;
};

/** Whether a shipment goes to the customer or comes back from them. */
export type ShipmentDirection =
  /** From the merchant to the customer. */
  | 'FORWARD'
  /** A return, from the customer back to the merchant. */
  | 'RETURN';

/** The signature the carrier needs on delivery. */
export type SignatureRequirement =
  /** An adult's signature. */
  | 'ADULT_SIGNATURE_REQUIRED'
  /** A signature from the recipient, a neighbour or building staff. */
  | 'INDIRECT_SIGNATURE_REQUIRED'
  /** No signature needed. */
  | 'NO_SIGNATURE_REQUIRED'
  /** Any signature. */
  | 'SIGNATURE_REQUIRED';

/** The main status of a tracking or checkpoint (AfterShip's 9 tags). `subtag` refines it. */
export type Tag =
  /** A delivery attempt failed; the carrier will usually try again. */
  | 'AttemptFail'
  /** Waiting at a pickup point or locker for the recipient. */
  | 'AvailableForPickup'
  /** Delivered (or picked up by the recipient). */
  | 'Delivered'
  /** A problem: held, returned, damaged, lost, refused... see `subtag`. */
  | 'Exception'
  /** No tracking information for 30 days since it was added. */
  | 'Expired'
  /** On its way: accepted by the carrier or moving through its network. */
  | 'InTransit'
  /** The carrier has the shipping information but has not picked the parcel up yet. */
  | 'InfoReceived'
  /** Out for delivery today. */
  | 'OutForDelivery'
  /** Added, but the carrier has reported nothing yet. */
  | 'Pending';

/** Narrows `trackingEvents`. Every given list must match (any of its values); omitted or empty lists match everything. */
export type TrackingEventFilter = {
  /** Only events of at least one of these kinds. */
  kinds?: Array<TrackingEventKind> | null | undefined;
  /** Only trackings carrying one of these merchant shipment tags. */
  shipmentTags?: Array<string> | null | undefined;
  /** Only trackings of these couriers (slugs, e.g. `ups`). */
  slugs?: Array<string> | null | undefined;
  /** Only events whose tracking now has one of these tags. */
  tags?: Array<Tag> | null | undefined;
  /** Only these trackings (at most 100; global IDs or AfterShip ids, legacy ids too). These trackings are also polled when webhooks are off. */
  trackingIds?: Array<string | number> | null | undefined;
};

/** What a tracking event says happened. One event can be of several kinds. */
export type TrackingEventKind =
  /** A delivery problem: the tracking moved to Exception or AttemptFail, or a new checkpoint has one of those tags. */
  | 'DELIVERY_EXCEPTION'
  /** The estimated delivery changed (or AfterShip sent an `edd_revise` event). */
  | 'EDD_REVISED'
  /** The carrier reported one or more new checkpoints. */
  | 'NEW_CHECKPOINT'
  /** The tracking stayed Pending past the account's threshold (AfterShip `tracking_pending_time`; webhooks only). */
  | 'PENDING_TOO_LONG'
  /** The tag or subtag changed. */
  | 'STATUS_CHANGED';

/** How the gateway learned about a change. */
export type TrackingEventSource =
  /** The gateway found it by re-reading the tracking (webhooks off or quiet). */
  | 'POLL'
  /** AfterShip pushed it with a signed webhook. */
  | 'WEBHOOK';

/** Narrows `trackings`. Every field is optional; given fields must all match. Lists match any of their values. */
export type TrackingFilter = {
  /** Destination as the carrier reports it is one of these (ISO alpha-3). */
  courierDestinationCountryRegion?: Array<string> | null | undefined;
  /** Added at or before this instant (default: now). */
  createdAtMax?: string | null | undefined;
  /** Added at or after this instant (AfterShip keeps 120 days; default: 120 days ago). */
  createdAtMin?: string | null | undefined;
  /** Destination country/region is one of these (ISO alpha-3). */
  destination?: Array<string> | null | undefined;
  /** Free text found in the tracking number, title, order id, customer name/e-mail/phone or custom fields. */
  keyword?: string | null | undefined;
  /** The merchant's order id is exactly this. */
  orderId?: string | null | undefined;
  /** The merchant's order id is one of these. */
  orderIds?: Array<string> | null | undefined;
  /** Origin country/region is one of these (ISO alpha-3, e.g. `USA`). */
  origin?: Array<string> | null | undefined;
  /** True: only shipments going back to the sender; false: only the others. */
  returnToSender?: boolean | null | undefined;
  /** Carries one of these shipment tags. */
  shipmentTags?: Array<string> | null | undefined;
  /** Courier slug is one of these, e.g. `["ups", "fedex"]`. */
  slugs?: Array<string> | null | undefined;
  /** Current main status is one of these. */
  tags?: Array<Tag> | null | undefined;
  /** Tracking number is one of these (at most 50). */
  trackingNumbers?: Array<string> | null | undefined;
  /** Transit time is exactly this many days. */
  transitTime?: number | null | undefined;
  /** Last changed at or before this instant. */
  updatedAtMax?: string | null | undefined;
  /** Last changed at or after this instant. */
  updatedAtMin?: string | null | undefined;
};

/** New credentials for a connection (they replace the stored ones). */
export type UpdateCarrierConnectionInput = {
  /** The new credentials. */
  credentials: Array<CredentialInput>;
  /** The connection: global ID or AfterShip id. */
  id: string | number;
};

/** Changes to a tracking; omitted fields stay as they are. The number, id and shipment tags cannot change. */
export type UpdateTrackingInput = {
  /** Your own key/value fields: an object of strings (≤25 keys of ≤30 characters, values ≤512). */
  customFields?: unknown;
  /** People to notify (at most 3); on update, replaces the whole list. */
  customers?: Array<NotificationReceiverInput> | null | undefined;
  /** How the parcel reaches the recipient. */
  deliveryType?: DeliveryType | null | undefined;
  /** Where it goes (some couriers need the postal code). */
  destination?: AddressInput | null | undefined;
  /** The tracking: global ID or AfterShip id. */
  id: string | number;
  /** Language of notifications (ISO 639-1, e.g. `en`). */
  language?: string | null | undefined;
  /** Your location it ships from (not together with `origin`). */
  locationId?: string | null | undefined;
  /** A private note (on update, an empty string clears it). */
  note?: string | null | undefined;
  /** When the order was placed, `YYYY-MM-DDTHH:mm:ssZ`. */
  orderDate?: string | null | undefined;
  /** Your order id. */
  orderId?: string | null | undefined;
  /** Link to the order in your system. */
  orderIdPath?: string | null | undefined;
  /** Order number shown to the customer. */
  orderNumber?: string | null | undefined;
  /** Delivery date promised at checkout. */
  orderPromisedDeliveryDate?: OrderPromisedDeliveryDateInput | null | undefined;
  /** Where it ships from. */
  origin?: AddressInput | null | undefined;
  /** Where the recipient collects it (pickup delivery types). */
  pickupLocation?: string | null | undefined;
  /** Instructions for the pickup. */
  pickupNote?: string | null | undefined;
  /** Forward (to the customer) or return. */
  shipmentDirection?: ShipmentDirection | null | undefined;
  /** The carrier service; once set, AfterShip no longer overwrites it. */
  shipmentType?: string | null | undefined;
  /** Shipping method chosen at checkout. */
  shippingMethod?: string | null | undefined;
  /** Correct the courier. */
  slug?: string | null | undefined;
  /** A label for the tracking (default: the tracking number). */
  title?: string | null | undefined;
  /** Extra field some couriers need: account number. */
  trackingAccountNumber?: string | null | undefined;
  /** Extra field some couriers need: key or PIN. */
  trackingKey?: string | null | undefined;
  /** Extra field some couriers need: ship date (`YYYYMMDD` or `YYYY-MM-DD`). */
  trackingShipDate?: string | null | undefined;
};

/** A weight with its unit. */
export type WeightInput = {
  /** Unit, e.g. `kg`, `lb`. */
  unit: string;
  /** Amount in `unit`. */
  value: number;
};

export type CarrierConnectionsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  courierSlug?: string | null | undefined;
}>;


export type CarrierConnectionsQuery = { carrierConnections: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, aftershipId: string, courierSlug: string, credentialFields: Array<string>, createdAt: string | null, updatedAt: string | null, courier: { slug: string, name: string } | null } }> } };

export type CarrierConnectionQueryVariables = Exact<{
  id: string | number;
}>;


export type CarrierConnectionQuery = { carrierConnection: { id: string, aftershipId: string, courierSlug: string, credentialFields: Array<string>, createdAt: string | null, updatedAt: string | null, courier: { slug: string, name: string } | null } | null };

export type CreateCarrierConnectionMutationVariables = Exact<{
  input: CreateCarrierConnectionInput;
}>;


export type CreateCarrierConnectionMutation = { createCarrierConnection:
    | { __typename: 'AlreadyExists', message: string, code: string }
    | { __typename: 'CreateCarrierConnectionSuccess', carrierConnection: { id: string, aftershipId: string, courierSlug: string, credentialFields: Array<string>, createdAt: string | null, updatedAt: string | null, courier: { slug: string, name: string } | null } }
    | { __typename: 'InvalidInput', field: string | null, message: string, code: string }
    | { __typename: 'NotFound', message: string, code: string }
    | { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string }
   };

export type UpdateCarrierConnectionMutationVariables = Exact<{
  input: UpdateCarrierConnectionInput;
}>;


export type UpdateCarrierConnectionMutation = { updateCarrierConnection:
    | { __typename: 'AlreadyExists', message: string, code: string }
    | { __typename: 'InvalidInput', field: string | null, message: string, code: string }
    | { __typename: 'NotFound', message: string, code: string }
    | { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string }
    | { __typename: 'UpdateCarrierConnectionSuccess', carrierConnection: { id: string, aftershipId: string, courierSlug: string, credentialFields: Array<string>, createdAt: string | null, updatedAt: string | null, courier: { slug: string, name: string } | null } }
   };

export type DeleteCarrierConnectionMutationVariables = Exact<{
  input: DeleteCarrierConnectionInput;
}>;


export type DeleteCarrierConnectionMutation = { deleteCarrierConnection:
    | { __typename: 'AlreadyExists', message: string, code: string }
    | { __typename: 'DeleteCarrierConnectionSuccess', carrierConnection: { id: string, aftershipId: string } }
    | { __typename: 'InvalidInput', field: string | null, message: string, code: string }
    | { __typename: 'NotFound', message: string, code: string }
    | { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string }
   };

export type CouriersQueryVariables = Exact<{
  active?: boolean | null | undefined;
}>;


export type CouriersQuery = { couriers: Array<{ slug: string, name: string, otherName: string | null, phone: string | null, webUrl: string | null, requiredFields: Array<string>, optionalFields: Array<string>, defaultLanguage: string | null, supportLanguages: Array<string>, serviceFromCountryRegions: Array<string>, credentialFields: Array<{ name: string, type: string | null, required: boolean }> }> };

export type CourierQueryVariables = Exact<{
  slug: string;
}>;


export type CourierQuery = { courier: { slug: string, name: string, otherName: string | null, phone: string | null, webUrl: string | null, requiredFields: Array<string>, optionalFields: Array<string>, defaultLanguage: string | null, supportLanguages: Array<string>, serviceFromCountryRegions: Array<string>, credentialFields: Array<{ name: string, type: string | null, required: boolean }> } | null };

export type DetectCouriersQueryVariables = Exact<{
  input: DetectCouriersInput;
}>;


export type DetectCouriersQuery = { detectCouriers: Array<{ slug: string, name: string }> };

export type PredictEstimatedDeliveriesQueryVariables = Exact<{
  inputs: Array<EstimatedDeliveryInput> | EstimatedDeliveryInput;
}>;


export type PredictEstimatedDeliveriesQuery = { predictEstimatedDeliveries: Array<{ id: string, slug: string, serviceTypeName: string | null, packageCount: number | null, pickupTime: string | null, estimatedDeliveryDate: string | null, estimatedDeliveryDateMin: string | null, estimatedDeliveryDateMax: string | null, confidenceCode: number | null, courier: { slug: string, name: string } | null, originAddress: { countryRegion: string | null, state: string | null, postalCode: string | null }, destinationAddress: { countryRegion: string | null, state: string | null, postalCode: string | null }, weight: { unit: string | null, value: number | null } | null, estimatedPickup: { orderTime: string, orderCutoffTime: string | null, businessDays: Array<number>, pickupTime: string | null, orderProcessingTime: { unit: string | null, value: number | null } | null } | null }> };

export type CheckpointFieldsFragment = { message: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, checkpointTime: string | null, createdAt: string | null, location: string | null, city: string | null, state: string | null, postalCode: string | null, countryRegion: string | null, countryRegionName: string | null, source: CheckpointSource | null, rawTag: string | null, hash: string | null, coordinates: { latitude: number | null, longitude: number | null } | null, events: Array<{ code: string | null, reasonCode: string | null }> };

export type EstimatedDeliveryFieldsFragment = { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null };

export type TrackingFieldsFragment = { id: string, aftershipId: string, legacyId: string | null, trackingNumber: string, slug: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, title: string | null, active: boolean | null, orderId: string | null, orderNumber: string | null, createdAt: string | null, updatedAt: string | null, customFields: unknown, shipmentTags: Array<string>, returnToSender: boolean | null, transitTime: number | null, subscribedEmails: Array<string>, subscribedSmses: Array<string>, origin: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, destination: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, shipmentWeight: { unit: string | null, value: number | null } | null, courier: { slug: string, name: string } | null, latestCheckpoint: { message: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, checkpointTime: string | null, createdAt: string | null, location: string | null, city: string | null, state: string | null, postalCode: string | null, countryRegion: string | null, countryRegionName: string | null, source: CheckpointSource | null, rawTag: string | null, hash: string | null, coordinates: { latitude: number | null, longitude: number | null } | null, events: Array<{ code: string | null, reasonCode: string | null }> } | null, estimatedDelivery: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, customers: Array<{ id: string | null, role: string | null, name: string | null, email: string | null, phoneNumber: string | null, language: string | null }> };

type UserErrorFields_AlreadyExists_Fragment = { __typename: 'AlreadyExists', message: string, code: string };

type UserErrorFields_CourierNotDetected_Fragment = { __typename: 'CourierNotDetected', message: string, code: string };

type UserErrorFields_InvalidInput_Fragment = { __typename: 'InvalidInput', field: string | null, message: string, code: string };

type UserErrorFields_InvalidTrackingNumber_Fragment = { __typename: 'InvalidTrackingNumber', message: string, code: string };

type UserErrorFields_NotFound_Fragment = { __typename: 'NotFound', message: string, code: string };

type UserErrorFields_RateLimited_Fragment = { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string };

type UserErrorFields_RetrackNotAllowed_Fragment = { __typename: 'RetrackNotAllowed', message: string, code: string };

export type UserErrorFieldsFragment =
  | UserErrorFields_AlreadyExists_Fragment
  | UserErrorFields_CourierNotDetected_Fragment
  | UserErrorFields_InvalidInput_Fragment
  | UserErrorFields_InvalidTrackingNumber_Fragment
  | UserErrorFields_NotFound_Fragment
  | UserErrorFields_RateLimited_Fragment
  | UserErrorFields_RetrackNotAllowed_Fragment
;

export type CourierFieldsFragment = { slug: string, name: string, otherName: string | null, phone: string | null, webUrl: string | null, requiredFields: Array<string>, optionalFields: Array<string>, defaultLanguage: string | null, supportLanguages: Array<string>, serviceFromCountryRegions: Array<string>, credentialFields: Array<{ name: string, type: string | null, required: boolean }> };

export type CarrierConnectionFieldsFragment = { id: string, aftershipId: string, courierSlug: string, credentialFields: Array<string>, createdAt: string | null, updatedAt: string | null, courier: { slug: string, name: string } | null };

export type ShipmentLegFieldsFragment = { trackingNumber: string | null, slug: string | null, transitTime: number | null, courierTrackingLink: string | null, courierRedirectLink: string | null, source: string | null };

export type TrackingUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type TrackingUpdatedSubscription = { trackingUpdated: { id: string, tag: Tag | null, subtag: string | null, latestCheckpoint: { message: string | null } | null } };

export type TrackingEventsSubscriptionVariables = Exact<{
  filter?: TrackingEventFilter | null | undefined;
}>;


export type TrackingEventsSubscription = { trackingEvents: { eventId: string, source: TrackingEventSource, webhookEvent: string | null, occurredAt: string, kinds: Array<TrackingEventKind>, isFirstTag: boolean | null, previousTag: Tag | null, tag: Tag | null, previousSubtag: string | null, subtag: string | null, newCheckpoints: Array<{ message: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, checkpointTime: string | null, createdAt: string | null, location: string | null, city: string | null, state: string | null, postalCode: string | null, countryRegion: string | null, countryRegionName: string | null, source: CheckpointSource | null, rawTag: string | null, hash: string | null, coordinates: { latitude: number | null, longitude: number | null } | null, events: Array<{ code: string | null, reasonCode: string | null }> }>, previousEstimatedDelivery: { source: string, date: string | null, dateMin: string | null, dateMax: string | null, reviseReason: string | null } | null, estimatedDelivery: { source: string, date: string | null, dateMin: string | null, dateMax: string | null, reviseReason: string | null } | null, tracking: { id: string, trackingNumber: string, tag: Tag | null } } };

export type CreateTrackingMutationVariables = Exact<{
  input: CreateTrackingInput;
}>;


export type CreateTrackingMutation = { createTracking:
    | { __typename: 'AlreadyExists', message: string, code: string }
    | { __typename: 'CourierNotDetected', message: string, code: string }
    | { __typename: 'CreateTrackingSuccess', tracking: { id: string, aftershipId: string, legacyId: string | null, trackingNumber: string, slug: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, title: string | null, active: boolean | null, orderId: string | null, orderNumber: string | null, createdAt: string | null, updatedAt: string | null, customFields: unknown, shipmentTags: Array<string>, returnToSender: boolean | null, transitTime: number | null, subscribedEmails: Array<string>, subscribedSmses: Array<string>, origin: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, destination: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, shipmentWeight: { unit: string | null, value: number | null } | null, courier: { slug: string, name: string } | null, latestCheckpoint: { message: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, checkpointTime: string | null, createdAt: string | null, location: string | null, city: string | null, state: string | null, postalCode: string | null, countryRegion: string | null, countryRegionName: string | null, source: CheckpointSource | null, rawTag: string | null, hash: string | null, coordinates: { latitude: number | null, longitude: number | null } | null, events: Array<{ code: string | null, reasonCode: string | null }> } | null, estimatedDelivery: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, customers: Array<{ id: string | null, role: string | null, name: string | null, email: string | null, phoneNumber: string | null, language: string | null }> } }
    | { __typename: 'InvalidInput', field: string | null, message: string, code: string }
    | { __typename: 'InvalidTrackingNumber', message: string, code: string }
    | { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string }
   };

export type UpdateTrackingMutationVariables = Exact<{
  input: UpdateTrackingInput;
}>;


export type UpdateTrackingMutation = { updateTracking:
    | { __typename: 'InvalidInput', field: string | null, message: string, code: string }
    | { __typename: 'NotFound', message: string, code: string }
    | { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string }
    | { __typename: 'UpdateTrackingSuccess', tracking: { id: string, aftershipId: string, legacyId: string | null, trackingNumber: string, slug: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, title: string | null, active: boolean | null, orderId: string | null, orderNumber: string | null, createdAt: string | null, updatedAt: string | null, customFields: unknown, shipmentTags: Array<string>, returnToSender: boolean | null, transitTime: number | null, subscribedEmails: Array<string>, subscribedSmses: Array<string>, origin: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, destination: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, shipmentWeight: { unit: string | null, value: number | null } | null, courier: { slug: string, name: string } | null, latestCheckpoint: { message: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, checkpointTime: string | null, createdAt: string | null, location: string | null, city: string | null, state: string | null, postalCode: string | null, countryRegion: string | null, countryRegionName: string | null, source: CheckpointSource | null, rawTag: string | null, hash: string | null, coordinates: { latitude: number | null, longitude: number | null } | null, events: Array<{ code: string | null, reasonCode: string | null }> } | null, estimatedDelivery: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, customers: Array<{ id: string | null, role: string | null, name: string | null, email: string | null, phoneNumber: string | null, language: string | null }> } }
   };

export type DeleteTrackingMutationVariables = Exact<{
  input: DeleteTrackingInput;
}>;


export type DeleteTrackingMutation = { deleteTracking:
    | { __typename: 'DeleteTrackingSuccess', tracking: { id: string, aftershipId: string, trackingNumber: string } }
    | { __typename: 'InvalidInput', field: string | null, message: string, code: string }
    | { __typename: 'NotFound', message: string, code: string }
    | { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string }
   };

export type RetrackTrackingMutationVariables = Exact<{
  input: RetrackTrackingInput;
}>;


export type RetrackTrackingMutation = { retrackTracking:
    | { __typename: 'InvalidInput', field: string | null, message: string, code: string }
    | { __typename: 'NotFound', message: string, code: string }
    | { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string }
    | { __typename: 'RetrackNotAllowed', message: string, code: string }
    | { __typename: 'RetrackTrackingSuccess', tracking: { id: string, aftershipId: string, active: boolean | null, tag: Tag | null } }
   };

export type MarkTrackingCompletedMutationVariables = Exact<{
  input: MarkTrackingCompletedInput;
}>;


export type MarkTrackingCompletedMutation = { markTrackingCompleted:
    | { __typename: 'InvalidInput', field: string | null, message: string, code: string }
    | { __typename: 'MarkTrackingCompletedSuccess', tracking: { id: string, active: boolean | null, tag: Tag | null, subtag: string | null, latestCheckpoint: { tag: Tag | null, subtag: string | null, source: CheckpointSource | null } | null } }
    | { __typename: 'NotFound', message: string, code: string }
    | { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string }
   };

export type AddNotificationReceiversMutationVariables = Exact<{
  input: AddNotificationReceiversInput;
}>;


export type AddNotificationReceiversMutation = { addNotificationReceivers:
    | { __typename: 'AddNotificationReceiversSuccess', tracking: { id: string, notificationReceivers: Array<{ name: string | null, email: string | null, phoneNumber: string | null, role: string | null }> } }
    | { __typename: 'InvalidInput', field: string | null, message: string, code: string }
    | { __typename: 'NotFound', message: string, code: string }
    | { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string }
   };

export type RemoveNotificationReceiversMutationVariables = Exact<{
  input: RemoveNotificationReceiversInput;
}>;


export type RemoveNotificationReceiversMutation = { removeNotificationReceivers:
    | { __typename: 'InvalidInput', field: string | null, message: string, code: string }
    | { __typename: 'NotFound', message: string, code: string }
    | { __typename: 'RateLimited', retryAfterSeconds: number | null, message: string, code: string }
    | { __typename: 'RemoveNotificationReceiversSuccess', tracking: { id: string, notificationReceivers: Array<{ name: string | null, email: string | null, phoneNumber: string | null }> } }
   };

export type TrackingQueryVariables = Exact<{
  id: string | number;
}>;


export type TrackingQuery = { tracking: { id: string, aftershipId: string, legacyId: string | null, trackingNumber: string, slug: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, title: string | null, active: boolean | null, orderId: string | null, orderNumber: string | null, createdAt: string | null, updatedAt: string | null, customFields: unknown, shipmentTags: Array<string>, returnToSender: boolean | null, transitTime: number | null, subscribedEmails: Array<string>, subscribedSmses: Array<string>, checkpoints: Array<{ message: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, checkpointTime: string | null, createdAt: string | null, location: string | null, city: string | null, state: string | null, postalCode: string | null, countryRegion: string | null, countryRegionName: string | null, source: CheckpointSource | null, rawTag: string | null, hash: string | null, coordinates: { latitude: number | null, longitude: number | null } | null, events: Array<{ code: string | null, reasonCode: string | null }> }>, estimatedDeliveries: Array<{ fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null }>, origin: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, destination: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, shipmentWeight: { unit: string | null, value: number | null } | null, courier: { slug: string, name: string } | null, latestCheckpoint: { message: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, checkpointTime: string | null, createdAt: string | null, location: string | null, city: string | null, state: string | null, postalCode: string | null, countryRegion: string | null, countryRegionName: string | null, source: CheckpointSource | null, rawTag: string | null, hash: string | null, coordinates: { latitude: number | null, longitude: number | null } | null, events: Array<{ code: string | null, reasonCode: string | null }> } | null, estimatedDelivery: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, customers: Array<{ id: string | null, role: string | null, name: string | null, email: string | null, phoneNumber: string | null, language: string | null }> } | null };

export type TrackingCheckpointsQueryVariables = Exact<{
  id: string | number;
  last?: number | null | undefined;
  tags?: Array<Tag> | Tag | null | undefined;
}>;


export type TrackingCheckpointsQuery = { tracking: { id: string, checkpoints: Array<{ tag: Tag | null, subtag: string | null, checkpointTime: string | null }> } | null };

export type TrackingByNumberQueryVariables = Exact<{
  trackingNumber: string;
  slug?: string | null | undefined;
}>;


export type TrackingByNumberQuery = { trackingByNumber: { id: string, aftershipId: string, legacyId: string | null, trackingNumber: string, slug: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, title: string | null, active: boolean | null, orderId: string | null, orderNumber: string | null, createdAt: string | null, updatedAt: string | null, customFields: unknown, shipmentTags: Array<string>, returnToSender: boolean | null, transitTime: number | null, subscribedEmails: Array<string>, subscribedSmses: Array<string>, origin: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, destination: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, shipmentWeight: { unit: string | null, value: number | null } | null, courier: { slug: string, name: string } | null, latestCheckpoint: { message: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, checkpointTime: string | null, createdAt: string | null, location: string | null, city: string | null, state: string | null, postalCode: string | null, countryRegion: string | null, countryRegionName: string | null, source: CheckpointSource | null, rawTag: string | null, hash: string | null, coordinates: { latitude: number | null, longitude: number | null } | null, events: Array<{ code: string | null, reasonCode: string | null }> } | null, estimatedDelivery: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, customers: Array<{ id: string | null, role: string | null, name: string | null, email: string | null, phoneNumber: string | null, language: string | null }> } | null };

export type TrackingsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: TrackingFilter | null | undefined;
}>;


export type TrackingsQuery = { trackings: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, aftershipId: string, trackingNumber: string, slug: string | null, tag: Tag | null, courier: { slug: string, name: string } | null, latestCheckpoint: { message: string | null, tag: Tag | null, checkpointTime: string | null } | null } }> } };

export type NodeQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeQuery = { node:
    | { __typename: 'CarrierConnection', courierSlug: string, id: string }
    | { __typename: 'Tracking', trackingNumber: string, id: string }
   | null };

export type NodesQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type NodesQuery = { nodes: Array<
    | { __typename: 'CarrierConnection', id: string }
    | { __typename: 'Tracking', trackingNumber: string, id: string }
   | null> };

export type TrackingDetailsQueryVariables = Exact<{
  id: string | number;
}>;


export type TrackingDetailsQuery = { tracking: { source: string | null, trackedCount: number | null, language: string | null, note: string | null, orderIdPath: string | null, orderDate: string | null, orderTags: Array<string>, courierDestinationCountryRegion: string | null, shipmentType: string | null, shipmentPackageCount: number | null, shipmentPickupDate: string | null, shipmentDeliveryDate: string | null, firstAttemptedAt: string | null, signedBy: string | null, signatureRequirement: SignatureRequirement | null, deliveryType: DeliveryType | null, deliveryLocationType: string | null, pickupLocation: string | null, pickupNote: string | null, onTimeStatus: string | null, onTimeDifference: number | null, failedDeliveryAttempts: number | null, courierTrackingLink: string | null, courierRedirectLink: string | null, aftershipTrackingUrl: string | null, aftershipTrackingOrderUrl: string | null, trackingAccountNumber: string | null, trackingKey: string | null, trackingShipDate: string | null, courierConnectionId: string | null, locationId: string | null, shippingMethod: string | null, shipmentDirection: ShipmentDirection | null, id: string, aftershipId: string, legacyId: string | null, trackingNumber: string, slug: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, title: string | null, active: boolean | null, orderId: string | null, orderNumber: string | null, createdAt: string | null, updatedAt: string | null, customFields: unknown, shipmentTags: Array<string>, returnToSender: boolean | null, transitTime: number | null, subscribedEmails: Array<string>, subscribedSmses: Array<string>, shipmentDimensions: { unit: string | null, length: number | null, width: number | null, height: number | null } | null, firstMile: { trackingNumber: string | null, slug: string | null, transitTime: number | null, courierTrackingLink: string | null, courierRedirectLink: string | null, source: string | null } | null, lastMile: { trackingNumber: string | null, slug: string | null, transitTime: number | null, courierTrackingLink: string | null, courierRedirectLink: string | null, source: string | null } | null, returnShipment: { aftershipId: string | null, trackingNumber: string | null, slug: string | null } | null, forwardShipment: { aftershipId: string | null, trackingNumber: string | null, slug: string | null } | null, proofOfDelivery: Array<{ type: string | null, url: string | null }>, carbonEmissions: { unit: string | null, value: number | null } | null, notificationReceivers: Array<{ name: string | null, email: string | null }>, latestEstimatedDelivery: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, firstEstimatedDelivery: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, aftershipEstimatedDeliveryDate: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, courierEstimatedDeliveryDate: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, customEstimatedDeliveryDate: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, orderPromisedDeliveryDate: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, origin: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, destination: { countryRegion: string | null, state: string | null, city: string | null, postalCode: string | null } | null, shipmentWeight: { unit: string | null, value: number | null } | null, courier: { slug: string, name: string } | null, latestCheckpoint: { message: string | null, tag: Tag | null, subtag: string | null, subtagMessage: string | null, checkpointTime: string | null, createdAt: string | null, location: string | null, city: string | null, state: string | null, postalCode: string | null, countryRegion: string | null, countryRegionName: string | null, source: CheckpointSource | null, rawTag: string | null, hash: string | null, coordinates: { latitude: number | null, longitude: number | null } | null, events: Array<{ code: string | null, reasonCode: string | null }> } | null, estimatedDelivery: { fromField: EstimatedDeliveryField, source: EstimatedDeliverySource | null, type: EstimatedDeliveryType, datetime: string | null, datetimeMin: string | null, datetimeMax: string | null, confidenceCode: number | null, reviseReason: string | null } | null, customers: Array<{ id: string | null, role: string | null, name: string | null, email: string | null, phoneNumber: string | null, language: string | null }> } | null };

export const CheckpointFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegionName"}},{"kind":"Field","name":{"kind":"Name","value":"coordinates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"rawTag"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hash"}}]}}]} as unknown as DocumentNode<CheckpointFieldsFragment, unknown>;
export const EstimatedDeliveryFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EstimatedDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EstimatedDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fromField"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"datetime"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMin"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMax"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceCode"}},{"kind":"Field","name":{"kind":"Name","value":"reviseReason"}}]}}]} as unknown as DocumentNode<EstimatedDeliveryFieldsFragment, unknown>;
export const TrackingFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TrackingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tracking"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"legacyId"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"orderId"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"customFields"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentTags"}},{"kind":"Field","name":{"kind":"Name","value":"returnToSender"}},{"kind":"Field","name":{"kind":"Name","value":"transitTime"}},{"kind":"Field","name":{"kind":"Name","value":"origin"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"destination"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipmentWeight"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestCheckpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CheckpointFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phoneNumber"}},{"kind":"Field","name":{"kind":"Name","value":"language"}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscribedEmails"}},{"kind":"Field","name":{"kind":"Name","value":"subscribedSmses"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegionName"}},{"kind":"Field","name":{"kind":"Name","value":"coordinates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"rawTag"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hash"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EstimatedDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EstimatedDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fromField"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"datetime"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMin"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMax"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceCode"}},{"kind":"Field","name":{"kind":"Name","value":"reviseReason"}}]}}]} as unknown as DocumentNode<TrackingFieldsFragment, unknown>;
export const UserErrorFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<UserErrorFieldsFragment, unknown>;
export const CourierFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourierFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Courier"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"otherName"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"webUrl"}},{"kind":"Field","name":{"kind":"Name","value":"requiredFields"}},{"kind":"Field","name":{"kind":"Name","value":"optionalFields"}},{"kind":"Field","name":{"kind":"Name","value":"defaultLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"supportLanguages"}},{"kind":"Field","name":{"kind":"Name","value":"serviceFromCountryRegions"}},{"kind":"Field","name":{"kind":"Name","value":"credentialFields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}}]}}]} as unknown as DocumentNode<CourierFieldsFragment, unknown>;
export const CarrierConnectionFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CarrierConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CarrierConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"courierSlug"}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"credentialFields"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CarrierConnectionFieldsFragment, unknown>;
export const ShipmentLegFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ShipmentLegFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ShipmentLeg"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"transitTime"}},{"kind":"Field","name":{"kind":"Name","value":"courierTrackingLink"}},{"kind":"Field","name":{"kind":"Name","value":"courierRedirectLink"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}}]} as unknown as DocumentNode<ShipmentLegFieldsFragment, unknown>;
export const CarrierConnectionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CarrierConnections"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"courierSlug"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"carrierConnections"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"courierSlug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"courierSlug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CarrierConnectionFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CarrierConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CarrierConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"courierSlug"}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"credentialFields"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CarrierConnectionsQuery, CarrierConnectionsQueryVariables>;
export const CarrierConnectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CarrierConnection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"carrierConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CarrierConnectionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CarrierConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CarrierConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"courierSlug"}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"credentialFields"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CarrierConnectionQuery, CarrierConnectionQueryVariables>;
export const CreateCarrierConnectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateCarrierConnection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCarrierConnectionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCarrierConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCarrierConnectionSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"carrierConnection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CarrierConnectionFields"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CarrierConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CarrierConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"courierSlug"}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"credentialFields"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<CreateCarrierConnectionMutation, CreateCarrierConnectionMutationVariables>;
export const UpdateCarrierConnectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateCarrierConnection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateCarrierConnectionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateCarrierConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateCarrierConnectionSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"carrierConnection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CarrierConnectionFields"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CarrierConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CarrierConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"courierSlug"}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"credentialFields"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<UpdateCarrierConnectionMutation, UpdateCarrierConnectionMutationVariables>;
export const DeleteCarrierConnectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteCarrierConnection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteCarrierConnectionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteCarrierConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteCarrierConnectionSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"carrierConnection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<DeleteCarrierConnectionMutation, DeleteCarrierConnectionMutationVariables>;
export const CouriersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Couriers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"active"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"couriers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"active"},"value":{"kind":"Variable","name":{"kind":"Name","value":"active"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CourierFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourierFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Courier"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"otherName"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"webUrl"}},{"kind":"Field","name":{"kind":"Name","value":"requiredFields"}},{"kind":"Field","name":{"kind":"Name","value":"optionalFields"}},{"kind":"Field","name":{"kind":"Name","value":"defaultLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"supportLanguages"}},{"kind":"Field","name":{"kind":"Name","value":"serviceFromCountryRegions"}},{"kind":"Field","name":{"kind":"Name","value":"credentialFields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}}]}}]} as unknown as DocumentNode<CouriersQuery, CouriersQueryVariables>;
export const CourierDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Courier"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"slug"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"courier"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"slug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CourierFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourierFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Courier"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"otherName"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"webUrl"}},{"kind":"Field","name":{"kind":"Name","value":"requiredFields"}},{"kind":"Field","name":{"kind":"Name","value":"optionalFields"}},{"kind":"Field","name":{"kind":"Name","value":"defaultLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"supportLanguages"}},{"kind":"Field","name":{"kind":"Name","value":"serviceFromCountryRegions"}},{"kind":"Field","name":{"kind":"Name","value":"credentialFields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}}]}}]} as unknown as DocumentNode<CourierQuery, CourierQueryVariables>;
export const DetectCouriersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DetectCouriers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DetectCouriersInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"detectCouriers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<DetectCouriersQuery, DetectCouriersQueryVariables>;
export const PredictEstimatedDeliveriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PredictEstimatedDeliveries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"inputs"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EstimatedDeliveryInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"predictEstimatedDeliveries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"inputs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"inputs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"serviceTypeName"}},{"kind":"Field","name":{"kind":"Name","value":"originAddress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"destinationAddress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"weight"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"packageCount"}},{"kind":"Field","name":{"kind":"Name","value":"pickupTime"}},{"kind":"Field","name":{"kind":"Name","value":"estimatedPickup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orderTime"}},{"kind":"Field","name":{"kind":"Name","value":"orderCutoffTime"}},{"kind":"Field","name":{"kind":"Name","value":"businessDays"}},{"kind":"Field","name":{"kind":"Name","value":"orderProcessingTime"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pickupTime"}}]}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDeliveryDate"}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDeliveryDateMin"}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDeliveryDateMax"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceCode"}}]}}]}}]} as unknown as DocumentNode<PredictEstimatedDeliveriesQuery, PredictEstimatedDeliveriesQueryVariables>;
export const TrackingUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TrackingUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trackingUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"latestCheckpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<TrackingUpdatedSubscription, TrackingUpdatedSubscriptionVariables>;
export const TrackingEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TrackingEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TrackingEventFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trackingEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"webhookEvent"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"kinds"}},{"kind":"Field","name":{"kind":"Name","value":"isFirstTag"}},{"kind":"Field","name":{"kind":"Name","value":"previousTag"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"previousSubtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"newCheckpoints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CheckpointFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"previousEstimatedDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"dateMin"}},{"kind":"Field","name":{"kind":"Name","value":"dateMax"}},{"kind":"Field","name":{"kind":"Name","value":"reviseReason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"dateMin"}},{"kind":"Field","name":{"kind":"Name","value":"dateMax"}},{"kind":"Field","name":{"kind":"Name","value":"reviseReason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tracking"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegionName"}},{"kind":"Field","name":{"kind":"Name","value":"coordinates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"rawTag"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hash"}}]}}]} as unknown as DocumentNode<TrackingEventsSubscription, TrackingEventsSubscriptionVariables>;
export const CreateTrackingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateTracking"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTrackingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTracking"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTrackingSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tracking"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TrackingFields"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegionName"}},{"kind":"Field","name":{"kind":"Name","value":"coordinates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"rawTag"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hash"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EstimatedDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EstimatedDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fromField"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"datetime"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMin"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMax"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceCode"}},{"kind":"Field","name":{"kind":"Name","value":"reviseReason"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TrackingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tracking"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"legacyId"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"orderId"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"customFields"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentTags"}},{"kind":"Field","name":{"kind":"Name","value":"returnToSender"}},{"kind":"Field","name":{"kind":"Name","value":"transitTime"}},{"kind":"Field","name":{"kind":"Name","value":"origin"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"destination"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipmentWeight"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestCheckpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CheckpointFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phoneNumber"}},{"kind":"Field","name":{"kind":"Name","value":"language"}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscribedEmails"}},{"kind":"Field","name":{"kind":"Name","value":"subscribedSmses"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<CreateTrackingMutation, CreateTrackingMutationVariables>;
export const UpdateTrackingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateTracking"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateTrackingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateTracking"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateTrackingSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tracking"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TrackingFields"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegionName"}},{"kind":"Field","name":{"kind":"Name","value":"coordinates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"rawTag"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hash"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EstimatedDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EstimatedDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fromField"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"datetime"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMin"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMax"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceCode"}},{"kind":"Field","name":{"kind":"Name","value":"reviseReason"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TrackingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tracking"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"legacyId"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"orderId"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"customFields"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentTags"}},{"kind":"Field","name":{"kind":"Name","value":"returnToSender"}},{"kind":"Field","name":{"kind":"Name","value":"transitTime"}},{"kind":"Field","name":{"kind":"Name","value":"origin"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"destination"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipmentWeight"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestCheckpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CheckpointFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phoneNumber"}},{"kind":"Field","name":{"kind":"Name","value":"language"}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscribedEmails"}},{"kind":"Field","name":{"kind":"Name","value":"subscribedSmses"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<UpdateTrackingMutation, UpdateTrackingMutationVariables>;
export const DeleteTrackingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteTracking"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteTrackingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteTracking"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteTrackingSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tracking"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<DeleteTrackingMutation, DeleteTrackingMutationVariables>;
export const RetrackTrackingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RetrackTracking"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RetrackTrackingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retrackTracking"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RetrackTrackingSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tracking"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<RetrackTrackingMutation, RetrackTrackingMutationVariables>;
export const MarkTrackingCompletedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MarkTrackingCompleted"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MarkTrackingCompletedInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"markTrackingCompleted"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MarkTrackingCompletedSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tracking"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"latestCheckpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<MarkTrackingCompletedMutation, MarkTrackingCompletedMutationVariables>;
export const AddNotificationReceiversDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddNotificationReceivers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddNotificationReceiversInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addNotificationReceivers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AddNotificationReceiversSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tracking"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"notificationReceivers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phoneNumber"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<AddNotificationReceiversMutation, AddNotificationReceiversMutationVariables>;
export const RemoveNotificationReceiversDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveNotificationReceivers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RemoveNotificationReceiversInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeNotificationReceivers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RemoveNotificationReceiversSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tracking"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"notificationReceivers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phoneNumber"}}]}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimited"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<RemoveNotificationReceiversMutation, RemoveNotificationReceiversMutationVariables>;
export const TrackingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Tracking"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tracking"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TrackingFields"}},{"kind":"Field","name":{"kind":"Name","value":"checkpoints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CheckpointFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDeliveries"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegionName"}},{"kind":"Field","name":{"kind":"Name","value":"coordinates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"rawTag"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hash"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EstimatedDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EstimatedDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fromField"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"datetime"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMin"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMax"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceCode"}},{"kind":"Field","name":{"kind":"Name","value":"reviseReason"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TrackingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tracking"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"legacyId"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"orderId"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"customFields"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentTags"}},{"kind":"Field","name":{"kind":"Name","value":"returnToSender"}},{"kind":"Field","name":{"kind":"Name","value":"transitTime"}},{"kind":"Field","name":{"kind":"Name","value":"origin"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"destination"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipmentWeight"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestCheckpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CheckpointFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phoneNumber"}},{"kind":"Field","name":{"kind":"Name","value":"language"}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscribedEmails"}},{"kind":"Field","name":{"kind":"Name","value":"subscribedSmses"}}]}}]} as unknown as DocumentNode<TrackingQuery, TrackingQueryVariables>;
export const TrackingCheckpointsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TrackingCheckpoints"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"tags"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Tag"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tracking"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"checkpoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"tags"},"value":{"kind":"Variable","name":{"kind":"Name","value":"tags"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointTime"}}]}}]}}]}}]} as unknown as DocumentNode<TrackingCheckpointsQuery, TrackingCheckpointsQueryVariables>;
export const TrackingByNumberDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TrackingByNumber"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"trackingNumber"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"slug"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trackingByNumber"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"trackingNumber"},"value":{"kind":"Variable","name":{"kind":"Name","value":"trackingNumber"}}},{"kind":"Argument","name":{"kind":"Name","value":"slug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TrackingFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegionName"}},{"kind":"Field","name":{"kind":"Name","value":"coordinates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"rawTag"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hash"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EstimatedDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EstimatedDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fromField"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"datetime"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMin"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMax"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceCode"}},{"kind":"Field","name":{"kind":"Name","value":"reviseReason"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TrackingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tracking"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"legacyId"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"orderId"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"customFields"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentTags"}},{"kind":"Field","name":{"kind":"Name","value":"returnToSender"}},{"kind":"Field","name":{"kind":"Name","value":"transitTime"}},{"kind":"Field","name":{"kind":"Name","value":"origin"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"destination"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipmentWeight"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestCheckpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CheckpointFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phoneNumber"}},{"kind":"Field","name":{"kind":"Name","value":"language"}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscribedEmails"}},{"kind":"Field","name":{"kind":"Name","value":"subscribedSmses"}}]}}]} as unknown as DocumentNode<TrackingByNumberQuery, TrackingByNumberQueryVariables>;
export const TrackingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Trackings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TrackingFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trackings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestCheckpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointTime"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TrackingsQuery, TrackingsQueryVariables>;
export const NodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Node"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tracking"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CarrierConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"courierSlug"}}]}}]}}]}}]} as unknown as DocumentNode<NodeQuery, NodeQueryVariables>;
export const NodesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Nodes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tracking"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}}]}}]}}]}}]} as unknown as DocumentNode<NodesQuery, NodesQueryVariables>;
export const TrackingDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TrackingDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tracking"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TrackingFields"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"trackedCount"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"note"}},{"kind":"Field","name":{"kind":"Name","value":"orderIdPath"}},{"kind":"Field","name":{"kind":"Name","value":"orderDate"}},{"kind":"Field","name":{"kind":"Name","value":"orderTags"}},{"kind":"Field","name":{"kind":"Name","value":"courierDestinationCountryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentType"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentPackageCount"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentPickupDate"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentDeliveryDate"}},{"kind":"Field","name":{"kind":"Name","value":"firstAttemptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentDimensions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"length"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}}]}},{"kind":"Field","name":{"kind":"Name","value":"signedBy"}},{"kind":"Field","name":{"kind":"Name","value":"signatureRequirement"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryType"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryLocationType"}},{"kind":"Field","name":{"kind":"Name","value":"pickupLocation"}},{"kind":"Field","name":{"kind":"Name","value":"pickupNote"}},{"kind":"Field","name":{"kind":"Name","value":"onTimeStatus"}},{"kind":"Field","name":{"kind":"Name","value":"onTimeDifference"}},{"kind":"Field","name":{"kind":"Name","value":"failedDeliveryAttempts"}},{"kind":"Field","name":{"kind":"Name","value":"courierTrackingLink"}},{"kind":"Field","name":{"kind":"Name","value":"courierRedirectLink"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipTrackingUrl"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipTrackingOrderUrl"}},{"kind":"Field","name":{"kind":"Name","value":"trackingAccountNumber"}},{"kind":"Field","name":{"kind":"Name","value":"trackingKey"}},{"kind":"Field","name":{"kind":"Name","value":"trackingShipDate"}},{"kind":"Field","name":{"kind":"Name","value":"courierConnectionId"}},{"kind":"Field","name":{"kind":"Name","value":"locationId"}},{"kind":"Field","name":{"kind":"Name","value":"shippingMethod"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentDirection"}},{"kind":"Field","name":{"kind":"Name","value":"firstMile"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ShipmentLegFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastMile"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ShipmentLegFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"returnShipment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}}]}},{"kind":"Field","name":{"kind":"Name","value":"forwardShipment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}}]}},{"kind":"Field","name":{"kind":"Name","value":"proofOfDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"carbonEmissions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notificationReceivers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestEstimatedDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"firstEstimatedDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"aftershipEstimatedDeliveryDate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"courierEstimatedDeliveryDate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customEstimatedDeliveryDate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"orderPromisedDeliveryDate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"countryRegionName"}},{"kind":"Field","name":{"kind":"Name","value":"coordinates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"rawTag"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hash"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EstimatedDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EstimatedDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fromField"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"datetime"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMin"}},{"kind":"Field","name":{"kind":"Name","value":"datetimeMax"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceCode"}},{"kind":"Field","name":{"kind":"Name","value":"reviseReason"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TrackingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tracking"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"aftershipId"}},{"kind":"Field","name":{"kind":"Name","value":"legacyId"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"subtag"}},{"kind":"Field","name":{"kind":"Name","value":"subtagMessage"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"orderId"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"customFields"}},{"kind":"Field","name":{"kind":"Name","value":"shipmentTags"}},{"kind":"Field","name":{"kind":"Name","value":"returnToSender"}},{"kind":"Field","name":{"kind":"Name","value":"transitTime"}},{"kind":"Field","name":{"kind":"Name","value":"origin"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"destination"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countryRegion"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipmentWeight"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"courier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestCheckpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CheckpointFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"estimatedDelivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EstimatedDeliveryFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phoneNumber"}},{"kind":"Field","name":{"kind":"Name","value":"language"}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscribedEmails"}},{"kind":"Field","name":{"kind":"Name","value":"subscribedSmses"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ShipmentLegFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ShipmentLeg"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"transitTime"}},{"kind":"Field","name":{"kind":"Name","value":"courierTrackingLink"}},{"kind":"Field","name":{"kind":"Name","value":"courierRedirectLink"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}}]} as unknown as DocumentNode<TrackingDetailsQuery, TrackingDetailsQueryVariables>;