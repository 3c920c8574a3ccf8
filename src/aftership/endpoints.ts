/**
 * The 2026-07 endpoints, each with AfterShip's own per-second rate limit
 * (AfterShip docs "Rate limit", per organisation, since API 2024-07).
 * The client budgets by these keys and the sandbox enforces and counts by the same keys.
 */
export const ENDPOINT_LIMITS_PER_SECOND = {
  'GET /trackings': 6,
  'POST /trackings': 20,
  'GET /trackings/:id': 5,
  'PUT /trackings/:id': 5,
  'DELETE /trackings/:id': 5,
  'POST /trackings/:id/retrack': 5,
  'POST /trackings/:id/mark-as-completed': 5,
  'GET /couriers': 5,
  'POST /couriers/detect': 3,
  'POST /estimated-delivery-date/predict': 5,
  'POST /estimated-delivery-date/predict-batch': 20,
  'GET /courier-connections': 5,
  'POST /courier-connections': 5,
  'GET /courier-connections/:id': 5,
  'PATCH /courier-connections/:id': 5,
  'DELETE /courier-connections/:id': 5,
} as const satisfies Record<string, number>;

export type EndpointKey = keyof typeof ENDPOINT_LIMITS_PER_SECOND;
export const ENDPOINT_KEYS = Object.keys(ENDPOINT_LIMITS_PER_SECOND) as EndpointKey[];

/** Integration platforms and some plans cap the whole account at 600 requests a minute. */
export const DEFAULT_ACCOUNT_LIMIT_PER_MINUTE = 600;

/** AfterShip answers at most this many tracking numbers in one `GET /trackings?tracking_numbers=`. */
export const MAX_TRACKING_NUMBERS_PER_LIST = 50;
/** ...and at most this many trackings per page. */
export const MAX_LIST_LIMIT = 200;
/** predict-batch takes at most this many inputs. */
export const MAX_EDD_BATCH = 5;

const ID_SEGMENT = /^(\/(?:trackings|courier-connections))\/[^/]+(\/.*)?$/;

/**
 * The endpoint key of a request, from its method and its path relative to
 * `/tracking/2026-07` (e.g. `GET`, `/trackings/abc/retrack` → `POST /trackings/:id/retrack`).
 * Returns undefined for paths that are not 2026-07 endpoints.
 */
export function endpointKeyOf(method: string, path: string): EndpointKey | undefined {
  const clean = path.split('?')[0].replace(/\/+$/, '') || '/';
  const m = ID_SEGMENT.exec(clean);
  let shape = clean;
  if (m && !(m[1] === '/trackings' && clean === '/trackings')) {
    shape = `${m[1]}/:id${m[2] ?? ''}`;
  }
  const key = `${method.toUpperCase()} ${shape}`;
  return key in ENDPOINT_LIMITS_PER_SECOND ? (key as EndpointKey) : undefined;
}
