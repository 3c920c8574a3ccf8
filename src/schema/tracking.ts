/**
 * Tracking: one shipment AfterShip follows. A Relay Node; its data comes whole from AfterShip
 * (checkpoints included), so every field but `courier` resolves without another call.
 * EDD fields live in estimated-delivery.ts, receivers in notification.ts, root fields in
 * tracking-queries.ts and tracking-mutations.ts.
 */
import type { Tracking } from '../aftership/wire-types.js';
import type { TagName } from '../aftership/wire-types.js';
import { builder } from './builder.js';
import { LIST_SIZES } from './limits.js';
import { CheckpointRef } from './checkpoint.js';
import { AddressRef, WeightRef } from './common.js';
import { courierField } from './courier.js';
import { DeliveryType, ShipmentDirection, SignatureRequirement, TagEnum, tagOrNull } from './enums.js';

export const TrackingRef = builder.objectRef<Tracking>('Tracking');

type Dimensions = NonNullable<Tracking['shipment_dimensions']>;
type Mile = NonNullable<Tracking['first_mile']>;
type LinkedShipment = NonNullable<Tracking['return_shipment']>;

const DimensionsRef = builder.objectRef<Dimensions>('Dimensions').implement({
  description: 'Size of the parcel as the courier measured it.',
  fields: (t) => ({
    unit: t.exposeString('unit', { description: 'Unit of length: `cm` or `in`.' }),
    length: t.exposeFloat('length', { description: 'Length in `unit`.' }),
    width: t.exposeFloat('width', { description: 'Width in `unit`.' }),
    height: t.exposeFloat('height', { description: 'Height in `unit`.' }),
  }),
});

const MileRef = builder.objectRef<Mile & { source?: string }>('ShipmentLeg').implement({
  description: 'Another courier\'s leg of the same journey (first mile before, or last mile after, the main courier).',
  fields: (t) => ({
    trackingNumber: t.exposeString('tracking_number', { description: 'Tracking number on that leg.' }),
    slug: t.exposeString('slug', { description: 'Courier slug of that leg.' }),
    courier: courierField(t, (leg) => leg.slug, 'The courier of that leg; null when the slug is unknown.'),
    transitTime: t.exposeInt('transit_time', { description: 'Days that leg took (or has taken so far).' }),
    courierTrackingLink: t.exposeString('courier_tracking_link', { description: 'That courier\'s tracking page.' }),
    courierRedirectLink: t.exposeString('courier_redirect_link', { description: 'That courier\'s tracking page with the number filled in.' }),
    source: t.exposeString('source', { description: 'For the last mile: `system` (found by AfterShip) or `user` (given by the merchant).' }),
  }),
});

const LinkedShipmentRef = builder.objectRef<LinkedShipment & { id?: string }>('LinkedShipment').implement({
  description: 'The return of a forward shipment, or the forward shipment of a return.',
  fields: (t) => ({
    tracking: t.field({
      type: TrackingRef,
      cost: { calls: 1 },
      authScopes: { 'aftership:tracking:read': true },
      description: 'The linked tracking; null when AfterShip does not track it (or no longer has it).',
      resolve: (s, _args, ctx) => (s.id ? ctx.loaders.trackingById.load(s.id) : null),
    }),
    trackingNumber: t.exposeString('tracking_number', { description: 'Its tracking number (AfterShip may give only the linked tracking).' }),
    slug: t.exposeString('slug', { description: 'Its courier slug.' }),
    courier: courierField(t, (linked) => linked.slug, 'Its courier; null when the slug is unknown or not given.'),
  }),
});

const ProofOfDeliveryRef = builder.objectRef<{ type?: string; url?: string }>('ProofOfDelivery').implement({
  description: 'Evidence of delivery the courier provided.',
  fields: (t) => ({
    type: t.exposeString('type', { description: 'Kind of evidence; currently `image`.' }),
    url: t.exposeString('url', { description: 'Where to download it.' }),
  }),
});

function address(tr: Tracking, side: 'origin' | 'destination') {
  const a = {
    country_region: tr[`${side}_country_region`],
    state: tr[`${side}_state`],
    city: tr[`${side}_city`],
    postal_code: tr[`${side}_postal_code`],
    raw_location: tr[`${side}_raw_location`],
  };
  return Object.values(a).some((v) => v !== null && v !== undefined) ? a : null;
}

builder.node(TrackingRef, {
  description: 'A shipment AfterShip tracks: its current status, its history of checkpoints, delivery estimates and receivers.',
  id: { resolve: (tr) => tr.id ?? '' },
  loadWithoutCache: (id, ctx) => ctx.loaders.trackingById.load(id),
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'tracking_number' in value && !('courier_slug' in value),
  fields: (t) => ({
    aftershipId: t.string({ nullable: false, description: 'AfterShip\'s own id of the tracking (32 characters, or the custom id given at creation).', resolve: (tr) => tr.id ?? '' }),
    legacyId: t.exposeString('legacy_id', { description: 'AfterShip\'s older 24-character id, still accepted wherever an id is.' }),
    trackingNumber: t.string({ nullable: false, description: 'The courier\'s tracking number.', resolve: (tr) => tr.tracking_number ?? '' }),
    slug: t.exposeString('slug', { description: 'Courier slug, e.g. `ups`; `unrecognized` when AfterShip could not tell.' }),
    courier: courierField(t, (tr) => tr.slug, 'The courier; null when the slug is unknown. Shares one cached courier list across the whole query.'),
    tag: t.field({ type: TagEnum, description: 'Current main status (that of the latest checkpoint).', resolve: (tr) => tagOrNull(tr.tag) }),
    subtag: t.exposeString('subtag', { description: 'Current detailed status code, e.g. `Delivered_001`.' }),
    subtagMessage: t.exposeString('subtag_message', { description: 'Readable name of the subtag, e.g. "Delivered".' }),
    title: t.exposeString('title', { description: 'A label for the tracking; defaults to the tracking number.' }),
    note: t.exposeString('note', { description: 'Merchant\'s private note.' }),
    source: t.exposeString('source', { description: 'How the tracking was added, e.g. `api`.' }),
    active: t.exposeBoolean('active', { description: 'False once AfterShip stops following it (delivered, expired, or marked completed).' }),
    trackedCount: t.exposeInt('tracked_count', { description: 'How many times AfterShip has polled the courier for it.' }),
    language: t.exposeString('language', { description: 'Language of notifications to the receivers (ISO 639-1).' }),
    createdAt: t.field({ type: 'DateTime', description: 'When the tracking was added.', resolve: (tr) => tr.created_at ?? null }),
    updatedAt: t.field({ type: 'DateTime', description: 'When AfterShip last changed the tracking.', resolve: (tr) => tr.updated_at ?? null }),
    orderId: t.exposeString('order_id', { description: 'The merchant\'s order id.' }),
    orderIdPath: t.exposeString('order_id_path', { description: 'Link to the order in the merchant\'s system.' }),
    orderNumber: t.exposeString('order_number', { description: 'The order number shown to the customer.' }),
    orderDate: t.field({ type: 'LocalDateTime', description: 'When the order was placed.', resolve: (tr) => tr.order_date ?? null }),
    orderTags: t.stringList({ nullable: false, listSize: LIST_SIZES.tags, description: 'Tags of the order.', resolve: (tr) => tr.order_tags ?? [] }),
    shipmentTags: t.stringList({ nullable: false, listSize: LIST_SIZES.tags, description: 'The merchant\'s tags on this shipment (filterable in `trackings`).', resolve: (tr) => tr.shipment_tags ?? [] }),
    customFields: t.field({ type: 'JSON', description: 'The merchant\'s own key/value fields (string values).', resolve: (tr) => tr.custom_fields ?? null }),
    origin: t.field({ type: AddressRef, description: 'Where the shipment comes from.', resolve: (tr) => address(tr, 'origin') }),
    destination: t.field({ type: AddressRef, description: 'Where the shipment goes.', resolve: (tr) => address(tr, 'destination') }),
    courierDestinationCountryRegion: t.exposeString('courier_destination_country_region', {
      description: 'Destination country/region (ISO alpha-3) as the courier reports it.',
    }),
    shipmentType: t.exposeString('shipment_type', { description: 'The courier\'s service, e.g. "FedEx SmartPost".' }),
    shipmentPackageCount: t.exposeInt('shipment_package_count', { description: 'Number of packages in the shipment.' }),
    shipmentPickupDate: t.field({ type: 'LocalDateTime', description: 'When the courier picked it up.', resolve: (tr) => tr.shipment_pickup_date ?? null }),
    shipmentDeliveryDate: t.field({ type: 'LocalDateTime', description: 'When it was delivered.', resolve: (tr) => tr.shipment_delivery_date ?? null }),
    firstAttemptedAt: t.field({ type: 'LocalDateTime', description: 'When the first delivery attempt happened.', resolve: (tr) => tr.first_attempted_at ?? null }),
    shipmentWeight: t.field({ type: WeightRef, description: 'Weight of the shipment.', resolve: (tr) => tr.shipment_weight ?? null }),
    shipmentDimensions: t.field({ type: DimensionsRef, description: 'Size of the shipment.', resolve: (tr) => tr.shipment_dimensions ?? null }),
    signedBy: t.exposeString('signed_by', { description: 'Who signed for the delivery.' }),
    signatureRequirement: t.field({
      type: SignatureRequirement.ref,
      description: 'The signature the courier requires on delivery.',
      resolve: (tr) => SignatureRequirement.orNull(tr.signature_requirement),
    }),
    deliveryType: t.field({ type: DeliveryType.ref, description: 'How the parcel reaches the recipient.', resolve: (tr) => DeliveryType.orNull(tr.delivery_type) }),
    deliveryLocationType: t.exposeString('delivery_location_type', { description: 'Where it was left, e.g. front door or locker.' }),
    pickupLocation: t.exposeString('pickup_location', { description: 'Where the recipient collects it (for pickup delivery types).' }),
    pickupNote: t.exposeString('pickup_note', { description: 'Instructions for the pickup.' }),
    transitTime: t.exposeInt('transit_time', { description: 'Days from pickup to delivery (or to now); null before pickup.' }),
    onTimeStatus: t.exposeString('on_time_status', { description: 'Whether it is on time, e.g. `on-time` or `trending-on-time`.' }),
    onTimeDifference: t.exposeFloat('on_time_difference', { description: 'Days late (positive) or early (negative) against the promise; AfterShip may send fractions.' }),
    returnToSender: t.exposeBoolean('return_to_sender', { description: 'True when the shipment is going or went back to the sender.' }),
    failedDeliveryAttempts: t.exposeInt('failed_delivery_attempts', { description: 'Number of failed delivery attempts.' }),
    courierTrackingLink: t.exposeString('courier_tracking_link', { description: 'The courier\'s tracking page.' }),
    courierRedirectLink: t.exposeString('courier_redirect_link', { description: 'The courier\'s tracking page with this number filled in.' }),
    aftershipTrackingUrl: t.exposeString('aftership_tracking_url', { description: 'AfterShip\'s branded tracking page for this shipment (when enabled).' }),
    aftershipTrackingOrderUrl: t.exposeString('aftership_tracking_order_url', { description: 'AfterShip\'s branded tracking page for the whole order (when enabled).' }),
    trackingAccountNumber: t.exposeString('tracking_account_number', { description: 'Extra field some couriers need: account number.' }),
    trackingKey: t.exposeString('tracking_key', { description: 'Extra field some couriers need: a key or PIN.' }),
    trackingShipDate: t.field({ type: 'LocalDateTime', description: 'Extra field some couriers need: ship date.', resolve: (tr) => tr.tracking_ship_date ?? null }),
    locationId: t.exposeString('location_id', { description: 'The merchant\'s location it ships from.' }),
    shippingMethod: t.exposeString('shipping_method', { description: 'The shipping method the customer chose at checkout.' }),
    shipmentDirection: t.field({
      type: ShipmentDirection.ref,
      description: 'Forward (to the customer) or return.',
      resolve: (tr) => ShipmentDirection.orNull(tr.shipment_direction),
    }),
    firstMile: t.field({ type: MileRef, description: 'Leg before the main courier, when there is one.', resolve: (tr) => tr.first_mile ?? null }),
    lastMile: t.field({ type: MileRef, description: 'Leg after the main courier, when there is one.', resolve: (tr) => tr.last_mile ?? null }),
    returnShipment: t.field({ type: LinkedShipmentRef, description: 'For a forward shipment: its return.', resolve: (tr) => tr.return_shipment ?? null }),
    forwardShipment: t.field({ type: LinkedShipmentRef, description: 'For a return: the original forward shipment.', resolve: (tr) => tr.forward_shipment ?? null }),
    proofOfDelivery: t.field({ type: [ProofOfDeliveryRef], nullable: false, listSize: LIST_SIZES.proofsOfDelivery, description: 'Delivery evidence from the courier.', resolve: (tr) => tr.proof_of_delivery ?? [] }),
    carbonEmissions: t.field({ type: WeightRef, description: 'CO₂ emitted by the delivery (some plans, delivered shipments).', resolve: (tr) => tr.carbon_emissions ?? null }),
    checkpoints: t.field({
      type: [CheckpointRef],
      nullable: false,
      listSize: { max: LIST_SIZES.checkpoints, arg: 'last' },
      description: 'History of the shipment, oldest first. Filter by tag and/or keep only the newest ones.',
      args: {
        tags: t.arg({ type: [TagEnum], description: 'Keep only checkpoints with one of these tags.' }),
        last: t.arg.int({ description: 'Keep only the newest N checkpoints (after the tag filter).' }),
      },
      resolve: (tr, args) => {
        let list = tr.checkpoints ?? [];
        if (args.tags?.length) {
          const wanted = new Set<TagName>(args.tags);
          list = list.filter((c) => c.tag !== undefined && wanted.has(c.tag as TagName));
        }
        if (args.last !== null && args.last !== undefined) list = args.last <= 0 ? [] : list.slice(-args.last);
        return list;
      },
    }),
    latestCheckpoint: t.field({
      type: CheckpointRef,
      description: 'The newest checkpoint; null before the courier reports anything.',
      resolve: (tr) => tr.checkpoints?.at(-1) ?? null,
    }),
  }),
});

