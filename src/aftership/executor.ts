/**
 * The pipeline every AfterShip call goes through:
 * circuit breaker → rate budget → one HTTP attempt (transport) → learn from X-RateLimit-* →
 * retry (policy in retry.ts) / refresh the bearer token once on 401 / resolve ambiguous creates.
 */
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { AfterShipAuth } from './auth.js';
import type { CircuitBreaker, CircuitTicket } from './circuit-breaker.js';
import { GatewayError } from '../lib/errors.js';
import { AfterShipError, ErrorCode } from './errors.js';
import type { Permit, RateBudget } from './rate-budget.js';
import type { AfterShipRecorder, AttemptStatus, CallScope } from './recorder.js';
import { backoffDelay, retriesAllowed, type RetryClass, type RetryPolicy } from './retry.js';
import type { StatsRecorder } from './stats.js';
import type { AttemptOutcome, RateHeaders, RequestSpec, Transport } from './transport.js';
import type { Priority } from './types.js';

/** A pause longer than this from `X-RateLimit-Reset` is taken as clock skew and capped. */
const MAX_PAUSE_MS = 60_000;
/** Differences between AfterShip's Date header and our clock below this are resolution, not skew. */
const SKEW_TOLERANCE_MS = 2000;
/** Pause after a 429 whose reset header is missing or already past. */
const DEFAULT_429_PAUSE_MS = 1000;

export interface ExecuteOptions {
  /** Who asked: clients take turns in the rate budget (CallOptions.client). */
  client?: string;
  priority: Priority;
  signal?: AbortSignal;
  /** The caller already holds a budget permit for the first attempt (batches). */
  permit?: Permit;
  /** The operation the call is made for (headers, cost report). */
  scope?: CallScope;
  /**
   * Called when an attempt after an ambiguous failure (timeout/drop/5xx) gets a 4xx: may turn it
   * into a success (e.g. 4003 on a re-sent create → the existing tracking). Return undefined to throw.
   */
  resolveAfterAmbiguous?(error: AfterShipError): Promise<unknown> | undefined;
}

export interface ExecutorDeps {
  transport: Transport;
  budget: RateBudget;
  circuit: CircuitBreaker;
  stats: StatsRecorder;
  /** Metrics: every HTTP attempt, queue wait, refusal and 429. */
  recorder: AfterShipRecorder;
  policy: RetryPolicy;
  auth: AfterShipAuth;
  clock: Clock;
  random: () => number;
  logger: Logger;
}

export type Execute = (spec: RequestSpec, cls: RetryClass, options: ExecuteOptions) => Promise<unknown>;

function attemptStatus(outcome: AttemptOutcome): AttemptStatus {
  return outcome.kind === 'ok' || outcome.kind === 'http' ? outcome.status : outcome.kind;
}

export function createExecutor(deps: ExecutorDeps): Execute {
  const { transport, budget, circuit, stats, recorder, policy, auth, clock, random, logger } = deps;

  /** Obeys AfterShip: a 429 or `remaining: 0` holds the endpoint's queue until the reset. */
  async function observe(spec: RequestSpec, status: number, rate: RateHeaders): Promise<void> {
    const now = clock.now();
    // The reset is on AfterShip's clock. When its Date header shows a real skew (beyond the
    // header's 1 s resolution), move the reset onto ours; otherwise take it as is.
    const skew = rate.serverDateMs !== undefined && Math.abs(rate.serverDateMs - now) > SKEW_TOLERANCE_MS ? rate.serverDateMs - now : 0;
    const resetAtMs = rate.resetAtMs === undefined ? undefined : rate.resetAtMs - skew;
    const reset = resetAtMs !== undefined && resetAtMs > now ? Math.min(resetAtMs, now + MAX_PAUSE_MS) : undefined;
    if (status === 429) await budget.pause(spec.endpoint, reset ?? now + DEFAULT_429_PAUSE_MS);
    else if (rate.remaining === 0 && reset !== undefined) await budget.pause(spec.endpoint, reset);
  }

  return async function execute(spec, cls, options) {
    const ep = spec.endpoint;
    const { priority, signal } = options;
    stats.call(ep);
    const scoped = options.scope?.startCall(ep);
    const startedAt = clock.now();
    let attempts = 0;
    const waited = (ms: number): void => {
      stats.queueWait(ep, ms);
      recorder.queueWait(ep, priority, ms / 1000);
      scoped?.queued(ms);
    };
    let permit: Permit | undefined = options.permit;
    let queueWaited = permit?.waitedMs ?? 0;
    if (permit) waited(queueWaited);
    let ambiguousRetries = 0;
    let refreshed = false;
    let after429 = false;
    let firstAcquire = true;

    /** The call is over: counted, and logged with the operation's request id. */
    const settle = (status: number | 'error'): void => {
      stats.status(ep, status);
      scoped?.end(status);
      if (logger.isLevelEnabled('debug')) {
        logger.debug({ endpoint: ep, status, attempts, ms: clock.now() - startedAt, requestId: options.scope?.requestId }, 'AfterShip call');
      }
    };
    const finish = (status: number | 'error', error: unknown): never => {
      settle(status);
      throw error;
    };

    for (;;) {
      let ticket: CircuitTicket;
      try {
        ticket = circuit.enter(ep);
      } catch (e) {
        permit?.complete();
        return finish('error', e);
      }
      if (!permit) {
        try {
          // After 429s the whole call, not each wait, is bounded by the queue timeout.
          const maxWaitMs = after429 ? Math.max(0, budget.queueTimeoutMs - queueWaited) : undefined;
          // Re-sends jump the queue: they already waited their turn once.
          permit = await budget.acquire(ep, priority, signal, { maxWaitMs, front: !firstAcquire, client: options.client });
          queueWaited += permit.waitedMs;
          waited(permit.waitedMs);
        } catch (e) {
          ticket.release();
          if (e instanceof AfterShipError && e.code === ErrorCode.RateLimited) {
            stats.rateLimited(ep);
            recorder.rateLimited(ep);
          }
          return finish('error', e);
        }
      }
      firstAcquire = false;
      stats.upstreamRequest();
      scoped?.sent();
      attempts++;
      const sentAt = clock.now();
      let outcome: AttemptOutcome;
      try {
        outcome = await transport.send(scoped ? { ...spec, headers: scoped.headers } : spec, signal);
      } catch (e) {
        ticket.release();
        return finish('error', e);
      } finally {
        // AfterShip has seen the request by now, if ever: its windows start draining.
        permit.complete();
        permit = undefined;
      }
      recorder.request(ep, attemptStatus(outcome), (clock.now() - sentAt) / 1000);

      if (outcome.kind === 'aborted') {
        ticket.release();
        return finish('error', outcome.reason);
      }
      if (outcome.kind === 'ok') {
        ticket.success();
        await observe(spec, outcome.status, outcome.rate);
        settle(outcome.status);
        return outcome.data;
      }
      if (outcome.kind === 'http') {
        await observe(spec, outcome.status, outcome.rate);
        if (outcome.status === 429) {
          // Not processed by AfterShip: safe to re-send for every call, after the pause.
          ticket.release();
          stats.rateLimited(ep);
          recorder.throttled(ep);
          stats.retry(ep);
          after429 = true;
          logger.debug({ endpoint: ep, requestId: options.scope?.requestId }, 'AfterShip answered 429; re-sending after the pause');
          continue;
        }
        if (outcome.status === 401 && auth.kind === 'bearer' && auth.onUnauthorized && !refreshed) {
          ticket.success();
          refreshed = true;
          stats.retry(ep);
          try {
            await auth.onUnauthorized();
          } catch (e) {
            // The token provider's error says what to do (reconnect the account, wait for the token
            // endpoint): keep it, as the transport does.
            if (e instanceof GatewayError) return finish(401, e);
            return finish(401, new AfterShipError({ code: ErrorCode.Unauthenticated, message: 'AfterShip refused the access token and refreshing it failed', httpStatus: 401, endpoint: ep, cause: e }));
          }
          continue;
        }
        if (outcome.status < 500) {
          ticket.success();
          if (ambiguousRetries > 0 && options.resolveAfterAmbiguous) {
            const resolved = options.resolveAfterAmbiguous(outcome.error);
            if (resolved) {
              settle(outcome.status);
              return await resolved;
            }
          }
          return finish(outcome.status, outcome.error);
        }
      }
      // 5xx, timeout or dropped connection: AfterShip may or may not have acted on it.
      ticket.failure();
      const error = outcome.error;
      if (ambiguousRetries >= retriesAllowed(policy, cls)) {
        return finish(outcome.kind === 'http' ? outcome.status : 'error', error);
      }
      const delay = backoffDelay(policy, ambiguousRetries, random);
      ambiguousRetries++;
      stats.retry(ep);
      logger.debug(
        { endpoint: ep, reason: outcome.kind === 'http' ? outcome.status : outcome.kind, retry: ambiguousRetries, delayMs: delay, requestId: options.scope?.requestId },
        'AfterShip call failed; retrying',
      );
      try {
        await clock.sleep(delay, signal);
      } catch (e) {
        return finish('error', e);
      }
    }
  };
}
