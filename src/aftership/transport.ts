/**
 * One HTTP attempt against AfterShip: URL, headers (auth/signing), JSON body, timeout, the
 * `{ meta, data }` envelope, `X-RateLimit-*` headers and the mapping of failures to
 * `AfterShipError`. It never retries and never waits for budget: that is the client's job, which
 * needs to know *how* an attempt failed (`AttemptOutcome.kind`) to decide.
 */
import type { Clock } from '../lib/clock.js';
import type { EndpointKey } from './endpoints.js';
import { GatewayError } from '../lib/errors.js';
import { AfterShipError, ErrorCode, codeForResponse } from './errors.js';
import { API_PATH_PREFIX } from './wire-types.js';
import { authenticate, scrub, type AfterShipAuth } from './auth.js';
import { canonicalQuery, type QueryParams } from './signing.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request relative to `/tracking/2026-07`. */
export interface RequestSpec {
  endpoint: EndpointKey;
  method: HttpMethod;
  /** e.g. `/trackings/abc123/retrack` (ids already percent-encoded). */
  path: string;
  query?: QueryParams;
  body?: unknown;
  /** Tracing headers (`x-request-id`, `traceparent`); they never replace the gateway's own or auth headers. */
  headers?: Readonly<Record<string, string>>;
}

/** AfterShip's per-endpoint, per-second window as reported on every answer (429s included). */
export interface RateHeaders {
  limit?: number;
  remaining?: number;
  /** `X-RateLimit-Reset` (Unix seconds) in milliseconds, on AfterShip's clock. */
  resetAtMs?: number;
  /** The answer's `Date` header (1 s resolution), to spot clock skew against AfterShip. */
  serverDateMs?: number;
}

export type AttemptOutcome =
  | { kind: 'ok'; status: number; data: unknown; rate: RateHeaders }
  /** AfterShip (or a proxy) answered with a non-2xx status, or a 2xx without a valid envelope. */
  | { kind: 'http'; status: number; error: AfterShipError; rate: RateHeaders }
  /** No answer within `timeoutMs`: the request may or may not have been processed. */
  | { kind: 'timeout'; error: AfterShipError }
  /** Connection refused/reset/dropped (fetch TypeError): may or may not have been processed. */
  | { kind: 'network'; error: AfterShipError }
  /** The caller's signal aborted; `reason` is the signal's reason. */
  | { kind: 'aborted'; reason: unknown };

export interface TransportOptions {
  /** e.g. `https://api.aftership.com`; `/tracking/2026-07` is appended. */
  baseUrl: string;
  auth: AfterShipAuth;
  fetch: typeof fetch;
  clock: Clock;
  timeoutMs: number;
  userAgent?: string;
}

export interface Transport {
  send(spec: RequestSpec, signal?: AbortSignal): Promise<AttemptOutcome>;
}

function parseRateHeaders(headers: Headers): RateHeaders {
  const num = (name: string): number | undefined => {
    const raw = headers.get(name);
    if (raw === null || raw.trim() === '') return undefined;
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  };
  const reset = num('x-ratelimit-reset');
  // Docs: Unix seconds. Tolerate milliseconds (13 digits) in case a proxy or emulator sends them.
  const resetAtMs = reset === undefined ? undefined : reset > 1e12 ? reset : reset * 1000;
  const date = headers.get('date');
  const serverDateMs = date ? Date.parse(date) : NaN;
  return {
    limit: num('x-ratelimit-limit'),
    remaining: num('x-ratelimit-remaining'),
    resetAtMs,
    serverDateMs: Number.isFinite(serverDateMs) ? serverDateMs : undefined,
  };
}

interface MetaLike {
  code?: unknown;
  message?: unknown;
}

function isEnvelope(v: unknown): v is { meta: MetaLike; data?: unknown } {
  return typeof v === 'object' && v !== null && 'meta' in v && typeof (v as { meta: unknown }).meta === 'object';
}

export function createTransport(options: TransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) {
    throw new Error(`AfterShip baseUrl must be an http(s) URL, got "${options.baseUrl}"`);
  }
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const userAgent = options.userAgent ?? 'aftership-graphql-gateway/0.1';

  async function send(spec: RequestSpec, signal?: AbortSignal): Promise<AttemptOutcome> {
    if (signal?.aborted) return { kind: 'aborted', reason: signal.reason };
    const query = canonicalQuery(spec.query);
    const path = `${basePath}${API_PATH_PREFIX}${spec.path}`;
    const url = `${base}${API_PATH_PREFIX}${spec.path}${query ? `?${query}` : ''}`;
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    let secrets: string[] = [];
    const headers: Record<string, string> = { ...spec.headers, accept: 'application/json', 'user-agent': userAgent };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const a = await authenticate(options.auth, { method: spec.method, path, query: spec.query, body, now: options.clock.now() });
      Object.assign(headers, a.headers);
      secrets = a.secrets;
    } catch (cause) {
      // The token provider's own errors already say what is wrong and how bad it is (account not
      // connected, grant revoked, token endpoint unreachable): keep them as they are.
      if (cause instanceof GatewayError) throw cause;
      throw new AfterShipError({
        code: ErrorCode.Unauthenticated,
        message: `Could not authenticate to AfterShip: ${cause instanceof Error ? cause.message : 'unknown error'}`,
        endpoint: spec.endpoint,
      });
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = options.clock.setTimer(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, options.timeoutMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const failure = (kind: 'timeout' | 'network', cause: unknown): AttemptOutcome => {
      const what = kind === 'timeout' ? `timed out after ${options.timeoutMs} ms` : 'connection failed';
      const detail = kind === 'network' && cause instanceof Error ? `: ${scrub(cause.message, secrets)}` : '';
      return {
        kind,
        error: new AfterShipError({
          code: ErrorCode.UpstreamUnavailable,
          message: `AfterShip ${spec.endpoint} ${what}${detail}`,
          endpoint: spec.endpoint,
        }),
      };
    };

    try {
      let res: Response;
      let text: string;
      try {
        res = await options.fetch(url, { method: spec.method, headers, body, signal: controller.signal });
        text = await res.text();
      } catch (cause) {
        if (signal?.aborted) return { kind: 'aborted', reason: signal.reason };
        return failure(timedOut ? 'timeout' : 'network', cause);
      }
      const rate = parseRateHeaders(res.headers);
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const meta = isEnvelope(parsed) ? parsed.meta : undefined;
      const metaCode = typeof meta?.code === 'number' ? meta.code : undefined;
      if (res.status >= 200 && res.status < 300) {
        if (isEnvelope(parsed) && 'data' in parsed) return { kind: 'ok', status: res.status, data: parsed.data, rate };
        // A 2xx without an envelope is a broken answer (proxy, truncation): treat like a 502.
        return {
          kind: 'http',
          status: 502,
          rate,
          error: new AfterShipError({
            code: ErrorCode.UpstreamUnavailable,
            message: `AfterShip ${spec.endpoint} answered ${res.status} without a JSON envelope`,
            httpStatus: res.status,
            endpoint: spec.endpoint,
          }),
        };
      }
      const upstreamMessage = typeof meta?.message === 'string' && meta.message !== '' ? scrub(meta.message, secrets) : undefined;
      const code = codeForResponse(res.status, metaCode);
      return {
        kind: 'http',
        status: res.status,
        rate,
        error: new AfterShipError({
          code,
          message: upstreamMessage ?? `AfterShip ${spec.endpoint} answered HTTP ${res.status}`,
          metaCode,
          httpStatus: res.status,
          endpoint: spec.endpoint,
          retryAfterMs: rate.resetAtMs !== undefined ? Math.max(0, rate.resetAtMs - options.clock.now()) : undefined,
        }),
      };
    } finally {
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return { send };
}
