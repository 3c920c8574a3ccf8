/**
 * What the AfterShip client tells the outside about its calls, through two small interfaces it is
 * given (as it is given the clock), never a global:
 * - `AfterShipRecorder` (client option): process-wide counts and timings, i.e. the metrics
 *   (src/observability/metrics.ts implements it);
 * - `CallScope` (`CallOptions.scope`): the GraphQL operation a call is made for. Its request id and
 *   trace context go out as headers on every attempt, and its cost report counts the call.
 *
 * A call merged across callers (identical GETs in flight, tracking-number batches) runs in the scope
 * of the caller that started it; the others are told they `joined` it. So each HTTP request AfterShip
 * sees is counted for exactly one operation (or none: polling and refreshes have no scope).
 */
import type { EndpointKey } from './endpoints.js';
import type { Priority } from './types.js';

/** How one HTTP attempt ended: AfterShip's status, or no answer. */
export type AttemptStatus = number | 'timeout' | 'network' | 'aborted';

export interface AfterShipRecorder {
  /** One HTTP request went out and ended (`status`) after `seconds`. */
  request(endpoint: EndpointKey, status: AttemptStatus, seconds: number): void;
  /** A budget permit was granted after `seconds` in the queue of `lane`. */
  queueWait(endpoint: EndpointKey, lane: Priority, seconds: number): void;
  /** A call (or a batched lookup) was refused with RATE_LIMITED: no budget within the queue timeout. */
  rateLimited(endpoint: EndpointKey): void;
  /** AfterShip answered 429 Too Many Requests. */
  throttled(endpoint: EndpointKey): void;
}

export const noopAfterShipRecorder: AfterShipRecorder = {
  request: () => undefined,
  queueWait: () => undefined,
  rateLimited: () => undefined,
  throttled: () => undefined,
};

/** The operation a call is made for. */
export interface CallScope {
  /** Put on the client's log lines of the call. */
  readonly requestId?: string;
  /** One call starts for the operation (it may take several HTTP attempts). */
  startCall(endpoint: EndpointKey): ScopedCall;
  /** A lookup of the operation joined a call already on its way (started by it or by another operation). */
  joined(endpoint: EndpointKey): void;
}

export interface ScopedCall {
  /** Sent with every HTTP attempt of the call: `x-request-id`, `traceparent`, `tracestate`. */
  readonly headers: Readonly<Record<string, string>>;
  /** An attempt waited this long for rate budget. */
  queued(ms: number): void;
  /** An HTTP request went out (each retry is another). */
  sent(): void;
  /** The call is over: its final HTTP status, or 'error' when it ended without one. */
  end(status: number | 'error'): void;
}
