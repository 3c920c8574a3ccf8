/**
 * AfterShip's AI delivery-date predictions for shipments that may not exist yet.
 * All inputs of a request go through one DataLoader into predict-batch (MAX_EDD_BATCH per AfterShip call),
 * and answers are cached by input.
 */
import type { EddRequest, EddResponse } from '../aftership/wire-types.js';
import { builder } from './builder.js';
import { AddressRef, WeightInput, WeightRef } from './common.js';
import { predictionEstimate } from '../aftership/estimates.js';
import { courierField } from './courier.js';
import { EstimatedDeliveryRef } from './estimated-delivery.js';
import { MAX_EDD_BATCH } from '../aftership/endpoints.js';
import { InvalidInputError, refusedInput } from './error-mapping.js';
import { AfterShipError, formatPath } from '../aftership/errors.js';
import { LIST_SIZES, MAX_EDD_INPUTS } from './limits.js';

type EstimatedPickup = NonNullable<EddResponse['estimated_pickup']>;

const ProcessingTimeRef = builder.objectRef<NonNullable<EstimatedPickup['order_processing_time']>>('OrderProcessingTime').implement({
  description: 'How long the merchant takes to hand an order to the courier.',
  fields: (t) => ({
    unit: t.exposeString('unit', { description: 'Unit of `value`; currently always `day`.' }),
    value: t.exposeInt('value', { description: 'Number of units.' }),
  }),
});

const EstimatedPickupRef = builder.objectRef<EstimatedPickup>('EstimatedPickup').implement({
  description: 'How the pickup time was worked out from the order time and the merchant\'s schedule.',
  fields: (t) => ({
    orderTime: t.field({ type: 'LocalDateTime', nullable: false, description: 'When the order was placed, local time at the origin (`YYYY-MM-DD HH:mm:ss`).', resolve: (p) => p.order_time }),
    orderCutoffTime: t.exposeString('order_cutoff_time', { description: 'Daily cut-off after which orders ship the next business day (`HH:mm:ss`).' }),
    businessDays: t.intList({ nullable: false, listSize: LIST_SIZES.weekdays, description: 'Days the merchant ships, 1 = Monday … 7 = Sunday.', resolve: (p) => p.business_days ?? [] }),
    orderProcessingTime: t.field({ type: ProcessingTimeRef, description: 'Handling time before pickup.', resolve: (p) => p.order_processing_time ?? null }),
    pickupTime: t.field({ type: 'LocalDateTime', description: 'The computed pickup time, local time at the origin.', resolve: (p) => p.pickup_time ?? null }),
  }),
});

export const PredictionRef = builder.objectRef<EddResponse>('EstimatedDeliveryPrediction').implement({
  description: 'AfterShip\'s AI prediction of when a shipment will arrive, echoing the input it was made from.',
  fields: (t) => ({
    aftershipId: t.exposeString('id', { nullable: false, description: 'AfterShip\'s id of this prediction.' }),
    slug: t.exposeString('slug', { nullable: false, description: 'Courier slug the prediction is for.' }),
    courier: courierField(t, (p) => p.slug, 'The courier (from the cached courier list).'),
    serviceTypeName: t.exposeString('service_type_name', { description: 'The courier\'s service, e.g. "FEDEX GROUND".' }),
    originAddress: t.field({ type: AddressRef, nullable: false, description: 'Where it ships from.', resolve: (p) => p.origin_address }),
    destinationAddress: t.field({ type: AddressRef, nullable: false, description: 'Where it goes.', resolve: (p) => p.destination_address }),
    weight: t.field({ type: WeightRef, description: 'Weight it was predicted for.', resolve: (p) => p.weight ?? null }),
    packageCount: t.exposeInt('package_count', { description: 'Number of packages it was predicted for.' }),
    pickupTime: t.field({ type: 'LocalDateTime', description: 'Pickup time given in the input, local time at the origin.', resolve: (p) => p.pickup_time ?? null }),
    estimatedPickup: t.field({ type: EstimatedPickupRef, description: 'The pickup computed from the order time, when that was the input.', resolve: (p) => p.estimated_pickup ?? null }),
    estimatedDelivery: t.field({
      type: EstimatedDeliveryRef,
      description: 'The predicted delivery date (`YYYY-MM-DD`) or window, with AfterShip\'s confidence code; null when AfterShip could not predict one.',
      resolve: (p) => predictionEstimate(p),
    }),
  }),
});

const EddAddressInput = builder.inputType('EstimatedDeliveryAddressInput', {
  description: 'An address for a prediction: the country is required, and either state or postal code.',
  fields: (t) => ({
    countryRegion: t.string({ required: true, description: 'Country or region, ISO 3166-1 alpha-3 (e.g. `USA`).' }),
    state: t.string({ description: 'State, province or region (this or `postalCode` is required).' }),
    city: t.string({ description: 'City.' }),
    postalCode: t.string({ description: 'Postal or ZIP code (this or `state` is required).' }),
    rawLocation: t.string({ description: 'The whole address as one line of free text.' }),
  }),
});

const ProcessingTimeInput = builder.inputType('OrderProcessingTimeInput', {
  description: 'How long the merchant takes to hand an order to the courier.',
  fields: (t) => ({
    unit: t.string({ description: 'Unit; only `day` is supported (the default).' }),
    value: t.int({ description: 'Number of units (default 0).' }),
  }),
});

const EstimatedPickupInput = builder.inputType('EstimatedPickupInput', {
  description: 'Work the pickup time out from when the order was placed and the merchant\'s schedule.',
  fields: (t) => ({
    orderTime: t.field({ type: 'LocalDateTime', required: true, description: 'When the order was placed, local time at the origin: `YYYY-MM-DD HH:mm:ss`.' }),
    orderCutoffTime: t.string({ description: 'Daily cut-off time `HH:mm:ss` (default `18:00:00`).' }),
    businessDays: t.intList({ description: 'Days the merchant ships, 1 = Monday … 7 = Sunday (default Monday–Friday).' }),
    orderProcessingTime: t.field({ type: ProcessingTimeInput, description: 'Handling time before pickup (default 0 days).' }),
  }),
});

export const PredictionInput = builder.inputType('EstimatedDeliveryPredictionInput', {
  description: 'A shipment to predict the delivery date of. Give either `pickupTime` or `estimatedPickup`.',
  fields: (t) => ({
    slug: t.string({ required: true, description: 'Courier slug, e.g. `fedex`.' }),
    serviceTypeName: t.string({ description: 'The courier\'s service, e.g. "FEDEX GROUND".' }),
    originAddress: t.field({ type: EddAddressInput, required: true, description: 'Where it ships from.' }),
    destinationAddress: t.field({ type: EddAddressInput, required: true, description: 'Where it goes.' }),
    weight: t.field({ type: WeightInput, description: 'Weight of the shipment.' }),
    packageCount: t.int({ description: 'Number of packages.' }),
    pickupTime: t.field({ type: 'LocalDateTime', description: 'When the courier picks it up, local time at the origin: `YYYY-MM-DD HH:mm:ss`.' }),
    estimatedPickup: t.field({ type: EstimatedPickupInput, description: 'Compute the pickup from the order time instead.' }),
  }),
});

type InputShape = typeof PredictionInput.$inferInput;
type AddressShape = InputShape['originAddress'];

function toEddAddress(a: AddressShape, which: string): EddRequest['origin_address'] {
  if (!a.state && !a.postalCode) throw new InvalidInputError(`${which} needs a state or a postal code.`, which);
  const out: EddRequest['origin_address'] = { country_region: a.countryRegion };
  if (a.state) out.state = a.state;
  if (a.city) out.city = a.city;
  if (a.postalCode) out.postal_code = a.postalCode;
  if (a.rawLocation) out.raw_location = a.rawLocation;
  return out;
}

export function toEddRequest(input: InputShape, index: number): EddRequest {
  const at = `inputs[${index}]`;
  if (!input.pickupTime === !input.estimatedPickup) {
    throw new InvalidInputError(`${at}: give exactly one of pickupTime and estimatedPickup.`, 'pickupTime');
  }
  const req: EddRequest = {
    slug: input.slug,
    origin_address: toEddAddress(input.originAddress, `${at}.originAddress`),
    destination_address: toEddAddress(input.destinationAddress, `${at}.destinationAddress`),
  };
  if (input.serviceTypeName) req.service_type_name = input.serviceTypeName;
  if (input.weight) req.weight = { unit: input.weight.unit, value: input.weight.value };
  if (input.packageCount !== null && input.packageCount !== undefined) req.package_count = input.packageCount;
  if (input.pickupTime) req.pickup_time = input.pickupTime;
  const p = input.estimatedPickup;
  if (p) {
    req.estimated_pickup = { order_time: p.orderTime };
    if (p.orderCutoffTime) req.estimated_pickup.order_cutoff_time = p.orderCutoffTime;
    if (p.businessDays) req.estimated_pickup.business_days = p.businessDays;
    if (p.orderProcessingTime) {
      req.estimated_pickup.order_processing_time = {
        unit: p.orderProcessingTime.unit ?? 'day',
        value: p.orderProcessingTime.value ?? 0,
      };
    }
  }
  return req;
}

builder.queryField('predictEstimatedDeliveries', (t) =>
  t.field({
    type: [PredictionRef],
    cost: { batch: 'POST /estimated-delivery-date/predict-batch', size: MAX_EDD_BATCH, keysPerItem: 'inputs', limits: { inputs: MAX_EDD_INPUTS } },
    authScopes: { 'aftership:estimated_delivery_date:write': true },
    nullable: false,
    description: `Predicts delivery dates for up to ${MAX_EDD_INPUTS} shipments, answers in input order. Sent to AfterShip ${MAX_EDD_BATCH} at a time; repeated inputs are answered from cache.`,
    args: {
      inputs: t.arg({ type: [PredictionInput], required: true, description: `The shipments (at most ${MAX_EDD_INPUTS}).` }),
    },
    resolve: async (_root, { inputs }, ctx) => {
      if (inputs.length > MAX_EDD_INPUTS) {
        throw new InvalidInputError(`predictEstimatedDeliveries takes at most ${MAX_EDD_INPUTS} inputs; got ${inputs.length}.`, 'inputs');
      }
      const requests = inputs.map(toEddRequest);
      return ctx.loaders.eddPrediction.loadMany(requests).then((results) => {
        // The input AfterShip refused (the loader gives it the refusal, its batch mates another
        // error), named by its place in `inputs`, not in AfterShip's batch.
        const at = results.findIndex((r) => r instanceof AfterShipError && r.refusedItem !== null);
        const refused = results[at];
        if (refused instanceof AfterShipError) throw refusedInput(refused, (path) => formatPath([`inputs[${at}]`, ...path.slice(2)]));
        return results.map((r) => {
          if (r instanceof Error) throw r;
          return r;
        });
      });
    },
  }),
);
