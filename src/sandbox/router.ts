/** Endpoint key -> handler, for every 2026-07 endpoint. */
import type { EndpointKey } from '../aftership/endpoints.js';
import type { Handler } from './routes/context.js';
import { createTracking, deleteTracking, getTracking, markCompleted, retrackTrackingRoute, updateTracking } from './routes/trackings.js';
import { listTrackings } from './routes/trackings-list.js';
import { detectCourier, listCouriers } from './routes/couriers.js';
import { predict, predictBatch } from './routes/edd.js';
import { createConnection, deleteConnection, getConnection, listConnections, updateConnection } from './routes/connections.js';

export const ROUTES: Record<EndpointKey, Handler> = {
  'GET /trackings': listTrackings,
  'POST /trackings': createTracking,
  'GET /trackings/:id': getTracking,
  'PUT /trackings/:id': updateTracking,
  'DELETE /trackings/:id': deleteTracking,
  'POST /trackings/:id/retrack': retrackTrackingRoute,
  'POST /trackings/:id/mark-as-completed': markCompleted,
  'GET /couriers': listCouriers,
  'POST /couriers/detect': detectCourier,
  'POST /estimated-delivery-date/predict': predict,
  'POST /estimated-delivery-date/predict-batch': predictBatch,
  'GET /courier-connections': listConnections,
  'POST /courier-connections': createConnection,
  'GET /courier-connections/:id': getConnection,
  'PATCH /courier-connections/:id': updateConnection,
  'DELETE /courier-connections/:id': deleteConnection,
};

/** The `:id` segment of a path relative to the version prefix, decoded (undefined if none). */
export function idOf(relativePath: string): string | undefined {
  const m = /^\/(?:trackings|courier-connections)\/([^/]+)/.exec(relativePath);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}
