/**
 * Scope checks for GraphQL: what each AfterShip client method needs, the Pothos scope-auth map of a
 * viewer, and a guard around the client so that a resolver without an `authScopes` annotation still
 * cannot reach AfterShip beyond the caller's scopes (defence in depth).
 */
import type { EndpointKey } from '../aftership/endpoints.js';
import type { AfterShipClient } from '../aftership/types.js';
import { GatewayError, type PublicExtensions } from '../lib/errors.js';
import { ENDPOINT_SCOPES, SCOPES, type Scope } from './scopes.js';
import type { Viewer } from './viewer.js';

export type ClientMethod = Exclude<keyof AfterShipClient, 'stats' | 'withScope'>;

/** The AfterShip endpoint behind each client method. */
export const CLIENT_METHOD_ENDPOINTS = {
  listTrackings: 'GET /trackings',
  getTracking: 'GET /trackings/:id',
  getTrackingByNumber: 'GET /trackings',
  createTracking: 'POST /trackings',
  updateTracking: 'PUT /trackings/:id',
  deleteTracking: 'DELETE /trackings/:id',
  retrackTracking: 'POST /trackings/:id/retrack',
  markTrackingCompleted: 'POST /trackings/:id/mark-as-completed',
  listCouriers: 'GET /couriers',
  detectCouriers: 'POST /couriers/detect',
  predictEdd: 'POST /estimated-delivery-date/predict',
  predictEddBatch: 'POST /estimated-delivery-date/predict-batch',
  listCourierConnections: 'GET /courier-connections',
  getCourierConnection: 'GET /courier-connections/:id',
  createCourierConnection: 'POST /courier-connections',
  updateCourierConnection: 'PATCH /courier-connections/:id',
  deleteCourierConnection: 'DELETE /courier-connections/:id',
} as const satisfies Record<ClientMethod, EndpointKey>;

/** The scope each client method needs: annotate a resolver with the scope of the call behind it. */
export const CLIENT_METHOD_SCOPES = Object.fromEntries(
  Object.entries(CLIENT_METHOD_ENDPOINTS).map(([m, e]) => [m, ENDPOINT_SCOPES[e]]),
) as { [M in ClientMethod]: (typeof ENDPOINT_SCOPES)[(typeof CLIENT_METHOD_ENDPOINTS)[M]] };

/**
 * The gateway's own pseudo-scope, held by every viewer except a lookup-only one: list the account's
 * trackings, or read one by id (ids can be guessable: AfterShip's legacy ids, merchant-chosen ids).
 * A field that does either declares `authScopes: { $all: { 'aftership:tracking:read': true, [ENUMERATE_TRACKINGS]: true } }`.
 */
export const ENUMERATE_TRACKINGS = 'enumerateTrackings';

/** The Pothos `AuthScopes` type: one boolean per scope, and the gateway's pseudo-scope. */
export type AuthScopes = Record<Scope | typeof ENUMERATE_TRACKINGS, boolean>;

/**
 * For `scopeAuth: { authScopes: (ctx) => authScopesFor(ctx.viewer) }`; then a field declares
 * `authScopes: { 'aftership:tracking:read': true }`. No viewer: no scopes.
 */
export function authScopesFor(viewer: Pick<Viewer, 'scopes' | 'lookupOnly'> | undefined): AuthScopes {
  const out = {} as AuthScopes;
  for (const s of SCOPES) out[s] = viewer?.scopes.has(s) ?? false;
  out[ENUMERATE_TRACKINGS] = viewer !== undefined && !viewer.lookupOnly;
  return out;
}

/**
 * The gateway refused the caller: their token lacks a scope (FORBIDDEN, naming `requiredScopes`).
 * Raised by Pothos scope-auth for a field (schema/builder.ts) and by `guardClient` for a call; it
 * never reaches AfterShip, so it is not an AfterShip error.
 */
export class ScopeRefusedError extends GatewayError {
  override readonly name = 'ScopeRefusedError';
  readonly code = 'FORBIDDEN';
  constructor(
    message: string,
    readonly requiredScopes: readonly Scope[],
  ) {
    super(message);
  }

  override get extensions(): PublicExtensions {
    return { code: this.code, requiredScopes: [...this.requiredScopes] };
  }
}

/** The refusal of a call the viewer may not make. */
export function missingScopeError(scope: Scope, endpoint: EndpointKey, viewerName: string): ScopeRefusedError {
  return new ScopeRefusedError(`Access denied: "${viewerName}" lacks the scope ${scope} needed for ${endpoint}`, [scope]);
}

/** The client, refusing (without any HTTP call) every method whose scope the viewer does not hold. */
export function guardClient(client: AfterShipClient, viewer: Pick<Viewer, 'scopes' | 'name'>): AfterShipClient {
  const guarded = { stats: () => client.stats(), withScope: (scope) => guardClient(client.withScope(scope), viewer) } as AfterShipClient;
  for (const method of Object.keys(CLIENT_METHOD_ENDPOINTS) as ClientMethod[]) {
    const endpoint = CLIENT_METHOD_ENDPOINTS[method];
    const scope = ENDPOINT_SCOPES[endpoint];
    const call = (client[method] as (...args: unknown[]) => Promise<unknown>).bind(client);
    (guarded as unknown as Record<string, unknown>)[method] = viewer.scopes.has(scope)
      ? call
      : () => Promise.reject(missingScopeError(scope, endpoint, viewer.name));
  }
  return guarded;
}
