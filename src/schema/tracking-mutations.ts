/**
 * Mutations on trackings. Each returns a result union: `...Success { tracking }` or one of the
 * typed errors listed (see errors.ts). Successful writes update the shared cache (create/update
 * → put, delete → remove), so the next read costs nothing.
 */
import type { CreateTrackingRequest, Tracking, UpdateTrackingRequest } from '../aftership/wire-types.js';
import { builder, type BuilderTypes } from './builder.js';
import { AddressInput, addressFields } from './common.js';
import { CREATE_TRACKING_ERRORS, RETRACK_ERRORS, TRACKING_WRITE_ERRORS } from './errors.js';
import { DeliveryType, MarkCompletedReason, ShipmentDirection } from './enums.js';
import { InvalidInputError, typedErrors } from './error-mapping.js';
import { rawId } from './ids.js';
import { CustomerInput, MAX_CUSTOMERS, toWireCustomers } from './notification.js';
import { TrackingRef } from './tracking.js';

const PromisedDateInput = builder.inputType('OrderPromisedDeliveryDateInput', {
  description:
    'The delivery date promised at checkout: a date (`datetime`) or a window (`datetimeMin`–`datetimeMax`), as `Tracking.orderPromisedDeliveryDate` returns it.',
  fields: (t) => ({
    datetime: t.field({ type: 'LocalDateTime', description: 'The promised date (or date-time).' }),
    datetimeMin: t.field({ type: 'LocalDateTime', description: 'Start of the promised window.' }),
    datetimeMax: t.field({ type: 'LocalDateTime', description: 'End of the promised window.' }),
  }),
});

const LastMileInput = builder.inputType('LastMileInput', {
  description: 'The courier that takes over for the last mile, and its number.',
  fields: (t) => ({
    trackingNumber: t.string({ required: true, description: 'Tracking number on the last-mile courier.' }),
    slug: t.string({ required: true, description: 'Slug of the last-mile courier.' }),
  }),
});

/** Fields both create and update accept (AfterShip's UpdateTrackingByIdRequest ∩ CreateTrackingRequest). */
const sharedFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  title: t.string({ description: 'A label for the tracking (default: the tracking number).' }),
  orderId: t.string({ description: 'Your order id.' }),
  orderIdPath: t.string({ description: 'Link to the order in your system.' }),
  orderNumber: t.string({ description: 'Order number shown to the customer.' }),
  orderDate: t.field({ type: 'LocalDateTime', description: 'When the order was placed, e.g. `2026-03-02T16:03:27Z`.' }),
  note: t.string({ description: 'A private note (on update, an empty string clears it).' }),
  language: t.string({ description: 'Language of notifications (ISO 639-1, e.g. `en`).' }),
  customFields: t.field({ type: 'JSON', description: 'Your own key/value fields: an object of strings (≤25 keys of ≤30 characters, values ≤512).' }),
  orderPromisedDeliveryDate: t.field({ type: PromisedDateInput, description: 'Delivery date promised at checkout.' }),
  deliveryType: t.field({ type: DeliveryType.ref, description: 'How the parcel reaches the recipient.' }),
  pickupLocation: t.string({ description: 'Where the recipient collects it (pickup delivery types).' }),
  pickupNote: t.string({ description: 'Instructions for the pickup.' }),
  trackingAccountNumber: t.string({ description: 'Extra field some couriers need: account number.' }),
  trackingKey: t.string({ description: 'Extra field some couriers need: key or PIN.' }),
  trackingShipDate: t.field({ type: 'LocalDateTime', description: 'Extra field some couriers need: ship date (`YYYYMMDD` or `YYYY-MM-DD`).' }),
  origin: t.field({ type: AddressInput, description: 'Where it ships from.' }),
  destination: t.field({ type: AddressInput, description: 'Where it goes (some couriers need the postal code).' }),
  shipmentType: t.string({ description: 'The courier\'s service; once set, AfterShip no longer overwrites it.' }),
  locationId: t.string({ description: 'Your location it ships from (not together with `origin`).' }),
  shippingMethod: t.string({ description: 'Shipping method chosen at checkout.' }),
  notificationReceivers: t.field({
    type: [CustomerInput],
    description: `People to notify (at most ${MAX_CUSTOMERS}); on update, replaces the whole list (see also \`addNotificationReceivers\`).`,
  }),
  shipmentDirection: t.field({ type: ShipmentDirection.ref, description: 'Forward (to the customer) or return.' }),
});

const CreateTrackingInput = builder.inputType('CreateTrackingInput', {
  description: 'A shipment to start tracking. Only `trackingNumber` is required; without `slug` AfterShip detects the courier.',
  fields: (t) => ({
    trackingNumber: t.string({ required: true, description: 'The courier\'s tracking number (4–100 of A–Z, 0–9, `-._/`).' }),
    slug: t.string({ description: 'Courier slug; omit to let AfterShip detect it.' }),
    slugGroup: t.string({ description: 'Detect only within this courier family, e.g. `fedex-group` (not with `slug`).' }),
    aftershipId: t.string({ description: 'Your own id for the tracking (`[0-9a-zA-Z-_]`, ≤128), returned as `Tracking.aftershipId`; default: AfterShip makes one.' }),
    shipmentTags: t.stringList({ description: 'Tags for filtering (≤50, each ≤32 characters).' }),
    carrierConnectionId: t.id({ description: 'Carrier connection to track with (global ID or AfterShip id); default: the oldest for the courier.' }),
    lastMile: t.field({ type: LastMileInput, description: 'The last-mile courier, when another courier delivers.' }),
    ...sharedFields(t),
  }),
});

const UpdateTrackingInput = builder.inputType('UpdateTrackingInput', {
  description: 'Changes to a tracking; omitted fields stay as they are. The number, id and shipment tags cannot change.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The tracking: global ID or AfterShip id.' }),
    slug: t.string({ description: 'Correct the courier.' }),
    ...sharedFields(t),
  }),
});

type SharedShape = Omit<typeof UpdateTrackingInput.$inferInput, 'id' | 'slug'>;

function customFields(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError('customFields must be an object of string values.', 'customFields');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 25) throw new InvalidInputError('customFields takes at most 25 keys.', 'customFields');
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw new InvalidInputError(`customFields.${k} must be a string.`, 'customFields');
    if (k.length > 30 || v.length > 512) throw new InvalidInputError(`customFields.${k}: keys ≤30 and values ≤512 characters.`, 'customFields');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The shared input fields in AfterShip's snake_case (absent and null both mean "leave out"). */
function sharedBody(input: SharedShape): UpdateTrackingRequest {
  const body: Record<string, unknown> = {
    title: input.title,
    order_id: input.orderId,
    order_id_path: input.orderIdPath,
    order_number: input.orderNumber,
    order_date: input.orderDate,
    note: input.note,
    language: input.language,
    delivery_type: input.deliveryType,
    pickup_location: input.pickupLocation,
    pickup_note: input.pickupNote,
    tracking_account_number: input.trackingAccountNumber,
    tracking_key: input.trackingKey,
    tracking_ship_date: input.trackingShipDate,
    shipment_type: input.shipmentType,
    location_id: input.locationId,
    shipping_method: input.shippingMethod,
    shipment_direction: input.shipmentDirection,
    ...addressFields('origin', input.origin),
    ...addressFields('destination', input.destination),
  };
  if (input.customFields !== null && input.customFields !== undefined) body.custom_fields = customFields(input.customFields);
  if (input.notificationReceivers) body.customers = toWireCustomers(input.notificationReceivers, 'notificationReceivers');
  const p = input.orderPromisedDeliveryDate;
  if (p) {
    body.order_promised_delivery_date = {
      promised_delivery_date: p.datetime ?? null,
      promised_delivery_date_min: p.datetimeMin ?? null,
      promised_delivery_date_max: p.datetimeMax ?? null,
    };
  }
  if (input.locationId && input.origin) throw new InvalidInputError('Give either locationId or origin, not both.', 'locationId');
  for (const key of Object.keys(body)) if (body[key] === null || body[key] === undefined) delete body[key];
  return body as UpdateTrackingRequest;
}

const TRACKING_NUMBER = /^[A-Za-z0-9\-._/]{4,100}$/;

function successOptions(name: string, errors: unknown[], union: string, result: string) {
  return {
    types: errors as never[],
    union: { name: `${name}Result`, description: union },
    result: { name: `${name}Success`, description: result },
    dataField: { name: 'tracking', description: 'The tracking as AfterShip now has it.' },
  };
}

const idArgInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({ id: t.id({ required: true, description: 'The tracking: global ID or AfterShip id.' }) }),
  });

const DeleteTrackingInput = idArgInput('DeleteTrackingInput', 'The tracking to delete.');
const RetrackTrackingInput = idArgInput('RetrackTrackingInput', 'The inactive tracking to track again.');

const MarkCompletedInput = builder.inputType('MarkTrackingCompletedInput', {
  description: 'Stop tracking a shipment by hand, saying how it ended.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The tracking: global ID or AfterShip id.' }),
    reason: t.field({ type: MarkCompletedReason.ref, required: true, description: 'How the shipment ended.' }),
    eventDatetime: t.field({ type: 'LocalDateTime', description: 'When it ended: `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss` or with `Z` (default: now).' }),
  }),
});

builder.mutationFields((t) => ({
  createTracking: t.field({
    type: TrackingRef,
    cost: { calls: 1 },
    authScopes: { 'aftership:tracking:write': true },
    nullable: false,
    description: 'Starts tracking a shipment. One AfterShip call.',
    args: { input: t.arg({ type: CreateTrackingInput, required: true, description: 'The shipment.' }) },
    errors: successOptions('CreateTracking', CREATE_TRACKING_ERRORS, 'The new tracking, or why it could not be created.', 'The tracking was created.'),
    resolve: (_root, { input }, ctx) =>
      typedErrors(async () => {
        const trackingNumber = input.trackingNumber.trim();
        if (!TRACKING_NUMBER.test(trackingNumber)) {
          throw new InvalidInputError('trackingNumber must be 4–100 characters of A–Z, 0–9, "-", ".", "_" or "/".', 'trackingNumber');
        }
        if (input.slug && input.slugGroup) throw new InvalidInputError('Give either slug or slugGroup, not both.', 'slugGroup');
        const body: CreateTrackingRequest = { ...sharedBody(input), tracking_number: trackingNumber } as CreateTrackingRequest;
        if (input.slug) body.slug = input.slug;
        if (input.slugGroup) body.slug_group = input.slugGroup;
        if (input.aftershipId) body.id = input.aftershipId;
        if (input.shipmentTags) body.shipment_tags = input.shipmentTags;
        if (input.carrierConnectionId) body.courier_connection_id = rawId('CarrierConnection', String(input.carrierConnectionId), 'carrierConnectionId');
        if (input.lastMile) body.last_mile = { tracking_number: input.lastMile.trackingNumber, slug: input.lastMile.slug };
        return ctx.loaders.primeTracking(await ctx.client.createTracking(body));
      }),
  }),
  updateTracking: t.field({
    type: TrackingRef,
    cost: { calls: 1 },
    authScopes: { 'aftership:tracking:write': true },
    nullable: false,
    description: 'Changes a tracking\'s details. One AfterShip call.',
    args: { input: t.arg({ type: UpdateTrackingInput, required: true, description: 'Which tracking and what to change.' }) },
    errors: successOptions('UpdateTracking', TRACKING_WRITE_ERRORS, 'The updated tracking, or why it failed.', 'The tracking was updated.'),
    resolve: (_root, { input }, ctx) =>
      typedErrors(async () => {
        const id = rawId('Tracking', String(input.id));
        const body = sharedBody(input);
        if (input.slug) body.slug = input.slug;
        if (Object.keys(body).length === 0) throw new InvalidInputError('Nothing to update: give at least one field besides id.', 'id');
        return ctx.loaders.primeTracking(await ctx.client.updateTracking(id, body));
      }),
  }),
  deleteTracking: t.field({
    type: TrackingRef,
    cost: { calls: 1 },
    authScopes: { 'aftership:tracking:write': true },
    nullable: false,
    description: 'Stops tracking a shipment and deletes it from AfterShip. One AfterShip call.',
    args: { input: t.arg({ type: DeleteTrackingInput, required: true, description: 'Which tracking.' }) },
    errors: successOptions('DeleteTracking', TRACKING_WRITE_ERRORS, 'The deleted tracking, or why it failed.', 'The tracking was deleted; this is its last state.'),
    resolve: (_root, { input }, ctx) =>
      typedErrors(async () => {
        const id = rawId('Tracking', String(input.id));
        const deleted: Tracking = await ctx.client.deleteTracking(id);
        ctx.loaders.forgetTracking({ ...deleted, id: deleted.id ?? id }, true);
        if (deleted.id && deleted.id !== id) ctx.loaders.forgetTracking({ id }, true);
        return deleted;
      }),
  }),
  retrackTracking: t.field({
    type: TrackingRef,
    cost: { calls: 1 },
    authScopes: { 'aftership:tracking:write': true },
    nullable: false,
    description: 'Tracks an expired or completed (inactive) tracking again. One AfterShip call.',
    args: { input: t.arg({ type: RetrackTrackingInput, required: true, description: 'Which tracking.' }) },
    errors: successOptions('RetrackTracking', RETRACK_ERRORS, 'The reactivated tracking, or why it was refused.', 'The tracking is active again.'),
    resolve: (_root, { input }, ctx) =>
      typedErrors(async () => {
        const id = rawId('Tracking', String(input.id));
        const retracked = await ctx.client.retrackTracking(id);
        // AfterShip answers retrack with a "partial tracking": fill the gaps from the cached copy
        // for this answer, and drop the cached copy so the next read fetches the whole one.
        const cached = ctx.cache.getTracking(ctx.accountId, id);
        const merged: Tracking = { ...cached, ...retracked, id: retracked.id ?? cached?.id ?? id };
        ctx.loaders.forgetTracking(merged, false);
        return merged;
      }),
  }),
  markTrackingCompleted: t.field({
    type: TrackingRef,
    cost: { calls: 1 },
    authScopes: { 'aftership:tracking:write': true },
    nullable: false,
    description: 'Marks a tracking delivered, lost or returned to sender, and stops tracking it. One AfterShip call.',
    args: { input: t.arg({ type: MarkCompletedInput, required: true, description: 'Which tracking and how it ended.' }) },
    errors: successOptions('MarkTrackingCompleted', TRACKING_WRITE_ERRORS, 'The completed tracking, or why it failed.', 'The tracking is completed.'),
    resolve: (_root, { input }, ctx) =>
      typedErrors(async () => {
        const id = rawId('Tracking', String(input.id));
        const body = input.eventDatetime ? { reason: input.reason, event_datetime: input.eventDatetime } : { reason: input.reason };
        return ctx.loaders.primeTracking(await ctx.client.markTrackingCompleted(id, body));
      }),
  }),
}));
