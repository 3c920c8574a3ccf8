/**
 * graphql-yoga plugin: whole query results answered from the response cache (store.ts) before any
 * GraphQL work (parse, validation, context, cost guard, execution), keyed by (document, operation
 * name, variables, account, scopes): two tokens of one account with different scopes, or of two
 * accounts, never share a result. Mounted after access control (the viewer is known) and client
 * limits, so a cached answer is counted and bounded like any other.
 *
 * Stored: queries only (never mutations or subscriptions), results without errors and without
 * incremental delivery, whose root fields all read through the loaders (`CACHEABLE_ROOT_FIELDS`) and
 * whose every lookup was a fresh shared-cache hit (the operation scope says which entries).
 *
 * Each answer says what happened in `x-response-cache` (`hit`, `stored`, or `miss`), with `age` on a hit;
 * `x-cost-report: 1` gets the usual report, truthful on a hit (no AfterShip call, no lookup) with
 * `responseCache` and `maxAgeSeconds` (when the entry expires at the latest).
 */
import { getOperationAST, Kind, type DocumentNode, type ExecutionResult, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { accessKeyOf, type Viewer } from '../auth/viewer.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { OperationScope } from '../observability/operation.js';
import type { ResponseStore } from './store.js';

/** Root fields whose whole subtree reads through the loaders (src/loaders), so the scope sees every read. */
export const CACHEABLE_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'tracking',
  'trackingByNumber',
  'courier',
  'couriers',
  'carrierConnection',
  'node',
  'nodes',
  'predictEstimatedDeliveries',
  '__typename',
]);

export const RESPONSE_CACHE_HEADER = 'x-response-cache';
export type ResponseCacheStatus = 'hit' | 'stored' | 'miss';

export interface ResponseCacheOptions {
  store: ResponseStore;
  clock: Clock;
  metrics: Pick<GatewayMetrics, 'operation' | 'responseCache'>;
  /** The scope of an operation answered from the cache (its span, log line and cost report), as the context factory makes it. */
  operation(facts: { requestId?: string; request?: Request; logger: Logger }): OperationScope;
  logger: Logger;
}

interface ServerFacts {
  viewer?: Viewer;
  requestId?: string;
}

const sessions = new WeakMap<Viewer, string>();
/** Who may share an answer: account, scopes and lookup-only (auth/viewer.ts accessKeyOf), kept per viewer object. */
function sessionOf(viewer: Viewer): string {
  let session = sessions.get(viewer);
  if (session === undefined) sessions.set(viewer, (session = accessKeyOf(viewer)));
  return session;
}

/**
 * The operation's key; undefined when its variables cannot be written down (nested past the stack:
 * the document limits refuse them later, src/schema/document-limits.ts).
 */
function keyOf(viewer: Viewer, params: { query?: string; operationName?: string | null; variables?: unknown }): string | undefined {
  let variables: string;
  try {
    variables = JSON.stringify(params.variables ?? null);
  } catch {
    return undefined;
  }
  return `${sessionOf(viewer)}\u0000${params.operationName ?? ''}\u0000${variables}\u0000${params.query}`;
}

const isAsyncIterable = (v: unknown): boolean => typeof v === 'object' && v !== null && Symbol.asyncIterator in v;

/** Every root field the operation selects (through fragments too) is in `CACHEABLE_ROOT_FIELDS`. */
function rootFieldsCacheable(document: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): boolean {
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD) {
      if (!CACHEABLE_ROOT_FIELDS.has(s.name.value)) return false;
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (!rootFieldsCacheable(document, s.selectionSet, seen)) return false;
    } else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
      if (!fragment || fragment.kind !== Kind.FRAGMENT_DEFINITION || !rootFieldsCacheable(document, fragment.selectionSet, seen)) return false;
    }
  }
  return true;
}

export function useResponseCache(options: ResponseCacheOptions): Plugin {
  const { store, clock, metrics } = options;
  // By yoga's params object (it becomes the GraphQL context's `params`): the operation's key.
  const keys = new WeakMap<object, string>();
  // By request: what the cache did, for the response's header.
  const outcomes = new WeakMap<Request, { status: ResponseCacheStatus; ageMs?: number }>();

  return {
    onParams({ params, context, setResult, request }) {
      const { viewer, requestId } = context as ServerFacts;
      if (!viewer || typeof params.query !== 'string') return;
      const key = keyOf(viewer, params);
      if (key === undefined) return;
      keys.set(params, key);
      const startedAt = clock.now();
      const hit = store.get(key);
      if (!hit) {
        outcomes.set(request, { status: 'miss' });
        metrics.responseCache('miss');
        return;
      }
      metrics.responseCache('hit');
      outcomes.set(request, { status: 'hit', ageMs: hit.ageMs });
      const { response } = hit;
      const op = options.operation({ requestId, request, logger: options.logger });
      op.estimated = response.estimated ?? undefined;
      op.responseCache = { status: 'hit', maxAgeMs: hit.maxAgeMs };
      op.begin(response.operationName, 'query');
      const cost = op.end('success');
      const ms = clock.now() - startedAt;
      metrics.operation(response.operationName, 'query', 'success', ms / 1000);
      if (op.logger.isLevelEnabled('debug')) op.logger.debug({ operation: response.operationName ?? null, type: 'query', outcome: 'success', ms, cost }, 'GraphQL operation');
      setResult(op.costReportRequested ? { ...response.result, extensions: { ...response.result.extensions, cost } } : response.result);
    },

    onExecute({ args }) {
      const context = args.contextValue as { operation?: OperationScope; params?: object; request?: Request } | undefined;
      const key = context?.params ? keys.get(context.params) : undefined;
      const op = context?.operation;
      const request = context?.request;
      if (key === undefined || !op || !request) return;
      const definition = getOperationAST(args.document, args.operationName);
      if (definition?.operation !== 'query' || !rootFieldsCacheable(args.document, definition.selectionSet)) return;
      const since = store.sequence();
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          const r = result as ExecutionResult;
          const reads = op.cacheReads();
          if (r.errors?.length || !r.data || !reads) return;
          const response = { result: r, operationName: definition.name?.value, estimated: op.estimated === undefined || !Number.isFinite(op.estimated) ? null : op.estimated };
          if (!store.set(key, response, reads.dependencies, reads.freshForMs, since)) return;
          op.responseCache = { status: 'stored', maxAgeMs: reads.freshForMs };
          outcomes.set(request, { status: 'stored' });
          metrics.responseCache('stored');
        },
      };
    },

    onResponse({ request, response }) {
      const outcome = outcomes.get(request);
      if (!outcome) return;
      response.headers.set(RESPONSE_CACHE_HEADER, outcome.status);
      if (outcome.ageMs !== undefined) response.headers.set('age', String(Math.floor(outcome.ageMs / 1000)));
    },
  };
}
