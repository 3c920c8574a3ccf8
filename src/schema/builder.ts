/**
 * The Pothos schema builder: plugins, scalar typings and defaults. Defines no types; each
 * family file (tracking.ts, courier.ts, ...) adds its own, and index.ts imports them all.
 *
 * Plugin order matters: scope-auth first (checks run before anything else), errors before
 * dataloader (so typed errors catch load failures). Fields opt into authorisation with
 * `authScopes: { '<aftership scope>': true }`; the scopes come from the request's viewer.
 */
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import { authScopesFor, type AuthScopes } from '../auth/scope-guard.js';
import type { GraphQLContext } from '../context.js';

export interface SchemaTypes {
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  Scalars: {
    ID: { Input: string; Output: string | number };
    /** An instant, ISO 8601 with offset; always serialised in UTC. */
    DateTime: { Input: Date; Output: Date | string };
    /** A carrier's local date or date-time, exactly as the carrier gave it. */
    LocalDateTime: { Input: string; Output: string };
    /** Any JSON value. */
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}

export const builder = new SchemaBuilder<SchemaTypes>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, DataloaderPlugin, RelayPlugin, SimpleObjectsPlugin],
  scopeAuth: { authScopes: (ctx) => authScopesFor(ctx.viewer) },
  errors: { defaultTypes: [] },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false, description: 'The items of this page, each with its cursor.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: { description: 'Pass as `after` to continue right after this item.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    nodeTypeOptions: {
      name: 'Node',
      description: 'An object with a global ID, refetchable with `node(id:)`.',
    },
    idFieldOptions: { description: 'Global ID of the object; pass it to `node(id:)` to refetch it.' },
    pageInfoTypeOptions: { description: 'Pagination facts of a connection page.' },
    hasNextPageFieldOptions: { description: 'True when more items follow; fetch them with `after: endCursor`.' },
    hasPreviousPageFieldOptions: { description: 'True when this page was fetched with an `after` cursor.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page: pass it as `after` for the next page.' },
    nodeQueryOptions: {
      description: 'Fetches any object that has a global ID (a Tracking or a CarrierConnection). Null when it does not exist.',
      args: { id: { description: 'The global ID, as returned in an `id` field.' } },
    },
    nodesQueryOptions: {
      description: 'Fetches up to 100 objects by global ID, in order; null for each that does not exist.',
      args: { ids: { description: 'Global IDs, as returned in `id` fields (at most 100).' } },
    },
  },
});

/** The builder's resolved type parameter, for helpers that take Pothos field builders. */
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
