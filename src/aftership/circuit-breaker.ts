/**
 * Circuit breaker over AfterShip as a whole: after `failureThreshold` consecutive failures
 * (5xx, timeouts, dropped connections; 4xx and 429 prove AfterShip is alive) it opens, and calls
 * fail fast with UPSTREAM_UNAVAILABLE for `openMs`. Then it is half-open: exactly one probe goes
 * through; its success closes the circuit, its failure opens it again.
 */
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { AfterShipError, ErrorCode } from './errors.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** @default 5 */
  failureThreshold?: number;
  /** @default 10000 */
  openMs?: number;
  clock: Clock;
  logger: Logger;
}

export interface CircuitBreaker {
  /** Throws UPSTREAM_UNAVAILABLE when calls must not go out; returns a ticket to settle the attempt. */
  enter(endpoint: string): CircuitTicket;
  state(): CircuitState;
}

export interface CircuitTicket {
  /** AfterShip answered (2xx or a 4xx): it is up. */
  success(): void;
  /** 5xx, timeout or dropped connection. */
  failure(): void;
  /** Nothing learned (aborted, 429, budget refusal): frees a probe slot. */
  release(): void;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const threshold = options.failureThreshold ?? 5;
  const openMs = options.openMs ?? 10_000;
  if (!Number.isInteger(threshold) || threshold < 1) throw new Error(`circuit.failureThreshold must be an integer >= 1, got ${threshold}`);
  if (!Number.isFinite(openMs) || openMs < 0) throw new Error(`circuit.openMs must be >= 0, got ${openMs}`);
  const { clock, logger } = options;
  let failures = 0;
  let openedAt = 0;
  let open = false;
  let probing = false;

  const state = (): CircuitState => (!open ? 'closed' : clock.now() - openedAt >= openMs ? 'half-open' : 'open');

  const trip = (): void => {
    const wasOpen = open;
    open = true;
    openedAt = clock.now();
    // Logged once per outage, not on every failed probe.
    if (!wasOpen) logger.warn(`AfterShip unavailable after ${failures} consecutive failures; failing fast for ${Math.ceil(openMs / 1000)}s, then probing`);
  };

  return {
    state,
    enter(endpoint) {
      const s = state();
      let isProbe = false;
      if (s === 'open' || (s === 'half-open' && probing)) {
        const retryAfterMs = Math.max(0, openedAt + openMs - clock.now());
        throw new AfterShipError({
          code: ErrorCode.UpstreamUnavailable,
          message: `AfterShip unavailable, retrying in ${Math.max(1, Math.ceil(retryAfterMs / 1000))}s`,
          retryAfterMs: s === 'open' ? retryAfterMs : 1000,
          endpoint,
        });
      }
      if (s === 'half-open') {
        probing = true;
        isProbe = true;
      }
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        if (isProbe) probing = false;
        fn();
      };
      return {
        success: () =>
          settle(() => {
            if (open) logger.info('AfterShip is answering again; circuit closed');
            failures = 0;
            open = false;
          }),
        failure: () =>
          settle(() => {
            failures++;
            if (isProbe || (!open && failures >= threshold)) trip();
          }),
        release: () => settle(() => undefined),
      };
    },
  };
}
