/**
 * Courier reference data and detection (a courier is the company; see the naming rule on `Courier`). The courier list changes rarely, so it is
 * read once and cached for hours (see cache DEFAULT_TTL_MS.couriers).
 */
import type { Courier, DetectCourierRequest } from '../aftership/wire-types.js';
import { builder, type BuilderTypes } from './builder.js';
import { InvalidInputError } from './error-mapping.js';
import { LIST_SIZES, MAX_DETECT_SLUGS } from './limits.js';

type CredentialField = NonNullable<NonNullable<Courier['credentials']>['fields']>[number];

const CredentialFieldRef = builder.objectRef<CredentialField>('CourierCredentialField').implement({
  description: 'One credential a carrier connection for this courier needs (the name only, never a value).',
  fields: (t) => ({
    name: t.string({ nullable: false, description: 'Key to use in `credentials` when creating a carrier connection, e.g. `user_id`.', resolve: (f) => f.name ?? '' }),
    type: t.exposeString('type', { description: 'Value type, e.g. `string`.' }),
    required: t.boolean({ nullable: false, description: 'Whether the connection needs it.', resolve: (f) => f.required ?? false }),
  }),
});

export const CourierRef = builder.objectRef<Courier>('Courier').implement({
  description:
    'A courier (shipping company) AfterShip can track, e.g. UPS (`ups`) or Royal Mail (`royal-mail`). Naming rule of this schema: "courier" is the company (this type, its `slug`, `courierSlug`); "carrier connection" (`CarrierConnection`) is an account\'s stored credentials for a courier.',
  fields: (t) => ({
    slug: t.string({ nullable: false, description: 'AfterShip\'s identifier of the courier, e.g. `usps`.', resolve: (c) => c.slug ?? '' }),
    name: t.string({ nullable: false, description: 'Display name, e.g. "USPS".', resolve: (c) => c.name ?? c.slug ?? '' }),
    otherName: t.exposeString('other_name', { description: 'Other names the courier is known by.' }),
    phone: t.exposeString('phone', { description: 'Customer-service phone number.' }),
    webUrl: t.exposeString('web_url', { description: 'The courier\'s website.' }),
    requiredFields: t.stringList({
      listSize: LIST_SIZES.courierFields,
      nullable: false,
      description: 'Extra fields every tracking of this courier needs besides the number, by AfterShip name (e.g. `tracking_ship_date`, `destination_postal_code`).',
      resolve: (c) => c.required_fields ?? [],
    }),
    optionalFields: t.stringList({
      listSize: LIST_SIZES.courierFields,
      nullable: false,
      description: 'Extra fields only some numbers of this courier need (same names as `requiredFields`).',
      resolve: (c) => c.optional_fields ?? [],
    }),
    defaultLanguage: t.exposeString('default_language', { description: 'Language of the courier\'s checkpoint messages, e.g. `en`.' }),
    supportLanguages: t.stringList({
      listSize: LIST_SIZES.languages,
      nullable: false,
      description: 'Languages the courier can report checkpoint messages in.',
      resolve: (c) => c.support_languages ?? [],
    }),
    serviceFromCountryRegions: t.stringList({
      listSize: LIST_SIZES.countries,
      nullable: false,
      description: 'Countries/regions (ISO alpha-3) the courier ships from; empty means worldwide.',
      resolve: (c) => c.service_from_country_regions ?? [],
    }),
    credentialFields: t.field({
      type: [CredentialFieldRef],
      listSize: LIST_SIZES.courierFields,
      nullable: false,
      description: 'Credentials a carrier connection for this courier needs; empty when the courier needs no connection.',
      resolve: (c) => (c.credentials?.fields ?? []).filter((f) => typeof f.name === 'string'),
    }),
  }),
});

/**
 * A `courier` link next to a slug: the courier from the list shared by the whole operation (one
 * AfterShip call at most, cached for hours); null for an unknown slug.
 */
export function courierField<Parent>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Parent>,
  slugOf: (parent: Parent) => string | null | undefined,
  description: string,
) {
  return t.field({
    type: CourierRef,
    cost: { once: 'GET /couriers' },
    authScopes: { 'aftership:courier:read': true },
    description,
    resolve: (parent, _args, ctx) => {
      const slug = slugOf(parent);
      return slug ? ctx.loaders.courierBySlug.load(slug) : null;
    },
  });
}

const DetectCouriersInput = builder.inputType('DetectCouriersInput', {
  description: 'A tracking number to identify, plus anything that narrows the candidates.',
  fields: (t) => ({
    trackingNumber: t.string({ required: true, description: 'The tracking number to identify.' }),
    slugs: t.stringList({ description: `Only consider these couriers (at most ${MAX_DETECT_SLUGS}). Not together with \`slugGroup\`.` }),
    slugGroup: t.string({ description: 'Only consider one family of couriers, e.g. `fedex-group`, `dhl-group`. Not together with `slugs`.' }),
    destinationPostalCode: t.string({ description: 'Destination postal code, for couriers that need it.' }),
    destinationState: t.string({ description: 'Destination state, for couriers that need it.' }),
    destinationCountryRegion: t.string({ description: 'Destination country/region (ISO alpha-3), for couriers that need it.' }),
    originCountryRegion: t.string({ description: 'Origin country/region (ISO alpha-3), for couriers that need it.' }),
    trackingShipDate: t.field({ type: 'LocalDateTime', description: 'Ship date as `YYYYMMDD`, for couriers that need it.' }),
    trackingAccountNumber: t.string({ description: 'Account number with the courier, for couriers that need it.' }),
    trackingKey: t.string({ description: 'Extra key the courier needs (e.g. a PIN), for couriers that need it.' }),
  }),
});

builder.queryFields((t) => ({
  couriers: t.field({
    type: [CourierRef],
    // Not `once`: the active list is another call than the full list `courier` fields share.
    cost: { calls: 1 },
    listSize: LIST_SIZES.couriers,
    authScopes: { 'aftership:courier:read': true },
    nullable: false,
    description: 'Couriers AfterShip supports. Read from a cache refreshed every few hours.',
    args: {
      active: t.arg.boolean({
        description: 'True: only the couriers activated in this AfterShip account. Omitted or false: every courier.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      return ctx.loaders.couriers(args.active);
    },
  }),
  courier: t.field({
    type: CourierRef,
    cost: { once: 'GET /couriers' },
    authScopes: { 'aftership:courier:read': true },
    description: 'One courier by slug; null when AfterShip has no such courier.',
    args: { slug: t.arg.string({ required: true, description: 'The courier\'s slug, e.g. `ups`.' }) },
    resolve: async (_root, args, ctx) => {
      return ctx.loaders.courierBySlug.load(args.slug);
    },
  }),
  detectCouriers: t.field({
    type: [CourierRef],
    cost: { calls: 1, limits: { 'input.slugs': MAX_DETECT_SLUGS } },
    listSize: LIST_SIZES.detectedCouriers,
    authScopes: { 'aftership:courier:write': true },
    nullable: false,
    description:
      'Couriers whose number format matches the tracking number (several when the format is ambiguous, none when nothing matches). Costs one AfterShip call; not cached.',
    args: { input: t.arg({ type: DetectCouriersInput, required: true, description: 'What to detect.' }) },
    resolve: async (_root, { input }, ctx) => {
      if (input.slugs && input.slugs.length > MAX_DETECT_SLUGS) {
        throw new InvalidInputError(`detectCouriers takes at most ${MAX_DETECT_SLUGS} slugs; got ${input.slugs.length}.`, 'slugs');
      }
      if (input.slugs?.length && input.slugGroup) throw new InvalidInputError('Pass either slugs or slugGroup, not both.', 'slugGroup');
      const body: DetectCourierRequest = { tracking_number: input.trackingNumber };
      if (input.slugs?.length) body.slug = input.slugs;
      if (input.slugGroup) body.slug_group = input.slugGroup;
      if (input.destinationPostalCode) body.destination_postal_code = input.destinationPostalCode;
      if (input.destinationState) body.destination_state = input.destinationState;
      if (input.destinationCountryRegion) body.destination_country_region = input.destinationCountryRegion;
      if (input.originCountryRegion) body.origin_country_region = input.originCountryRegion;
      if (input.trackingShipDate) body.tracking_ship_date = input.trackingShipDate;
      if (input.trackingAccountNumber) body.tracking_account_number = input.trackingAccountNumber;
      if (input.trackingKey) body.tracking_key = input.trackingKey;
      return ctx.client.detectCouriers(body);
    },
  }),
}));
