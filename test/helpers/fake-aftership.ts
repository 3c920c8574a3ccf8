/**
 * A small in-memory AfterShip behind a `fetch` function, for the client's unit tests: the
 * 2026-07 routes the client uses, envelopes, meta codes, per-endpoint sliding-window limits with
 * X-RateLimit-* headers, and fault injection. It counts every request by arrival time so tests can
 * check "never over the limit in any rolling second" from the upstream's point of view.
 */
import { createHmac } from 'node:crypto';
import type { Clock } from '../../src/lib/clock.js';
import { ENDPOINT_LIMITS_PER_SECOND, endpointKeyOf } from '../../src/aftership/endpoints.js';
import { signString } from '../../src/aftership/signing.js';
import type { Tracking } from '../../src/aftership/wire-types.js';

export interface FakeRequest {
  at: number;
  method: string;
  endpoint: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body?: string;
  /** Undefined when no answer was given (hung or dropped). */
  status?: number;
  /** X-RateLimit-Reset sent with the answer (Unix seconds). */
  reset?: number;
}

export interface FakeFaults {
  /** Share of requests answered 503 (decided with `random`). */
  error5xxRatio?: number;
  /** The next N requests are answered 429 (storm). */
  force429?: number;
  /** The next N requests get no answer until aborted (timeout). */
  hang?: number;
  /** The next N POST /trackings are processed but never answered (timeout after the effect). */
  createThenHang?: number;
  /** The next N requests (any endpoint) are processed but never answered. */
  processThenHang?: number;
  /** The next N requests fail with a dropped connection (TypeError). */
  drop?: number;
  /** The next N requests are answered 401. */
  unauthorized?: number;
}

export interface FakeAfterShipOptions {
  clock: Clock;
  apiKey?: string;
  /** When set, requests must carry a valid as-signature-hmac-sha256. */
  apiSecret?: string;
  /** Accepted bearer tokens (instead of the api key). */
  bearerTokens?: string[];
  limitsPerSecond?: Record<string, number>;
  /** Enforce limits (answer 429)? @default true */
  enforceLimits?: boolean;
  random?: () => number;
}

type Json = Record<string, unknown>;

/** Deterministic PRNG (mulberry32) for fault injection and jitter in tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createFakeAfterShip(options: FakeAfterShipOptions) {
  const { clock } = options;
  const apiKey = options.apiKey ?? 'test-key';
  const limits: Record<string, number> = { ...ENDPOINT_LIMITS_PER_SECOND, ...options.limitsPerSecond };
  const random = options.random ?? Math.random;
  const faults: FakeFaults = {};
  const requests: FakeRequest[] = [];
  const trackings = new Map<string, Tracking>();
  const windows = new Map<string, number[]>();
  let nextId = 1;

  const envelope = (status: number, data: unknown, extra: Json = {}, meta?: Json): Response =>
    new Response(JSON.stringify({ meta: meta ?? { code: status }, data }), {
      status,
      headers: { 'content-type': 'application/json', ...(extra as Record<string, string>) },
    });
  const error = (status: number, code: number, message: string, headers: Json = {}): Response =>
    envelope(status, {}, headers, { code, message, type: status === 404 ? 'NotFound' : status === 429 ? 'TooManyRequests' : 'BadRequest' });

  /** Sliding window by arrival: returns headers, and whether this request is over the limit. */
  function rate(endpoint: string, now: number): { over: boolean; headers: Json } {
    const limit = limits[endpoint] ?? 10;
    let log = windows.get(endpoint);
    if (!log) windows.set(endpoint, (log = []));
    while (log.length && log[0] <= now - 1000) log.shift();
    const over = options.enforceLimits !== false && log.length >= limit;
    if (!over) log.push(now);
    const resetMs = log.length ? log[0] + 1000 : now + 1000;
    return {
      over,
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(0, limit - log.length)),
        'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
      },
    };
  }

  const hangUntilAbort = (signal: AbortSignal | null | undefined): Promise<Response> =>
    new Promise((_, reject) => {
      const fail = (): void => reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
      if (signal?.aborted) fail();
      signal?.addEventListener('abort', fail, { once: true });
    });

  function authorized(req: FakeRequest, url: URL, method: string): boolean {
    const h = req.headers;
    const bearer = h.get('authorization');
    if (bearer) return (options.bearerTokens ?? []).includes(bearer.replace(/^Bearer /, ''));
    if (h.get('as-api-key') !== apiKey) return false;
    if (!options.apiSecret) return true;
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const expected = createHmac('sha256', options.apiSecret)
      .update(signString({ method, path: url.pathname, query, body: req.body, date: h.get('date') ?? '', headers: { 'as-api-key': apiKey } }))
      .digest('base64');
    return h.get('as-signature-hmac-sha256') === expected;
  }

  function route(method: string, endpoint: string, url: URL, body: Json | undefined, id: string | undefined): Response {
    const find = (): Tracking | undefined => (id ? trackings.get(id) : undefined);
    switch (endpoint) {
      case 'GET /trackings': {
        const numbers = url.searchParams.get('tracking_numbers')?.split(',');
        const slugs = url.searchParams.get('slug')?.split(',');
        const limit = Number(url.searchParams.get('limit') ?? 100);
        if (numbers && numbers.length > 50) return error(400, 4008, 'The value of `tracking_numbers` is invalid.');
        const all = [...trackings.values()].reverse().filter(
          (t) => (!numbers || numbers.includes(t.tracking_number ?? '')) && (!slugs || slugs.includes(t.slug ?? '')),
        );
        return envelope(200, { pagination: { total: all.length, next_cursor: '', has_next_page: all.length > limit }, trackings: all.slice(0, limit) });
      }
      case 'POST /trackings': {
        const number = typeof body?.tracking_number === 'string' ? body.tracking_number : '';
        if (!number) return error(400, 4007, '`tracking_number` is required.');
        const slug = typeof body?.slug === 'string' ? body.slug : 'dhl';
        for (const t of trackings.values()) {
          if (t.tracking_number === number && t.slug === slug) return error(400, 4003, 'Tracking already exists.');
        }
        const t: Tracking = { id: `t${nextId++}`, tracking_number: number, slug, active: true, tag: 'Pending', title: (body?.title as string) ?? null };
        trackings.set(t.id as string, t);
        return envelope(201, t);
      }
      case 'GET /trackings/:id':
      case 'PUT /trackings/:id':
      case 'DELETE /trackings/:id':
      case 'POST /trackings/:id/retrack':
      case 'POST /trackings/:id/mark-as-completed': {
        const t = find();
        if (!t) return error(404, 4004, 'Tracking does not exist.');
        if (method === 'PUT') Object.assign(t, body);
        if (method === 'DELETE') trackings.delete(t.id as string);
        if (endpoint.endsWith('retrack')) {
          if (t.active) return error(400, 4013, 'Retrack is not allowed. You can only retrack an inactive tracking.');
          t.active = true;
        }
        if (endpoint.endsWith('mark-as-completed')) Object.assign(t, { active: false, tag: 'Delivered' });
        return envelope(200, t);
      }
      case 'GET /couriers':
      case 'POST /couriers/detect':
        return envelope(200, { total: 2, couriers: [{ slug: 'dhl', name: 'DHL' }, { slug: 'ups', name: 'UPS' }] });
      case 'POST /estimated-delivery-date/predict':
        return envelope(200, { ...body, id: `edd${nextId++}`, estimated_delivery_date: '2026-03-20' });
      case 'POST /estimated-delivery-date/predict-batch': {
        const items = (body?.estimated_delivery_dates as Json[] | undefined) ?? [];
        if (items.length > 5) return error(400, 4008, 'The value of `estimated_delivery_dates` is invalid.');
        return envelope(200, { estimated_delivery_dates: items.map((i) => ({ ...i, id: `edd${nextId++}`, estimated_delivery_date: '2026-03-20' })) });
      }
      default:
        return envelope(200, { id: id ?? `cc${nextId++}`, courier_slug: 'dhl-api', ...body });
    }
  }

  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const rel = url.pathname.replace(/^\/tracking\/2026-07/, '');
    const endpoint = endpointKeyOf(method, rel) ?? `${method} ${rel}`;
    const id = /^\/(?:trackings|courier-connections)\/([^/]+)/.exec(rel)?.[1];
    const bodyText = typeof init?.body === 'string' ? init.body : undefined;
    const req: FakeRequest = { at: clock.now(), method, endpoint, path: rel, query: url.searchParams, headers: new Headers(init?.headers), body: bodyText };
    requests.push(req);
    await Promise.resolve(); // answer asynchronously, like a network would
    const take = (k: keyof FakeFaults): boolean => {
      const n = faults[k] ?? 0;
      if (n > 0) faults[k] = n - 1;
      return n > 0;
    };
    if (take('drop')) throw new TypeError('fetch failed');
    if (take('hang')) return hangUntilAbort(init?.signal);
    const answer = (res: Response): Response => ((req.status = res.status), res);
    if (take('unauthorized') || !authorized(req, url, method)) return answer(error(401, 401, 'The API Key is invalid.'));
    const r = rate(endpoint, req.at);
    req.reset = Number(r.headers['x-ratelimit-reset']);
    if (r.over || take('force429')) return answer(error(429, 429, 'You have exceeded the API call rate limit.', r.headers));
    if ((faults.error5xxRatio ?? 0) > 0 && random() < (faults.error5xxRatio ?? 0)) {
      return answer(envelope(503, {}, r.headers, { code: 503, message: 'Service unavailable', type: 'InternalError' }));
    }
    const body = bodyText ? (JSON.parse(bodyText) as Json) : undefined;
    const res = route(method, endpoint, url, body, id === undefined ? undefined : decodeURIComponent(id));
    for (const [k, v] of Object.entries(r.headers)) res.headers.set(k, String(v));
    if (endpoint === 'POST /trackings' && take('createThenHang')) return hangUntilAbort(init?.signal);
    if (take('processThenHang')) return hangUntilAbort(init?.signal);
    return answer(res);
  };

  /** Most requests (by arrival, any status but 429) of `endpoint` in any half-open window of `windowMs`. */
  function maxInAnyWindow(endpoint: string | undefined, windowMs: number): number {
    const ats = requests.filter((r) => (endpoint === undefined || r.endpoint === endpoint) && r.status !== 429).map((r) => r.at).sort((a, b) => a - b);
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < ats.length; hi++) {
      while (ats[hi] - ats[lo] >= windowMs) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  return {
    fetch: fakeFetch as typeof fetch,
    faults,
    requests,
    trackings,
    count: (endpoint?: string): number => requests.filter((r) => endpoint === undefined || r.endpoint === endpoint).length,
    count429: (): number => requests.filter((r) => r.status === 429).length,
    maxInAnyWindow,
    seed(t: Tracking): Tracking {
      const full = { id: `t${nextId++}`, active: true, tag: 'InTransit', ...t } as Tracking;
      trackings.set(full.id as string, full);
      return full;
    },
  };
}

export type FakeAfterShip = ReturnType<typeof createFakeAfterShip>;
