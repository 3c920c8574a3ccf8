/**
 * `createAfterShipClient`: the one object that speaks to AfterShip's Tracking API 2026-07.
 * Typed methods (data unwrapped from `{ meta, data }`), one per endpoint, on top of the
 * executor pipeline (circuit → budget → transport → retry), plus two ways to send fewer calls:
 * identical GETs in flight share one request (single-flight), and tracking-number lookups merge
 * into list calls (batcher).
 */
import { systemClock, type Clock } from '../lib/clock.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import type { AfterShipAuth } from './auth.js';
import { createTrackingBatcher, matchTracking, validateTrackingNumber } from './batcher.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { MAX_EDD_BATCH, MAX_LIST_LIMIT, MAX_TRACKING_NUMBERS_PER_LIST, type EndpointKey } from './endpoints.js';
import { AfterShipError, ErrorCode } from './errors.js';
import { createExecutor, type ExecuteOptions } from './executor.js';
import { createRateBudget, type Permit, type RateBudget } from './rate-budget.js';
import { resolveRetryPolicy, type RetryClass, type RetryPolicy } from './retry.js';
import { canonicalQuery, type QueryParams } from './signing.js';
import { createSingleFlight } from './single-flight.js';
import { createStatsRecorder } from './stats.js';
import { noopAfterShipRecorder, type AfterShipRecorder, type CallScope } from './recorder.js';
import { createTransport, type HttpMethod } from './transport.js';
import type { AfterShipClient, CallOptions, Priority } from './types.js';
import type {
  Courier,
  CourierConnection,
  CourierConnectionList,
  CourierList,
  EddBatch,
  EddResponse,
  Tracking,
  TrackingList,
} from './wire-types.js';

export interface AfterShipClientOptions {
  /** e.g. https://api.aftership.com or http://127.0.0.1:5555 (the client appends /tracking/2026-07). */
  baseUrl: string;
  auth: AfterShipAuth;
  /** Transport; tests pass fakes. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default systemClock */
  clock?: Clock;
  /** @default createRateBudget({ clock }) with an in-memory store */
  budget?: RateBudget;
  /** Per HTTP attempt. @default 10000 */
  timeoutMs?: number;
  /** @default 3 retries (1 for creates), full-jitter back-off from 200 ms, capped at 5 s */
  retry?: Partial<RetryPolicy>;
  /** @default 5 consecutive failures open the circuit for 10 s, then one probe */
  circuit?: { failureThreshold?: number; openMs?: number };
  /** Jitter source (tests). @default Math.random */
  random?: () => number;
  /** @default silentLogger */
  logger?: Logger;
  /** How long a tracking-number batch collects before queueing. @default 3 */
  batchWindowMs?: number;
  /** Numbers per `GET /trackings?tracking_numbers=` call, 1..50. @default 50 */
  batchMaxSize?: number;
  /** Metrics of every attempt, queue wait, refusal and 429. @default records nothing */
  recorder?: AfterShipRecorder;
}

/** How many tracking ids the client remembers (id → number + slug) to route getTracking via batches. */
const KNOWN_IDS = 10_000;

export function createAfterShipClient(options: AfterShipClientOptions): AfterShipClient {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'aftership-client' });
  const budget = options.budget ?? createRateBudget({ clock });
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0)) throw new Error(`timeoutMs must be > 0, got ${timeoutMs}`);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new Error('No fetch available: pass options.fetch');
  const transport = createTransport({ baseUrl: options.baseUrl, auth: options.auth, fetch: fetchImpl, clock, timeoutMs });
  const circuit = createCircuitBreaker({ ...options.circuit, clock, logger });
  const stats = createStatsRecorder();
  const recorder = options.recorder ?? noopAfterShipRecorder;
  const execute = createExecutor({
    transport,
    budget,
    circuit,
    stats,
    recorder,
    policy: resolveRetryPolicy(options.retry),
    auth: options.auth,
    clock,
    random: options.random ?? Math.random,
    logger,
  });
  const flights = createSingleFlight();

  /** id → number + slug of trackings seen recently (insertion-ordered Map as a small LRU). */
  const known = new Map<string, { number: string; slug?: string }>();
  const learn = (t: Tracking | null | undefined): void => {
    if (!t?.id || !t.tracking_number) return;
    known.delete(t.id);
    known.set(t.id, { number: t.tracking_number, slug: t.slug });
    if (known.size > KNOWN_IDS) known.delete(known.keys().next().value as string);
  };

  const call = async <T>(
    endpoint: EndpointKey,
    method: HttpMethod,
    path: string,
    cls: RetryClass,
    o: ExecuteOptions,
    extra: { query?: QueryParams; body?: unknown } = {},
  ): Promise<T> => (await execute({ endpoint, method, path, ...extra }, cls, o)) as T;

  const idPath = (base: string, id: string, suffix = ''): string => {
    if (typeof id !== 'string' || id.trim() === '') {
      throw new AfterShipError({ code: ErrorCode.BadUserInput, message: `Expected a non-empty id for ${base}, got ${JSON.stringify(id)}` });
    }
    return `${base}/${encodeURIComponent(id.trim())}${suffix}`;
  };

  const batcher = createTrackingBatcher({
    clock,
    budget,
    windowMs: options.batchWindowMs,
    maxSize: options.batchMaxSize ?? MAX_TRACKING_NUMBERS_PER_LIST,
    onMerged: (scope) => {
      stats.merged();
      scope?.joined('GET /trackings');
    },
    // Counted per refused lookup: that is what callers experience.
    onRateLimited: () => {
      stats.rateLimited('GET /trackings');
      recorder.rateLimited('GET /trackings');
    },
    async fetchBatch(numbers: string[], priority: Priority, permit: Permit, scope: CallScope | undefined, client: string) {
      const list = await call<TrackingList>('GET /trackings', 'GET', '/trackings', 'idempotent', { priority, permit, scope, client }, {
        query: { tracking_numbers: numbers.join(','), limit: MAX_LIST_LIMIT },
      });
      const trackings = Array.isArray(list?.trackings) ? list.trackings : [];
      trackings.forEach(learn);
      return trackings;
    },
  });

  /** The tracking with this number (+ slug): used to resolve a create that was re-sent. */
  const findExisting = async (number: string, slug: string | undefined, o: ExecuteOptions): Promise<Tracking | null> => {
    const list = await call<TrackingList>('GET /trackings', 'GET', '/trackings', 'idempotent', { priority: o.priority, signal: o.signal, scope: o.scope }, {
      query: { tracking_numbers: number, slug },
    });
    return matchTracking(list.trackings ?? [], number, slug);
  };

  /** The client's methods; calls without a scope of their own are made for `scope`. */
  const build = (scope: CallScope | undefined): AfterShipClient => {
    /** Background work (stale refreshes, subscription baselines, polls) belongs to no operation. */
    const scopeOf = (o: CallOptions | undefined): CallScope | undefined => o?.scope ?? ((o?.priority ?? 'interactive') === 'interactive' ? scope : undefined);
    const opts = (o: CallOptions | undefined, extra: Partial<ExecuteOptions> = {}): ExecuteOptions => ({
      priority: o?.priority ?? 'interactive',
      signal: o?.signal,
      scope: scopeOf(o),
      client: o?.client,
      ...extra,
    });

    /**
     * GETs: identical ones in flight share one request. A background caller may join an interactive
     * request, never the other way round: an interactive caller would wait in the background lane
     * (served only when no interactive call waits) behind someone else's poll or refresh. The request
     * is made in the scope of the caller that started it; joiners are told they joined.
     */
    const get = <T>(endpoint: EndpointKey, path: string, query: QueryParams | undefined, o: CallOptions | undefined): Promise<T> => {
      const request = `${path}?${canonicalQuery(query)}`;
      const interactive = `interactive ${request}`;
      const key = (o?.priority ?? 'interactive') === 'interactive' || flights.has(interactive) ? interactive : `background ${request}`;
      const eo = opts(o);
      return flights.run<T>(
        key,
        (signal) => call<T>(endpoint, 'GET', path, 'idempotent', { ...eo, signal }, { query }),
        o?.signal,
        () => {
          stats.merged();
          eo.scope?.joined(endpoint);
        },
      );
    };

    const client: AfterShipClient = {
      async listTrackings(query, o) {
        const list = await get<TrackingList>('GET /trackings', '/trackings', query as QueryParams | undefined, o);
        list.trackings?.forEach(learn);
        return list;
      },

      async getTracking(id, query, o) {
        const path = idPath('/trackings', id);
        // Prefer the endpoint with room: GET /trackings/:id allows 5/s, a list call carries 50
        // numbers at 6/s. When /:id is congested and we know the id's number (from an earlier
        // answer), ask through the batcher; fall back to /:id when the batch does not have it
        // (e.g. older than the list's 120-day window). Only without `fields`/`lang`, whose
        // answers differ from the list's.
        const k = known.get(id);
        if (k && !query?.fields && !query?.lang && budget.waiting('GET /trackings/:id') > 0) {
          const t = await batcher.lookup(k.number, k.slug, o?.priority, o?.signal, scopeOf(o), o?.client);
          if (t?.id === id) return t;
        }
        const t = await get<Tracking>('GET /trackings/:id', path, query as QueryParams | undefined, o);
        learn(t);
        return t;
      },

      async getTrackingByNumber(trackingNumber, slug, o) {
        return batcher.lookup(trackingNumber, slug, o?.priority, o?.signal, scopeOf(o), o?.client);
      },

      async createTracking(body, o) {
        const invalid = validateTrackingNumber(body?.tracking_number);
        if (invalid) throw new AfterShipError({ code: ErrorCode.InvalidTrackingNumber, message: `Invalid tracking number: ${invalid}`, endpoint: 'POST /trackings' });
        const eo = opts(o);
        const t = await call<Tracking>('POST /trackings', 'POST', '/trackings', 'create', {
          ...eo,
          // A re-sent create answered "already exists": the first attempt did create it.
          resolveAfterAmbiguous: (e) =>
            e.metaCode === 4003
              ? findExisting(body.tracking_number.trim(), body.slug, eo).then((found) => {
                  if (!found) throw e;
                  return found;
                })
              : undefined,
        }, { body });
        learn(t);
        return t;
      },

      async updateTracking(id, body, o) {
        const t = await call<Tracking>('PUT /trackings/:id', 'PUT', idPath('/trackings', id), 'idempotent', opts(o), { body });
        learn(t);
        return t;
      },

      deleteTracking: (id, o) => call<Tracking>('DELETE /trackings/:id', 'DELETE', idPath('/trackings', id), 'idempotent', opts(o)),

      async retrackTracking(id, o) {
        const eo = opts(o);
        return call<Tracking>('POST /trackings/:id/retrack', 'POST', idPath('/trackings', id, '/retrack'), 'state', {
          ...eo,
          // 4013 on a re-sent retrack: the first attempt already made it active again.
          resolveAfterAmbiguous: (e) => (e.metaCode === 4013 ? client.getTracking(id, undefined, { priority: eo.priority, signal: eo.signal, scope: eo.scope }) : undefined),
        });
      },

      markTrackingCompleted: (id, body, o) =>
        call<Tracking>('POST /trackings/:id/mark-as-completed', 'POST', idPath('/trackings', id, '/mark-as-completed'), 'state', opts(o), { body }),

      async listCouriers(query, o) {
        const list = await get<CourierList>('GET /couriers', '/couriers', query as QueryParams | undefined, o);
        return list.couriers ?? [];
      },

      async detectCouriers(body, o) {
        const list = await call<CourierList>('POST /couriers/detect', 'POST', '/couriers/detect', 'idempotent', opts(o), { body });
        return list.couriers ?? [];
      },

      predictEdd: (body, o) =>
        call<EddResponse>('POST /estimated-delivery-date/predict', 'POST', '/estimated-delivery-date/predict', 'idempotent', opts(o), { body }),

      async predictEddBatch(items, o) {
        if (!Array.isArray(items)) throw new AfterShipError({ code: ErrorCode.BadUserInput, message: 'predictEddBatch expects an array' });
        const chunks: (typeof items)[] = [];
        for (let i = 0; i < items.length; i += MAX_EDD_BATCH) chunks.push(items.slice(i, i + MAX_EDD_BATCH));
        const answers = await Promise.all(
          chunks.map(async (chunk, c) => {
            const data = await call<EddBatch<EddResponse>>(
              'POST /estimated-delivery-date/predict-batch',
              'POST',
              '/estimated-delivery-date/predict-batch',
              'idempotent',
              opts(o),
              { body: { estimated_delivery_dates: chunk } },
            ).catch((e: unknown) => {
              // AfterShip numbers the items of this batch; the caller's list started earlier.
              throw e instanceof AfterShipError ? e.atItemOffset(c * MAX_EDD_BATCH) : e;
            });
            const out = data.estimated_delivery_dates ?? [];
            if (out.length !== chunk.length) {
              throw new AfterShipError({
                code: ErrorCode.UpstreamUnavailable,
                message: `AfterShip predict-batch answered ${out.length} dates for ${chunk.length} inputs`,
                endpoint: 'POST /estimated-delivery-date/predict-batch',
              });
            }
            return out;
          }),
        );
        return answers.flat();
      },

      listCourierConnections: (query, o) =>
        get<CourierConnectionList>('GET /courier-connections', '/courier-connections', query as QueryParams | undefined, o),
      getCourierConnection: (id, o) => get<CourierConnection>('GET /courier-connections/:id', idPath('/courier-connections', id), undefined, o),
      createCourierConnection: (body, o) =>
        call<CourierConnection>('POST /courier-connections', 'POST', '/courier-connections', 'unsafe', opts(o), { body }),
      updateCourierConnection: (id, body, o) =>
        call<CourierConnection>('PATCH /courier-connections/:id', 'PATCH', idPath('/courier-connections', id), 'idempotent', opts(o), { body }),
      deleteCourierConnection: (id, o) =>
        call<CourierConnection>('DELETE /courier-connections/:id', 'DELETE', idPath('/courier-connections', id), 'idempotent', opts(o)),

      stats: () => {
        const b = budget.stats();
        return { ...stats.snapshot(circuit.state()), budget: { waiting: b.waiting.interactive + b.waiting.background, granted: b.granted, rejected: b.rejected } };
      },
      withScope: (s) => build(s),
    };
    return client;
  };
  return build(undefined);
}

export type { Courier };
