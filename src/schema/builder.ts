/**
 * The Pothos schema builder: plugins, scalar typings and defaults. Defines no types; each
 * family file (tracking.ts, courier.ts, ...) adds its own, and index.ts imports them all.
 *
 * Plugin order matters: scope-auth first (checks run before anything else), then errors (typed
 * mutation results). Fields opt into authorisation with `authScopes: { '<aftership scope>': true }`
 * (the scopes come from the request's viewer), and declare what they cost in AfterShip calls with
 * `cost` (cost-plugin.ts; the cost guard reads it from the schema).
 */
import SchemaBuilder from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { CLIENT_METHOD_SCOPES, ENUMERATE_TRACKINGS, ScopeRefusedError, authScopesFor, type AuthScopes } from '../auth/scope-guard.js';
import { SCOPES, isScope, type Scope } from '../auth/scopes.js';
import type { GraphQLContext } from '../context.js';
import CostPlugin from './cost-plugin.js';
import { decodeNodeID } from './ids.js';
import { MAX_NODES } from './limits.js';

export interface SchemaTypes {
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  Scalars: {
    ID: { Input: string; Output: string | number };
    /** An instant, ISO 8601 with offset; always serialised in UTC. */
    DateTime: { Input: Date; Output: Date | string };
    /** A courier's local date or date-time, exactly as the courier gave it. */
    LocalDateTime: { Input: string; Output: string };
    /** Any JSON value. */
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}

/** Every scope: a context without a viewer is one built without access control (library use, unit tests). */
const OPEN_SCOPES = authScopesFor({ scopes: new Set(SCOPES) });

/** The scopes a scope-auth failure names (inside `$all`/`$any` too), without repeats. */
export function missingScopesOf(failure: AuthFailure): Scope[] {
  return [...failedScopesOf(failure)].filter(isScope);
}

function failedScopesOf(failure: AuthFailure): Set<string> {
  const out = new Set<string>();
  const walk = (f: AuthFailure): void => {
    if (f.kind === AuthScopeFailureType.AuthScope) out.add(f.scope);
    if (f.kind === AuthScopeFailureType.AllAuthScopes || f.kind === AuthScopeFailureType.AnyAuthScopes) f.failures.forEach(walk);
  };
  walk(failure);
  return out;
}

/** The refusal of a field the caller's token may not use: code FORBIDDEN, naming the scope(s). */
export function forbiddenError(
  scopes: readonly Scope[],
  info: Pick<GraphQLResolveInfo, 'parentType' | 'fieldName'>,
  viewerName?: string,
  lookupOnly = false,
): ScopeRefusedError {
  const field = `${info.parentType.name}.${info.fieldName}`;
  const who = viewerName ? `"${viewerName}"` : 'this request';
  const message = scopes.length
    ? `Forbidden: ${field} needs the scope ${scopes.join(' and ')}, which ${who} does not have.`
    : lookupOnly
      ? `Forbidden: ${who} is a lookup-only token: it reads trackings by number (trackingByNumber), and may not list them or read them by id (${field}).`
      : `Forbidden: ${who} may not use ${field}.`;
  return new ScopeRefusedError(message, scopes);
}

/** Scopes needed to load each Relay node type (the AfterShip read behind `node`/`nodes`; a tracking by id). */
const NODE_SCOPES: Record<string, readonly (keyof AuthScopes)[]> = {
  Tracking: [CLIENT_METHOD_SCOPES.getTracking, ENUMERATE_TRACKINGS],
  CarrierConnection: [CLIENT_METHOD_SCOPES.getCourierConnection],
};

/** `node`/`nodes` need the read scope of every type their IDs name; an ID of no known type loads nothing. */
function nodeScopes(ids: readonly unknown[]): { $all: Partial<AuthScopes> } | true {
  const needed: Partial<Record<keyof AuthScopes, true>> = {};
  for (const id of ids) {
    let typename: string | undefined;
    if (typeof id === 'object' && id !== null && 'typename' in id) typename = String(id.typename);
    else if (typeof id === 'string') {
      try {
        typename = decodeGlobalID(id).typename;
      } catch {
        typename = undefined;
      }
    }
    for (const scope of typename === undefined ? [] : (NODE_SCOPES[typename] ?? [])) needed[scope] = true;
  }
  return Object.keys(needed).length ? { $all: needed } : true;
}

export const builder = new SchemaBuilder<SchemaTypes>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, CostPlugin],
  scopeAuth: {
    // The app always sets a viewer (an open gateway's has every scope).
    authScopes: (ctx) => (ctx.viewer ? authScopesFor(ctx.viewer) : OPEN_SCOPES),
    // Refuse a subscription when it starts, not on each event.
    authorizeOnSubscribe: true,
    unauthorizedError: (_parent, ctx, info, result) =>
      forbiddenError(missingScopesOf(result.failure), info, ctx.viewer?.name, failedScopesOf(result.failure).has(ENUMERATE_TRACKINGS)),
  },
  errors: { defaultTypes: [] },
  relay: {
    decodeGlobalID: (globalID) => decodeNodeID(globalID),
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
      cost: { calls: 1 },
      authScopes: (_root, args) => nodeScopes([args.id]),
      description: 'Fetches any object that has a global ID (a Tracking or a CarrierConnection). Null when it does not exist.',
      args: { id: { description: 'The global ID, as returned in an `id` field.' } },
    },
    nodesQueryOptions: {
      cost: { callsPerItem: 'ids', limits: { ids: MAX_NODES } },
      authScopes: (_root, args) => nodeScopes(args.ids),
      description: `Fetches up to ${MAX_NODES} objects by global ID, in order; null for each that does not exist.`,
      args: { ids: { description: `Global IDs, as returned in \`id\` fields (at most ${MAX_NODES}).` } },
    },
  },
});

/** The builder's resolved type parameter, for helpers that take Pothos field builders. */
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
