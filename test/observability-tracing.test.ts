/**
 * OpenTelemetry tracing against an in-process OTLP/HTTP receiver (a small HTTP server taking the
 * exporter's JSON): with OTEL_EXPORTER_OTLP_ENDPOINT set, an operation's span continues the caller's
 * `traceparent`, each AfterShip call is a child span of it, and AfterShip receives the call span's
 * own `traceparent`. Off by default: no tracer, and the caller's context goes to AfterShip unchanged.
 */
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}

/** Accepts OTLP/HTTP JSON exports on /v1/traces and keeps every span. */
async function otlpReceiver(): Promise<{ url: string; spans: OtlpSpan[]; services: string[] }> {
  const spans: OtlpSpan[] = [];
  const services: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('json')) {
        res.writeHead(415).end();
        return;
      }
      const data = JSON.parse(body.toString('utf8')) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of data.resourceSpans) {
        services.push(rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '');
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, spans, services };
}

async function gateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const gw = await startGateway({ env, sandbox: { seed: 6 } });
  cleanups.push(() => gw.close());
  return gw;
}

const attr = (span: OtlpSpan, key: string): unknown => Object.values(span.attributes.find((a) => a.key === key)?.value ?? {})[0];
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

describe('tracing', () => {
  it('exports the operation span (child of the caller) and one child span per AfterShip call; AfterShip gets the call span as parent', async () => {
    const receiver = await otlpReceiver();
    const gw = await gateway({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'gateway-under-test' });
    const id = gw.sandbox.store.list()[0]!.id!;
    const res = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`, 'x-request-id': 'trace-req-1' },
      body: JSON.stringify({ query: 'query TracedTracking($id: ID!) { tracking(id: $id) { aftershipId } }', variables: { id } }),
    });
    expect(res.status).toBe(200);
    await gw.close(); // flushes the batched spans
    cleanups.pop();

    const operation = receiver.spans.find((s) => s.kind === SPAN_KIND_SERVER);
    expect(operation).toMatchObject({ traceId: TRACE_ID, parentSpanId: CALLER_SPAN, name: 'query TracedTracking' });
    expect(attr(operation!, 'graphql.operation.name')).toBe('TracedTracking');
    expect(attr(operation!, 'gateway.request_id')).toBe('trace-req-1');
    expect(String(attr(operation!, 'gateway.cost.aftership_calls'))).toBe('1');

    const calls = receiver.spans.filter((s) => s.kind === SPAN_KIND_CLIENT);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ traceId: TRACE_ID, parentSpanId: operation!.spanId, name: 'GET /trackings/:id' });
    expect(String(attr(calls[0]!, 'http.response.status_code'))).toBe('200');
    expect(receiver.services).toContain('gateway-under-test');

    const sent = gw.sandbox.requests.all().find((r) => r.endpoint === 'GET /trackings/:id');
    expect(sent?.traceparent).toBe(`00-${TRACE_ID}-${calls[0]!.spanId}-01`);
  });

  it('without a caller trace, the operation starts one', async () => {
    const receiver = await otlpReceiver();
    const gw = await gateway({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    await gw.graphql('query Untraced($id: ID!) { tracking(id: $id) { aftershipId } }', { id: gw.sandbox.store.list()[1]!.id! });
    await gw.close();
    cleanups.pop();
    const operation = receiver.spans.find((s) => s.kind === SPAN_KIND_SERVER);
    expect(operation?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(operation?.parentSpanId ?? '').toBe('');
    const call = receiver.spans.find((s) => s.kind === SPAN_KIND_CLIENT);
    expect(call).toMatchObject({ traceId: operation!.traceId, parentSpanId: operation!.spanId });
  });

  it('off by default: no tracer, and the caller\'s traceparent reaches AfterShip unchanged', async () => {
    const gw = await gateway();
    expect(gw.app.ops.observability.tracing.tracer).toBeUndefined();
    const traceparent = `00-${TRACE_ID}-${CALLER_SPAN}-01`;
    const id = gw.sandbox.store.list()[0]!.id!;
    await gw.graphql('query Passed($id: ID!) { tracking(id: $id) { aftershipId } }', { id }, { traceparent, tracestate: 'vendor=abc' });
    expect(gw.sandbox.requests.all().find((r) => r.endpoint === 'GET /trackings/:id')?.traceparent).toBe(traceparent);
  });
});
