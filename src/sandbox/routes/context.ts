/** What every API route handler gets. */
import type { EndpointKey } from '../../aftership/endpoints.js';
import type { CourierRegistry } from '../detect.js';
import type { ApiResult, JsonObject } from '../http.js';
import type { Store } from '../store.js';
import type { Tracking } from '../../aftership/wire-types.js';
import type { TrackingRecord } from '../tracking-model.js';
import type { World } from '../world.js';

export interface RouteContext {
  store: Store;
  /** Full trackings of records (rebuilt on demand; pin before changing one). */
  world: World;
  couriers: CourierRegistry;
  /** Simulation time (ms). */
  now(): number;
  randomSeed: number;
  /** Sends the webhook for a change made by an API call (mark-as-completed). */
  emitUpdate(tracking: Tracking, tagChanged: boolean): void;
  /** Tells the simulation a record's plan changed. */
  schedule(rec: TrackingRecord): void;
  /** `tracking_pending_time` threshold for created trackings (0: off). */
  pendingAlertMs: number;
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
