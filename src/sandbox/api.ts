/**
 * The API pipeline for one request: faults (latency, drop), route, API key, rate limit (real or
 * forced), injected 5xx, handler; every answer gets `as-api-version` and, for known endpoints,
 * `X-RateLimit-Limit/Remaining/Reset`; every request is logged (dropped ones with status 0).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { endpointKeyOf, type EndpointKey } from '../aftership/endpoints.js';
import { API_PATH_PREFIX } from '../aftership/wire-types.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { ApiError, baseHeaders, errorBody, parseJsonBody, successBody, type JsonObject } from './http.js';
import type { FaultController } from './faults.js';
import type { RateDecision, RateLimiter } from './limits.js';
import type { RequestLog } from './request-log.js';
import { ROUTES, idOf } from './router.js';
import type { RouteContext } from './routes/context.js';

/** Returned instead of a Response when the connection must be destroyed without an answer. */
export const DROP = Symbol('drop');
export type DispatchResult = Response | typeof DROP;

export interface ApiDeps {
  apiKey: string;
  clock: Clock;
  logger: Logger;
  faults: FaultController;
  limiter: RateLimiter;
  requests: RequestLog;
  context: RouteContext;
}

function rateHeaders(h: Headers, d: RateDecision): void {
  h.set('X-RateLimit-Limit', String(d.limit));
  h.set('X-RateLimit-Remaining', String(d.remaining));
  h.set('X-RateLimit-Reset', String(d.reset));
}

export function createApiHandler(deps: ApiDeps): (request: Request) => Promise<DispatchResult> {
  return async (request) => {
    const url = new URL(request.url);
    const at = deps.clock.now();
    const method = request.method.toUpperCase();
    const rel = url.pathname.startsWith(API_PATH_PREFIX + '/') ? url.pathname.slice(API_PATH_PREFIX.length) : undefined;
    const endpoint: EndpointKey | undefined = rel === undefined ? undefined : endpointKeyOf(method, rel);
    const log = (status: number): void =>
      deps.requests.add({ at, method, endpoint, path: url.pathname, query: Object.fromEntries(url.searchParams), status });
    const headers = baseHeaders();
    const answer = (status: number, body: string): Response => {
      log(status);
      return new Response(body, { status, headers });
    };

    const fault = deps.faults.decide(endpoint);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.action === 'drop') {
      log(0);
      return DROP;
    }
    if (!endpoint || rel === undefined) {
      const e = errorBody(404);
      return answer(e.status, e.body);
    }
    const text = await request.text();
    const apiKey = request.headers.get('as-api-key');
    if (apiKey !== deps.apiKey) {
      rateHeaders(headers, deps.limiter.peek(apiKey ?? '', endpoint));
      const e = errorBody(401);
      return answer(e.status, e.body);
    }
    if (fault.action === 'rate-limit') {
      const d = deps.limiter.peek(apiKey, endpoint);
      rateHeaders(headers, { ...d, remaining: 0 });
      const e = errorBody(429);
      return answer(e.status, e.body);
    }
    const decision = deps.limiter.take(apiKey, endpoint);
    rateHeaders(headers, decision);
    if (!decision.allowed) {
      const e = errorBody(429);
      return answer(e.status, e.body);
    }
    if (fault.action === 'error') {
      const e = errorBody(fault.status);
      return answer(e.status, e.body);
    }
    let parsed: JsonObject | undefined;
    try {
      const result = ROUTES[endpoint](
        { method, endpoint, id: idOf(rel), query: url.searchParams, body: () => (parsed ??= parseJsonBody(text)) },
        deps.context,
      );
      return answer(result.status, successBody(result));
    } catch (err) {
      if (err instanceof ApiError) {
        const e = errorBody(err.metaCode, err.message);
        return answer(e.status, e.body);
      }
      deps.logger.error('sandbox handler failed', { endpoint, error: err instanceof Error ? err.stack : String(err) });
      const e = errorBody(500);
      return answer(e.status, e.body);
    }
  };
}
