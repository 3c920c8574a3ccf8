/**
 * graphql-yoga plugin: every operation is measured and reported. Metrics count it by name, type and
 * outcome (with its execution time); its scope (operation.ts, from the GraphQL context) starts and
 * ends its span; the access log line at `debug` carries its cost report, which also goes into
 * `extensions.cost` when the request asked with `x-cost-report: 1`.
 *
 * Mount it before the cost guard: a refused operation still ends here (outcome `refused`, with the
 * guard's estimate in its report).
 */
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Clock } from '../lib/clock.js';
import type { GatewayMetrics, OperationOutcome, OperationType } from './metrics.js';
import type { OperationScope } from './operation.js';

export interface OperationObserverOptions {
  metrics: Pick<GatewayMetrics, 'operation'>;
  clock: Clock;
  /** Told of each error of a result with the operation's request id (yoga logs them later, without it). */
  onError?: (error: Error, requestId: string) => void;
}

/** The scope the context factory put on the GraphQL context (absent for contexts built without one). */
export function operationOf(context: unknown): OperationScope | undefined {
  return (context as { operation?: OperationScope } | null | undefined)?.operation;
}

function describe(document: DocumentNode, operationName: string | null | undefined): { name: string | undefined; type: OperationType } {
  const op = getOperationAST(document, operationName);
  return { name: op?.name?.value, type: op?.operation ?? 'query' };
}

/** `refused`: no data at all (the spec's "request error": it never ran); `error`: ran with errors. */
function outcomeOf(result: ExecutionResult): OperationOutcome {
  if (!('data' in result) || result.data === undefined) return 'refused';
  return result.errors?.length ? 'error' : 'success';
}

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> => typeof v === 'object' && v !== null && Symbol.asyncIterator in v;

export function useOperationObserver(options: OperationObserverOptions): Plugin {
  const { metrics, clock } = options;
  return {
    onExecute({ args }) {
      const op = operationOf(args.contextValue);
      const { name, type } = describe(args.document, args.operationName);
      op?.begin(name, type);
      const startedAt = clock.now();
      return {
        onExecuteDone({ result, setResult }) {
          const ms = clock.now() - startedAt;
          // Incremental delivery (@defer/@stream): counted when the first part is ready.
          const outcome = isAsyncIterable(result) ? 'success' : outcomeOf(result);
          metrics.operation(name, type, outcome, ms / 1000);
          if (!op) return;
          if (!isAsyncIterable(result)) for (const e of result.errors ?? []) options.onError?.(e, op.requestId);
          const cost = op.end(outcome);
          if (op.logger.isLevelEnabled('debug')) op.logger.debug({ operation: name ?? null, type, outcome, ms, cost }, 'GraphQL operation');
          if (op.costReportRequested && !isAsyncIterable(result)) setResult({ ...result, extensions: { ...result.extensions, cost } });
        },
      };
    },
    onSubscribe({ args }) {
      const op = operationOf(args.contextValue);
      const { name, type } = describe(args.document, args.operationName);
      op?.begin(name, type);
      return {
        // Counted once set up: a stream is a success, an immediate result a refusal or an error.
        onSubscribeResult({ result }) {
          const outcome = isAsyncIterable(result) ? 'success' : outcomeOf(result);
          metrics.operation(name, type, outcome);
          const cost = op?.end(outcome);
          if (op?.logger.isLevelEnabled('debug')) op.logger.debug({ operation: name ?? null, type, outcome, cost }, 'GraphQL subscription');
        },
      };
    },
  };
}
