/**
 * The OpenTelemetry SDK behind `Tracer` (tracing.ts), loaded only when an OTLP endpoint is configured.
 * Spans are batched and exported over OTLP/HTTP (JSON). Nothing is registered globally (no global
 * tracer provider, propagator or context manager): parents are passed explicitly, so several apps in
 * one process (tests) each keep their own provider.
 */
import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanAttributes, TraceContext, TraceSpan, Tracing, TracingOptions } from './tracing.js';

const attributes = (a: SpanAttributes): Attributes =>
  Object.fromEntries(Object.entries(a).filter((e): e is [string, string | number | boolean] => e[1] !== undefined));

export function createOtelTracing(options: TracingOptions & { endpoint: string }): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces`, headers: { ...options.headers } });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('aftership-graphql-gateway');
  const propagator = new W3CTraceContextPropagator();

  const wrap = (span: Span): TraceSpan => {
    const context = trace.setSpan(ROOT_CONTEXT, span);
    const headers: Record<string, string> = {};
    propagator.inject(context, headers, defaultTextMapSetter);
    const own: TraceContext = headers.tracestate ? { traceparent: headers.traceparent, tracestate: headers.tracestate } : { traceparent: headers.traceparent };
    return {
      context: own,
      child: (name, a) => wrap(tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes: attributes(a) }, context)),
      setAttributes: (a) => void span.setAttributes(attributes(a)),
      end(failed) {
        if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      },
    };
  };

  return {
    tracer: {
      startOperation(name, a, parent) {
        const context = parent ? propagator.extract(ROOT_CONTEXT, parent, defaultTextMapGetter) : ROOT_CONTEXT;
        return wrap(tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: attributes(a) }, context));
      },
    },
    shutdown: () => provider.shutdown(),
  };
}
