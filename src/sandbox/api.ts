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
import { checkSignature, type SignatureKeys } from './signature.js';

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
  /** Verify `as-signature-*` headers when present (and demand them when `required`). */
  signature?: SignatureKeys & { required?: boolean };
  /** Accept `Authorization: Bearer <token>` from this OAuth server (scopes per endpoint). */
  oauth?: OAuthVerifier;
}

/** The part of the sandbox OAuth server (oauth-server.ts) the API needs. */
export interface OAuthVerifier {
  handle(request: Request): Promise<Response> | undefined;
  isValidAccessToken(token: string): { valid: boolean; scopes?: string[] };
}

/** AfterShip app scopes that unlock each endpoint (REFERENCE §2.3). */
export function scopeFor(endpoint: EndpointKey): string {
  const [method, path] = endpoint.split(' ');
  const read = method === 'GET';
  if (path.startsWith('/trackings')) return read ? 'aftership:tracking:read' : 'aftership:tracking:write';
  if (path.startsWith('/couriers')) return read ? 'aftership:courier:read' : 'aftership:courier:write';
  if (path.startsWith('/estimated-delivery-date')) return 'aftership:estimated_delivery_date:write';
  return read ? 'aftership:carrier_connection:read' : 'aftership:carrier_connection:write';
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
      deps.requests.add({
        at,
        method,
        endpoint,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status,
        requestId: request.headers.get('x-request-id') ?? undefined,
        traceparent: request.headers.get('traceparent') ?? undefined,
      });
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
    const given = request.headers.get('as-api-key');
    let apiKey: string | undefined = given === deps.apiKey ? given : undefined;
    let refusal: { code: number; message?: string } | undefined;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (!apiKey && bearer && deps.oauth) {
      const check = deps.oauth.isValidAccessToken(bearer);
      const scope = scopeFor(endpoint);
      if (!check.valid) refusal = { code: 401 };
      else if (!(check.scopes ?? []).includes(scope)) refusal = { code: 403, message: `The access token lacks the scope ${scope}.` };
      else apiKey = 'oauth'; // one organisation: OAuth calls share its rate windows
    }
    if (apiKey && apiKey !== 'oauth' && deps.signature) {
      const problem = checkSignature(request, text, deps.signature, deps.clock.now());
      if (problem === undefined && deps.signature.required) refusal = { code: 401, message: 'This API key only accepts signed requests.' };
      else if (typeof problem === 'string') refusal = { code: 401, message: `Invalid request signature: ${problem}.` };
    }
    if (!apiKey || refusal) {
      rateHeaders(headers, deps.limiter.peek(apiKey ?? given ?? '', endpoint));
      const e = errorBody(refusal?.code ?? 401, refusal?.message);
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
      deps.logger.error({ endpoint, err }, 'sandbox handler failed');
      const e = errorBody(500);
      return answer(e.status, e.body);
    }
  };
}
