/**
 * One GraphQL operation as the observability layer sees it: its request id, the caller's trace
 * context, its span, and its cost report. The context factory creates one per operation and hands it
 * down as the small interfaces the modules declare: the AfterShip client's `CallScope` (every call of
 * the operation carries `x-request-id` and `traceparent`, and is counted) and the loaders'
 * `CacheLookupRecorder`.
 *
 * How calls are counted (`aftershipCalls`): each HTTP request sent to AfterShip for the operation,
 * retries included, by endpoint, until the operation's result is ready. A call that serves several
 * lookups (an identical GET already in flight, or a batch of tracking numbers) is counted once, for
 * the operation whose lookup started it; every lookup that rode along on a call already on its way
 * (of another operation, or of this one) is counted in `joinedCalls`. So summing `aftershipCalls`
 * over operations gives what AfterShip saw. Background work (stale-while-revalidate refreshes,
 * subscription baselines, polling) belongs to no operation.
 */
import type { EndpointKey } from '../aftership/endpoints.js';
import type { CallScope, ScopedCall } from '../aftership/recorder.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { CacheEntryFacts, CacheKind } from '../cache/index.js';
import type { CacheLookupRecorder, CacheLookupResult } from '../loaders/index.js';
import type { OperationOutcome, OperationType } from './metrics.js';
import type { TraceContext, Tracer, TraceSpan } from './tracing.js';

/** `extensions.cost` of a result, and the access log's `cost`. */
export interface CostReport {
  /** The cost guard's worst case (AfterShip calls with nothing cached); null when the guard did not run. */
  estimated: number | null;
  /** HTTP requests sent to AfterShip for this operation, by endpoint (retries included). */
  aftershipCalls: Record<string, number>;
  /** Lookups answered by a call already on its way, by endpoint (counted where that call started). */
  joinedCalls: Record<string, number>;
  /** Loader lookups answered from the shared cache (fresh or stale). */
  cacheHits: number;
  /** Loader lookups the shared cache could not answer. */
  cacheMisses: number;
  /** Milliseconds this operation's calls waited for rate budget. */
  queuedMs: number;
  /** `hit`: answered by the response cache (nothing ran); `stored`: this result went into it. Absent: neither. */
  responseCache?: 'hit' | 'stored';
  /** With `responseCache`: how long the cached result may still be served, at most (a write invalidates it sooner). */
  maxAgeSeconds?: number;
}

/** Every read of an operation was a fresh shared-cache hit: the entries, and how long the first stays fresh. */
export interface CacheReads {
  dependencies: string[];
  freshForMs: number;
}

export interface OperationScope extends CallScope, CacheLookupRecorder {
  readonly requestId: string;
  /** The request's logger (bound to its request id). */
  readonly logger: Logger;
  /** The caller asked for `extensions.cost` (`x-cost-report: 1`). */
  readonly costReportRequested: boolean;
  /** Set by the cost guard when it has estimated the operation. */
  estimated: number | undefined;
  /** Set by the response cache (src/response-cache) when it answered or stored the result. */
  responseCache: { status: 'hit' | 'stored'; maxAgeMs: number } | undefined;
  /**
   * What the operation read, when every read was a fresh shared-cache hit (no AfterShip call sent or
   * joined, no miss, nothing stale); undefined otherwise, or when it read nothing.
   */
  cacheReads(): CacheReads | undefined;
  /** The operation is parsed and starts running: its span starts. */
  begin(name: string | undefined, type: OperationType): void;
  /** Its result is ready: the span ends, the report is final (later calls are not counted). */
  end(outcome: OperationOutcome): CostReport;
}

export interface OperationScopeOptions {
  requestId: string;
  logger: Logger;
  /** The caller's trace context (a valid `traceparent`). */
  trace?: TraceContext;
  /** Absent: tracing is off. */
  tracer?: Tracer;
  costReportRequested?: boolean;
  /** Where lookups are counted process-wide (metrics). */
  lookups?: CacheLookupRecorder;
  clock: Clock;
}

const add = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export function createOperationScope(options: OperationScopeOptions): OperationScope {
  const { requestId, tracer, clock } = options;
  const report: CostReport = { estimated: null, aftershipCalls: {}, joinedCalls: {}, cacheHits: 0, cacheMisses: 0, queuedMs: 0 };
  let span: TraceSpan | undefined;
  let ended = false;
  const reads = new Set<string>();
  let freshForMs = Infinity;
  let untracked = false;

  const scope: OperationScope = {
    requestId,
    logger: options.logger,
    costReportRequested: options.costReportRequested ?? false,
    estimated: undefined,
    responseCache: undefined,

    cacheReads() {
      if (untracked || reads.size === 0 || Object.keys(report.aftershipCalls).length > 0 || Object.keys(report.joinedCalls).length > 0) return undefined;
      return { dependencies: [...reads], freshForMs };
    },

    begin(name, type) {
      if (ended || span || !tracer) return;
      span = tracer.startOperation(name ? `${type} ${name}` : type, { 'graphql.operation.type': type, 'graphql.operation.name': name, 'gateway.request_id': requestId }, options.trace);
    },

    end(outcome) {
      if (!ended) {
        ended = true;
        report.estimated = scope.estimated === undefined || !Number.isFinite(scope.estimated) ? null : scope.estimated;
        if (scope.responseCache) {
          report.responseCache = scope.responseCache.status;
          report.maxAgeSeconds = Math.floor(scope.responseCache.maxAgeMs / 1000);
        }
        span?.setAttributes({
          'gateway.outcome': outcome,
          'gateway.cost.estimated': report.estimated ?? undefined,
          'gateway.cost.aftership_calls': Object.values(report.aftershipCalls).reduce((n, c) => n + c, 0),
          'gateway.cost.cache_hits': report.cacheHits,
          'gateway.cost.cache_misses': report.cacheMisses,
          'gateway.cost.queued_ms': report.queuedMs,
          'gateway.response_cache': report.responseCache,
        });
        span?.end(outcome !== 'success');
      }
      return { ...report, aftershipCalls: { ...report.aftershipCalls }, joinedCalls: { ...report.joinedCalls } };
    },

    startCall(endpoint: EndpointKey): ScopedCall {
      const startedAt = clock.now();
      const callSpan = span?.child(endpoint, { 'http.request.method': endpoint.split(' ')[0], 'url.template': endpoint.slice(endpoint.indexOf(' ') + 1), 'gateway.request_id': requestId });
      const trace = callSpan?.context ?? options.trace;
      const headers: Record<string, string> = { 'x-request-id': requestId, ...trace };
      let attempts = 0;
      let queuedMs = 0;
      return {
        headers,
        queued(ms) {
          queuedMs += ms;
          if (!ended) report.queuedMs += ms;
        },
        sent() {
          attempts++;
          untracked = true;
          if (!ended) add(report.aftershipCalls, endpoint);
        },
        end(status) {
          if (!callSpan) return;
          callSpan.setAttributes({
            'http.response.status_code': typeof status === 'number' ? status : undefined,
            'gateway.attempts': attempts,
            'gateway.queued_ms': queuedMs,
            'gateway.duration_ms': clock.now() - startedAt,
          });
          callSpan.end(status === 'error' || status >= 400);
        },
      };
    },

    joined(endpoint) {
      untracked = true;
      if (!ended) add(report.joinedCalls, endpoint);
    },

    cacheLookup(kind: CacheKind, result: CacheLookupResult, entry?: CacheEntryFacts) {
      options.lookups?.cacheLookup(kind, result);
      if (result !== 'hit' || !entry || entry.freshForMs <= 0) untracked = true;
      else {
        for (const key of entry.keys) reads.add(key);
        freshForMs = Math.min(freshForMs, entry.freshForMs);
      }
      if (ended) return;
      if (result === 'miss') report.cacheMisses++;
      else report.cacheHits++;
    },
  };
  return scope;
}
