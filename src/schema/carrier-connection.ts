/**
 * Carrier connections (AfterShip "courier connections"): the merchant's own credentials with a
 * courier, used to track with that courier's API. Secret values never leave the gateway:
 * the type exposes only the NAMES of the credential keys. Naming rule of the schema: "courier" is
 * the company (`Courier`, `slug`), "carrier connection" an account's stored credentials for one.
 */
import type { CourierConnection } from '../aftership/wire-types.js';
import { MAX_LIST_LIMIT } from '../aftership/endpoints.js';
import { builder } from './builder.js';
import { courierField } from './courier.js';
import { CONNECTION_WRITE_ERRORS } from './errors.js';
import { InvalidInputError, typedErrors } from './error-mapping.js';
import { rawId } from './ids.js';
import { DEFAULT_PAGE_SIZE, LIST_SIZES } from './limits.js';
import { resolvePage } from './paging.js';
import { TrackingRef } from './tracking.js';

export const CarrierConnectionRef = builder.objectRef<CourierConnection>('CarrierConnection');

builder.node(CarrierConnectionRef, {
  description:
    'The merchant\'s account with a courier, connected to AfterShip so it can track through the courier\'s API (AfterShip calls it a courier connection). Credentials are write-only: only their names are readable. Naming rule: "courier" is the company (`Courier`, `slug`, `courierSlug`); "carrier connection" is an account\'s stored credentials for a courier.',
  id: { resolve: (c) => c.id ?? '' },
  loadWithoutCache: (id, ctx) => ctx.loaders.carrierConnectionById.load(id),
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'courier_slug' in value,
  fields: (t) => ({
    aftershipId: t.string({ nullable: false, description: 'AfterShip\'s own id of the connection.', resolve: (c) => c.id ?? '' }),
    courierSlug: t.string({ nullable: false, description: 'Slug of the courier, e.g. `ups-api`.', resolve: (c) => c.courier_slug ?? '' }),
    courier: courierField(t, (c) => c.courier_slug, 'The courier (from the cached courier list).'),
    credentialNames: t.stringList({
      listSize: LIST_SIZES.courierFields,
      nullable: false,
      description:
        'Names of the credentials stored for this connection, e.g. `["user_id", "password"]` (see `Courier.credentialFields` for what each is). The values are never returned.',
      resolve: (c) => Object.keys(c.credentials ?? {}).sort(),
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When the connection was created.', resolve: (c) => c.created_at ?? null }),
    updatedAt: t.field({ type: 'DateTime', description: 'When its credentials last changed.', resolve: (c) => c.updated_at ?? null }),
  }),
});

const CarrierConnectionConnection = builder.connectionObject(
  {
    type: CarrierConnectionRef,
    name: 'CarrierConnectionConnection',
    description: 'A page of carrier connections.',
    fields: (t) => ({
      totalCount: t.int({
        nullable: false,
        description: 'How many connections match in all pages.',
        resolve: (c) => (c as unknown as { totalCount: number }).totalCount,
      }),
    }),
  },
  { name: 'CarrierConnectionEdge', description: 'A carrier connection in a page.' },
);

const CredentialInput = builder.inputType('CredentialInput', {
  description: 'One credential for a carrier connection. See `Courier.credentialFields` for the names a courier needs.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Credential name, e.g. `api_key`.' }),
    value: t.string({ required: true, description: 'Its secret value (stored by AfterShip, never returned).' }),
  }),
});

const CreateInput = builder.inputType('CreateCarrierConnectionInput', {
  description: 'A courier account to connect.',
  fields: (t) => ({
    courierSlug: t.string({ required: true, description: 'The courier\'s slug, e.g. `ups-api`.' }),
    credentials: t.field({ type: [CredentialInput], required: true, description: 'The credentials the courier needs.' }),
  }),
});

const UpdateInput = builder.inputType('UpdateCarrierConnectionInput', {
  description: 'New credentials for a connection (they replace the stored ones).',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The connection: global ID or AfterShip id.' }),
    credentials: t.field({ type: [CredentialInput], required: true, description: 'The new credentials.' }),
  }),
});

const DeleteInput = builder.inputType('DeleteCarrierConnectionInput', {
  description: 'The connection to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The connection: global ID or AfterShip id.' }) }),
});

function credentialsOf(list: readonly { name: string; value: string }[]): Record<string, string> {
  if (list.length === 0) throw new InvalidInputError('Give at least one credential.', 'credentials');
  const out: Record<string, string> = {};
  for (const { name, value } of list) {
    if (!name.trim()) throw new InvalidInputError('Credential names must not be empty.', 'credentials');
    if (name in out) throw new InvalidInputError(`Credential ${name} is given twice.`, 'credentials');
    out[name] = value;
  }
  return out;
}

function resultOptions(name: string, union: string, result: string, data: string) {
  return {
    types: CONNECTION_WRITE_ERRORS,
    union: { name: `${name}Result`, description: union },
    result: { name: `${name}Success`, description: result },
    dataField: { name: 'carrierConnection', description: data },
  };
}

builder.queryFields((t) => ({
  carrierConnections: t.field({
    type: CarrierConnectionConnection,
    cost: { calls: 1, pageSize: DEFAULT_PAGE_SIZE, limits: { first: MAX_LIST_LIMIT } },
    authScopes: { 'aftership:carrier_connection:read': true },
    nullable: false,
    description: `The account's carrier connections, ${MAX_LIST_LIMIT} per page at most. One AfterShip call per page.`,
    args: {
      first: t.arg.int({ description: `Page size, 1 to ${MAX_LIST_LIMIT} (default ${DEFAULT_PAGE_SIZE}).` }),
      after: t.arg.string({ description: 'Continue after this cursor (`pageInfo.endCursor` or an edge\'s `cursor`).' }),
      courierSlug: t.arg.string({ description: 'Only connections to this courier.' }),
    },
    resolve: async (_root, args, ctx) => {
      return resolvePage<CourierConnection>(args, DEFAULT_PAGE_SIZE, MAX_LIST_LIMIT, async (cursor, limit) => {
        const page = await ctx.client.listCourierConnections({
          limit: String(limit),
          ...(cursor ? { cursor } : {}),
          ...(args.courierSlug ? { courier_slug: args.courierSlug } : {}),
        });
        page.courier_connections.forEach((c) => ctx.loaders.primeCarrierConnection(c));
        const p = page.pagination;
        return { items: page.courier_connections, total: p.total, nextCursor: p.next_cursor, hasNextPage: p.has_next_page };
      });
    },
  }),
  carrierConnection: t.field({
    type: CarrierConnectionRef,
    cost: { calls: 1 },
    authScopes: { 'aftership:carrier_connection:read': true },
    description: 'One carrier connection by global ID or AfterShip id; null when it does not exist.',
    args: { id: t.arg.id({ required: true, description: 'Global ID or AfterShip id of the connection.' }) },
    resolve: async (_root, args, ctx) => {
      return ctx.loaders.carrierConnectionById.load(rawId('CarrierConnection', String(args.id)));
    },
  }),
}));

builder.mutationFields((t) => ({
  createCarrierConnection: t.field({
    type: CarrierConnectionRef,
    cost: { calls: 1 },
    authScopes: { 'aftership:carrier_connection:write': true },
    nullable: false,
    description: 'Connects a courier account. One AfterShip call.',
    args: { input: t.arg({ type: CreateInput, required: true, description: 'Courier and credentials.' }) },
    errors: resultOptions('CreateCarrierConnection', 'The new connection, or why it failed.', 'The connection was created.', 'The new connection.'),
    resolve: (_root, { input }, ctx) =>
      typedErrors(async () => {
        const created = await ctx.client.createCourierConnection({ courier_slug: input.courierSlug, credentials: credentialsOf(input.credentials) });
        ctx.loaders.primeCarrierConnection(created);
        return created;
      }),
  }),
  updateCarrierConnection: t.field({
    type: CarrierConnectionRef,
    cost: { calls: 1 },
    authScopes: { 'aftership:carrier_connection:write': true },
    nullable: false,
    description: 'Replaces a connection\'s credentials. One AfterShip call.',
    args: { input: t.arg({ type: UpdateInput, required: true, description: 'Connection and new credentials.' }) },
    errors: resultOptions('UpdateCarrierConnection', 'The updated connection, or why it failed.', 'The credentials were replaced.', 'The updated connection.'),
    resolve: (_root, { input }, ctx) =>
      typedErrors(async () => {
        const id = rawId('CarrierConnection', String(input.id));
        const updated = await ctx.client.updateCourierConnection(id, { credentials: credentialsOf(input.credentials) });
        ctx.loaders.primeCarrierConnection(updated);
        return updated;
      }),
  }),
  deleteCarrierConnection: t.field({
    type: CarrierConnectionRef,
    cost: { calls: 1 },
    authScopes: { 'aftership:carrier_connection:write': true },
    nullable: false,
    description: 'Disconnects a courier account. One AfterShip call.',
    args: { input: t.arg({ type: DeleteInput, required: true, description: 'Which connection.' }) },
    errors: resultOptions('DeleteCarrierConnection', 'The deleted connection, or why it failed.', 'The connection was deleted.', 'The connection as it was.'),
    resolve: (_root, { input }, ctx) =>
      typedErrors(async () => {
        const id = rawId('CarrierConnection', String(input.id));
        const deleted = await ctx.client.deleteCourierConnection(id);
        ctx.loaders.forgetCarrierConnection(deleted.id ?? id);
        return { ...deleted, id: deleted.id ?? id };
      }),
  }),
}));

builder.objectFields(TrackingRef, (t) => ({
  carrierConnection: t.field({
    type: CarrierConnectionRef,
    cost: { calls: 1 },
    authScopes: { 'aftership:carrier_connection:read': true },
    description: 'The carrier connection AfterShip tracks it through; null when it uses none (or it was deleted).',
    resolve: (tr, _args, ctx) => (tr.courier_connection_id ? ctx.loaders.carrierConnectionById.load(tr.courier_connection_id) : null),
  }),
}));
