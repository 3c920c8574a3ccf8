/** What every API route handler gets. */
import type { EndpointKey } from '../../aftership/endpoints.js';
import type { CourierRegistry } from '../detect.js';
import type { ApiResult, JsonObject } from '../http.js';
import type { Store } from '../store.js';
import type { TrackingRecord } from '../tracking-model.js';

export interface RouteContext {
  store: Store;
  couriers: CourierRegistry;
  /** Simulation time (ms). */
  now(): number;
  randomSeed: number;
  /** Sends the webhook for a change made by an API call (mark-as-completed). */
  emitUpdate(rec: TrackingRecord, tagChanged: boolean): void;
  /** New 32-hex id. */
  newId(): string;
  /** New 24-char legacy id. */
  newLegacyId(): string;
}

export interface ApiRequest {
  method: string;
  endpoint: EndpointKey;
  /** The `:id` path segment, decoded. */
  id?: string;
  query: URLSearchParams;
  /** The parsed JSON body (4001 on invalid JSON). */
  body(): JsonObject;
}

export type Handler = (req: ApiRequest, ctx: RouteContext) => ApiResult;
