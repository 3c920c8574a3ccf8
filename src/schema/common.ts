/**
 * Small value types several families share (addresses, weights) and their inputs.
 */
import { builder } from './builder.js';

/** An address as AfterShip splits it (on trackings: origin_* / destination_* fields). */
export interface AddressShape {
  country_region?: string | null;
  state?: string | null;
  city?: string | null;
  postal_code?: string | null;
  raw_location?: string | null;
}

export const AddressRef = builder.objectRef<AddressShape>('Address').implement({
  description: 'A postal address, as precise as the merchant or courier gave it.',
  fields: (t) => ({
    countryRegion: t.exposeString('country_region', { description: 'Country or region, ISO 3166-1 alpha-3 (e.g. `GBR`).' }),
    state: t.exposeString('state', { description: 'State, province or region.' }),
    city: t.exposeString('city', { description: 'City.' }),
    postalCode: t.exposeString('postal_code', { description: 'Postal or ZIP code.' }),
    rawLocation: t.exposeString('raw_location', { description: 'The whole address as one line of free text.' }),
  }),
});

export interface WeightShape {
  unit?: string;
  value?: number;
}

export const WeightRef = builder.objectRef<WeightShape>('Weight').implement({
  description: 'A weight with its unit.',
  fields: (t) => ({
    unit: t.exposeString('unit', { description: 'Unit, e.g. `kg`, `lb`.' }),
    value: t.exposeFloat('value', { description: 'Amount in `unit`.' }),
  }),
});

export const AddressInput = builder.inputType('AddressInput', {
  description: 'A postal address; send what you know.',
  fields: (t) => ({
    countryRegion: t.string({ description: 'Country or region, ISO 3166-1 alpha-3 (e.g. `USA`).' }),
    state: t.string({ description: 'State, province or region.' }),
    city: t.string({ description: 'City.' }),
    postalCode: t.string({ description: 'Postal or ZIP code.' }),
    rawLocation: t.string({ description: 'The whole address as one line of free text.' }),
  }),
});

export const WeightInput = builder.inputType('WeightInput', {
  description: 'A weight with its unit.',
  fields: (t) => ({
    unit: t.string({ required: true, description: 'Unit, e.g. `kg`, `lb`.' }),
    value: t.float({ required: true, description: 'Amount in `unit`.' }),
  }),
});

type AddressInputShape = {
  countryRegion?: string | null;
  state?: string | null;
  city?: string | null;
  postalCode?: string | null;
  rawLocation?: string | null;
};

/** An AddressInput as AfterShip's `<prefix>_country_region`, `<prefix>_state`... body fields. */
export function addressFields(prefix: 'origin' | 'destination', input: AddressInputShape | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!input) return out;
  if (input.countryRegion) out[`${prefix}_country_region`] = input.countryRegion;
  if (input.state) out[`${prefix}_state`] = input.state;
  if (input.city) out[`${prefix}_city`] = input.city;
  if (input.postalCode) out[`${prefix}_postal_code`] = input.postalCode;
  if (input.rawLocation) out[`${prefix}_raw_location`] = input.rawLocation;
  return out;
}

/** Drops null/undefined values: AfterShip treats an explicit null differently from absence. */
export function compact<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}
