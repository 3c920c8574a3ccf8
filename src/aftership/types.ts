/**
 * The contract between the gateway and AfterShip: every resolver, loader and poller goes
 * through an `AfterShipClient`; nothing else speaks HTTP to AfterShip.
 * Methods return `data` unwrapped from AfterShip's envelope and throw `AfterShipError`.
 */
import type { CallScope } from './recorder.js';
import type {
  Courier,
  CourierConnection,
  CourierConnectionList,
  CreateCourierConnectionRequest,
  CreateTrackingRequest,
  DetectCourierRequest,
  EddRequest,
  EddResponse,
  GetCourierConnectionsQuery,
  GetCouriersQuery,
  GetTrackingByIdQuery,
  GetTrackingsQuery,
  MarkCompletedRequest,
  Tracking,
  TrackingList,
  UpdateCourierConnectionRequest,
  UpdateTrackingRequest,
} from './wire-types.js';

/**
 * Which lane of the rate-budget queue a call waits in.
 * `interactive`: a user's query or mutation. `background`: refreshes and polling, served
 * only when no interactive call is waiting.
 */
export type Priority = 'interactive' | 'background';

export interface CallOptions {
  /** @default 'interactive' */
  priority?: Priority;
  /** Aborts the wait in the queue and the HTTP call. */
  signal?: AbortSignal;
  /** The operation the call is made for (request id, trace context, cost report); none for background work. */
  scope?: CallScope;
  /**
   * Who asked (a client key: a token's or JWT subject's name, an address in open mode): interactive
   * calls of different clients take turns in the rate budget (on-behalf-of.ts sets it). @default ''
   */
  client?: string;
}

export interface AfterShipClient {
  // Trackings
  listTrackings(query?: GetTrackingsQuery, options?: CallOptions): Promise<TrackingList>;
  getTracking(id: string, query?: GetTrackingByIdQuery, options?: CallOptions): Promise<Tracking>;
  /**
   * Looks a tracking up by number (and slug, when given). Concurrent lookups, from any
   * GraphQL request, merge into `GET /trackings?tracking_numbers=...` batches.
   * Resolves to null when AfterShip has no such tracking.
   */
  getTrackingByNumber(trackingNumber: string, slug?: string, options?: CallOptions): Promise<Tracking | null>;
  createTracking(body: CreateTrackingRequest, options?: CallOptions): Promise<Tracking>;
  updateTracking(id: string, body: UpdateTrackingRequest, options?: CallOptions): Promise<Tracking>;
  deleteTracking(id: string, options?: CallOptions): Promise<Tracking>;
  retrackTracking(id: string, options?: CallOptions): Promise<Tracking>;
  markTrackingCompleted(id: string, body: MarkCompletedRequest, options?: CallOptions): Promise<Tracking>;

  // Couriers
  listCouriers(query?: GetCouriersQuery, options?: CallOptions): Promise<Courier[]>;
  detectCouriers(body: DetectCourierRequest, options?: CallOptions): Promise<Courier[]>;

  // Estimated delivery dates
  predictEdd(body: EddRequest, options?: CallOptions): Promise<EddResponse>;
  /** Any number of inputs; split into AfterShip's batches of 5, answers in input order. */
  predictEddBatch(items: EddRequest[], options?: CallOptions): Promise<EddResponse[]>;

  // Courier (carrier) connections
  listCourierConnections(query?: GetCourierConnectionsQuery, options?: CallOptions): Promise<CourierConnectionList>;
  getCourierConnection(id: string, options?: CallOptions): Promise<CourierConnection>;
  createCourierConnection(body: CreateCourierConnectionRequest, options?: CallOptions): Promise<CourierConnection>;
  updateCourierConnection(id: string, body: UpdateCourierConnectionRequest, options?: CallOptions): Promise<CourierConnection>;
  deleteCourierConnection(id: string, options?: CallOptions): Promise<CourierConnection>;

  /** Counters for every call, for metrics and benchmarks. */
  stats(): ClientStats;
  /**
   * The same client (same budget, cache of ids, batches), whose calls are made for `scope` unless
   * a call names its own: one per GraphQL operation.
   */
  withScope(scope: CallScope): AfterShipClient;
}

export interface EndpointStats {
  calls: number;
  /** Calls by final HTTP status ("200", "404", ...; "error" when no answer arrived). */
  byStatus: Record<string, number>;
  retries: number;
  /** Sum of milliseconds spent waiting in the rate-budget queue. */
  queueWaitMsTotal: number;
  queueWaitMsMax: number;
  rateLimited: number;
}

export interface ClientStats {
  /** Keyed by endpoint, e.g. "GET /trackings/:id". */
  endpoints: Record<string, EndpointStats>;
  /** HTTP requests actually sent to AfterShip (retries included). */
  upstreamRequests: number;
  /** Lookups answered by joining an identical in-flight GET or a tracking-number batch. */
  merged: number;
  circuit: 'closed' | 'open' | 'half-open';
  /** The rate budget's queue: requests waiting for budget now, granted and refused so far. */
  budget: { waiting: number; granted: number; rejected: number };
}
