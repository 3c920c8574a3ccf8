/**
 * Retry policy as data: which failures of which calls are retried, and how long to wait.
 *
 * Decisions (REFERENCE §3/§4; AfterShip documents no idempotency keys):
 * - 429 is always re-sent after the endpoint's pause (AfterShip did not process it); it does not
 *   use up `maxRetries`, only queue time (the client gives up when the queue timeout is spent).
 * - 5xx, timeouts and dropped connections are retried for:
 *   `idempotent` calls: GET, PUT (full set of the given fields), PATCH (credentials set), DELETE,
 *   and the read-like POSTs couriers/detect, estimated-delivery-date/predict(-batch);
 *   `state` calls: retrack and mark-as-completed. They set a state, so repeating them is
 *   harmless; a retrack repeated after an ambiguous failure may answer 4013 ("only inactive"),
 *   which the client then resolves by reading the tracking.
 * - `create` (POST /trackings): retried ONCE after a timeout/drop/5xx; a 4003 "already exists"
 *   on that retry resolves to the existing tracking (looked up by number + slug), so a create is
 *   never duplicated.
 * - `unsafe` (POST /courier-connections): never retried after an ambiguous failure; AfterShip
 *   has no natural key to find out whether the first attempt created one.
 * - 4xx (other than 401-with-bearer-refresh and 429) are final.
 */
export type RetryClass = 'idempotent' | 'state' | 'create' | 'unsafe';

export interface RetryPolicy {
  /** Re-sends after 5xx/timeouts/drops for idempotent and state calls. @default 3 */
  maxRetries: number;
  /** Re-sends for `create` (POST /trackings). @default 1 */
  maxCreateRetries: number;
  /** @default 200 */
  baseDelayMs: number;
  /** @default 5000 */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, maxCreateRetries: 1, baseDelayMs: 200, maxDelayMs: 5000 };

export function resolveRetryPolicy(p: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...p };
  for (const [k, v] of Object.entries(policy)) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`retry.${k} must be a number >= 0, got ${String(v)}`);
  }
  return policy;
}

/** How many re-sends after an ambiguous failure (5xx, timeout, drop) this class allows. */
export function retriesAllowed(policy: RetryPolicy, cls: RetryClass): number {
  if (cls === 'unsafe') return 0;
  if (cls === 'create') return Math.min(policy.maxCreateRetries, policy.maxRetries);
  return policy.maxRetries;
}

/** Exponential back-off with full jitter: uniform in [0, min(cap, base * 2^retry)). `retry` counts from 0. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
