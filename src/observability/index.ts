/**
 * Observability: Prometheus metrics (metrics.ts), W3C trace context and OpenTelemetry spans
 * (tracing.ts, otel.ts), and the per-operation scope that ties an operation's AfterShip calls, cache
 * lookups, log lines and cost report to its request id (operation.ts). `createObservability` is
 * called once per app; modules receive the small recorder interfaces they declare, never a global.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.js';
import { createOperationScope, type OperationScope } from './operation.js';
import { readTraceContext, startTracing, type Tracing } from './tracing.js';

export interface Observability {
  readonly metrics: GatewayMetrics;
  readonly tracing: Tracing;
  /** The scope of one GraphQL operation; `logger` is bound to the request id here. */
  operation(facts: { requestId?: string; request?: Request; logger: Logger }): OperationScope;
  /** The request id of an operation's error (tagged when its result was ready), for the log line yoga writes about it. */
  requestIdOf(error: Error): string | undefined;
  tagError(error: Error, requestId: string): void;
  /** Exports the spans still buffered. */
  close(): Promise<void>;
}

/** The request header asking for `extensions.cost`. */
export const COST_REPORT_HEADER = 'x-cost-report';

export async function createObservability(config: Config['observability'], deps: { clock: Clock }): Promise<Observability> {
  const metrics = createGatewayMetrics();
  const tracing = await startTracing({ endpoint: config.otlp?.endpoint, headers: config.otlp?.headers, serviceName: config.serviceName });
  const errorRequests = new WeakMap<Error, string>();
  return {
    metrics,
    tracing,
    operation({ requestId = randomUUID(), request, logger }) {
      const asked = request?.headers.get(COST_REPORT_HEADER)?.trim().toLowerCase();
      return createOperationScope({
        requestId,
        logger: logger.child({ requestId }),
        trace: request ? readTraceContext(request.headers) : undefined,
        tracer: tracing.tracer,
        costReportRequested: asked === '1' || asked === 'true',
        lookups: metrics,
        clock: deps.clock,
      });
    },
    requestIdOf: (error) => errorRequests.get(error),
    tagError: (error, requestId) => void errorRequests.set(error, requestId),
    close: () => tracing.shutdown(),
  };
}

export { createGatewayMetrics, MAX_OPERATION_NAMES, type GatewayMetrics, type MetricSources, type OperationOutcome, type OperationType } from './metrics.js';
export { createOperationScope, type CostReport, type OperationScope } from './operation.js';
export { readTraceContext, startTracing, type TraceContext, type Tracer, type Tracing } from './tracing.js';
export { operationOf, useOperationObserver, type OperationObserverOptions } from './use-operation-observer.js';
