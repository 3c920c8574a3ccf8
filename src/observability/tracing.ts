/**
 * Tracing: W3C trace context in, spans out.
 *
 * A caller's `traceparent` (and `tracestate`) is accepted when well formed and continued: with an
 * OTLP endpoint configured, the operation's span is its child and each AfterShip call a child of that
 * (the call's own `traceparent` goes to AfterShip); without one, the caller's context is passed on to
 * AfterShip unchanged. The OpenTelemetry SDK and exporter (otel.ts) are only imported when an
 * endpoint is configured: tracing off costs one header check per request.
 */
import { parseTraceParent } from '@opentelemetry/core';

/** A W3C trace context, as HTTP headers. */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

export interface TraceSpan {
  /** The headers naming this span as the parent of what it calls. */
  readonly context: TraceContext;
  /** A span for an outgoing call made by this one (kind CLIENT). */
  child(name: string, attributes: SpanAttributes): TraceSpan;
  setAttributes(attributes: SpanAttributes): void;
  /** `failed` marks the span's status as an error. */
  end(failed?: boolean): void;
}

export interface Tracer {
  /** A span for one GraphQL operation (kind SERVER), continuing the caller's trace when given. */
  startOperation(name: string, attributes: SpanAttributes, parent: TraceContext | undefined): TraceSpan;
}

export interface Tracing {
  /** Absent when tracing is off. */
  readonly tracer?: Tracer;
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** OTLP/HTTP base URL (`/v1/traces` is appended); undefined: tracing off. */
  endpoint?: string;
  /** Sent with every export (a collector's API key). */
  headers?: Readonly<Record<string, string>>;
  /** The `service.name` of the spans. */
  serviceName: string;
}

/** W3C allows 32 list members of at most 256 bytes each; a longer tracestate is dropped, not forwarded. */
const MAX_TRACESTATE_LENGTH = 512;

/** The caller's trace context, when its `traceparent` is valid (W3C Trace Context, version 00). */
export function readTraceContext(headers: Pick<Headers, 'get'>): TraceContext | undefined {
  const traceparent = headers.get('traceparent')?.trim().toLowerCase();
  if (!traceparent || traceparent.length > 128 || !parseTraceParent(traceparent)) return undefined;
  const tracestate = headers.get('tracestate')?.trim();
  // Only printable ASCII: it is forwarded to AfterShip as a header.
  const state = tracestate && tracestate.length <= MAX_TRACESTATE_LENGTH && /^[\x20-\x7e]*$/.test(tracestate) ? tracestate : undefined;
  return state ? { traceparent, tracestate: state } : { traceparent };
}

const off: Tracing = { shutdown: async () => undefined };

/** Starts tracing when an endpoint is configured (loading the OpenTelemetry SDK then, not before). */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (!options.endpoint) return off;
  const { createOtelTracing } = await import('./otel.js');
  return createOtelTracing({ ...options, endpoint: options.endpoint });
}
