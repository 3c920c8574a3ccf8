/**
 * AfterShip's OAuth scopes (REFERENCE §2.3) and the scope each 2026-07 endpoint needs.
 * The gateway uses the same names for its own clients, so a gateway token and an AfterShip app
 * grant speak one vocabulary: a field backed by `GET /trackings/:id` needs `aftership:tracking:read`
 * from the caller, and the account's AfterShip grant must include it too.
 */
import type { EndpointKey } from '../aftership/endpoints.js';

export const SCOPES = [
  'aftership:tracking:read',
  'aftership:tracking:write',
  'aftership:courier:read',
  'aftership:courier:write',
  'aftership:estimated_delivery_date:write',
  'aftership:carrier_connection:read',
  'aftership:carrier_connection:write',
] as const;

export type Scope = (typeof SCOPES)[number];

/** Every scope that only reads. */
export const READ_SCOPES: readonly Scope[] = SCOPES.filter((s) => s.endsWith(':read'));

/**
 * The scope each endpoint needs (AfterShip's "available scopes" table).
 * `POST /couriers/detect` is a read in spirit, but AfterShip files it under `courier:write`.
 */
export const ENDPOINT_SCOPES = {
  'GET /trackings': 'aftership:tracking:read',
  'GET /trackings/:id': 'aftership:tracking:read',
  'POST /trackings': 'aftership:tracking:write',
  'PUT /trackings/:id': 'aftership:tracking:write',
  'DELETE /trackings/:id': 'aftership:tracking:write',
  'POST /trackings/:id/retrack': 'aftership:tracking:write',
  'POST /trackings/:id/mark-as-completed': 'aftership:tracking:write',
  'GET /couriers': 'aftership:courier:read',
  'POST /couriers/detect': 'aftership:courier:write',
  'POST /estimated-delivery-date/predict': 'aftership:estimated_delivery_date:write',
  'POST /estimated-delivery-date/predict-batch': 'aftership:estimated_delivery_date:write',
  'GET /courier-connections': 'aftership:carrier_connection:read',
  'GET /courier-connections/:id': 'aftership:carrier_connection:read',
  'POST /courier-connections': 'aftership:carrier_connection:write',
  'PATCH /courier-connections/:id': 'aftership:carrier_connection:write',
  'DELETE /courier-connections/:id': 'aftership:carrier_connection:write',
} as const satisfies Record<EndpointKey, Scope>;

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/** The scope an endpoint needs. */
export function scopeForEndpoint(endpoint: EndpointKey): Scope {
  return ENDPOINT_SCOPES[endpoint];
}

/**
 * Scopes from a space-separated string (OAuth `scope`) or a list, keeping only known ones.
 * Foreign scopes (e.g. an IdP's `openid`) are ignored rather than refused.
 */
export function parseScopes(value: unknown): Set<Scope> {
  const items = typeof value === 'string' ? value.split(/[\s,]+/) : Array.isArray(value) ? value : [];
  const out = new Set<Scope>();
  for (const item of items) if (isScope(item)) out.add(item);
  return out;
}

/** True when `granted` holds every scope in `required`. */
export function hasScopes(granted: ReadonlySet<string>, required: Iterable<Scope>): boolean {
  for (const s of required) if (!granted.has(s)) return false;
  return true;
}
