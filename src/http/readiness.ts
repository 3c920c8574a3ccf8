/**
 * `GET /readyz`: is AfterShip reachable with our credentials?
 * Probes with the cheapest call (the courier list) in the background lane, at most once per
 * `intervalMs`, so load balancers polling readiness never eat the users' rate budget.
 */
import type { AfterShipClient } from '../aftership/types.js';
import { ErrorCode } from '../aftership/errors.js';
import { GatewayError } from '../lib/errors.js';
import type { Clock } from '../lib/clock.js';

export interface ReadinessResult {
  ready: boolean;
  aftership: 'reachable' | 'unreachable';
  checkedAt: string;
  reason?: string;
}

export interface Readiness {
  check(): Promise<ReadinessResult>;
}

export function createReadiness(options: { client: AfterShipClient; clock: Clock; intervalMs?: number }): Readiness {
  const { client, clock } = options;
  const intervalMs = options.intervalMs ?? 15_000;
  let last: { at: number; result: ReadinessResult } | undefined;
  let inFlight: Promise<ReadinessResult> | undefined;

  const probe = async (): Promise<ReadinessResult> => {
    const checkedAt = new Date(clock.now()).toISOString();
    try {
      await client.listCouriers({}, { priority: 'background' });
      return { ready: true, aftership: 'reachable', checkedAt };
    } catch (e) {
      // Rate limiting proves AfterShip answers: still ready.
      if (e instanceof GatewayError && e.code === ErrorCode.RateLimited) return { ready: true, aftership: 'reachable', checkedAt };
      // E.g. UPSTREAM_UNAVAILABLE, or UPSTREAM_UNAUTHENTICATED for an OAuth account to connect.
      const reason = e instanceof GatewayError ? `${e.code}: ${e.message}` : 'AfterShip did not answer';
      return { ready: false, aftership: 'unreachable', checkedAt, reason };
    }
  };

  return {
    async check() {
      if (last && clock.now() - last.at < intervalMs) return last.result;
      inFlight ??= probe().then((result) => {
        last = { at: clock.now(), result };
        inFlight = undefined;
        return result;
      });
      return inFlight;
    },
  };
}
