/**
 * The cost report (`x-cost-report: 1` → `extensions.cost`) and request ids: a cold then a warm query
 * show calls then cache hits, matching what the sandbox counted; a call merged across two operations
 * is counted once, for the operation that started it; every AfterShip call carries the operation's
 * `x-request-id` and the caller's `traceparent`, and the request's log lines (the access line at debug
 * with the report, and the AfterShip call lines) carry its request id.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/lib/logger.js';
import type { CostReport } from '../src/observability/index.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { waitFor } from './redis-support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type LogLine = Record<string, unknown> & { msg: string };

async function gateway(): Promise<TestGateway & { lines: LogLine[] }> {
  const lines: LogLine[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void lines.push(JSON.parse(l) as LogLine) } });
  const gw = await startGateway({ sandbox: { seed: 12 }, deps: { logger } });
  cleanups.push(() => gw.close());
  return Object.assign(gw, { lines });
}

interface Answer {
  status: number;
  requestId: string | null;
  body: { data?: Record<string, unknown> | null; errors?: unknown[]; extensions?: { cost?: CostReport } };
}

async function post(gw: TestGateway, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(gw.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, requestId: res.headers.get('x-request-id'), body: (await res.json()) as Answer['body'] };
}

const TRACKING = 'query CostTracking($id: ID!) { tracking(id: $id) { aftershipId tag } }';
const BY_NUMBER = 'query CostByNumber($n: String!) { trackingByNumber(trackingNumber: $n) { aftershipId } }';

describe('cost report', () => {
  it('cold then warm: the calls, then cache hits; the numbers match what the sandbox counted', async () => {
    const gw = await gateway();
    const id = gw.sandbox.store.list()[0]!.id!;
    const before = gw.sandbox.requests.count();
    const cold = await post(gw, TRACKING, { id }, { 'x-cost-report': '1' });
    const coldCalls = gw.sandbox.requests.count() - before;
    expect(coldCalls).toBe(1);
    expect(cold.body.data).toEqual({ tracking: expect.objectContaining({ aftershipId: id }) });
    expect(cold.body.extensions?.cost).toEqual({
      estimated: 1,
      aftershipCalls: { 'GET /trackings/:id': coldCalls },
      joinedCalls: {},
      cacheHits: 0,
      cacheMisses: 1,
      queuedMs: expect.any(Number),
    });

    const warm = await post(gw, TRACKING, { id }, { 'x-cost-report': '1' });
    expect(gw.sandbox.requests.count() - before).toBe(coldCalls);
    // Every read a fresh cache hit: the result went into the response cache (README "Response cache").
    expect(warm.body.extensions?.cost).toEqual({ estimated: 1, aftershipCalls: {}, joinedCalls: {}, cacheHits: 1, cacheMisses: 0, queuedMs: 0, responseCache: 'stored', maxAgeSeconds: expect.any(Number) });
    // Answered from it: nothing ran, nothing was looked up; the guard's estimate is the one it was stored with.
    const again = await post(gw, TRACKING, { id }, { 'x-cost-report': '1' });
    expect(again.body.data).toEqual(warm.body.data);
    expect(again.body.extensions?.cost).toEqual({ estimated: 1, aftershipCalls: {}, joinedCalls: {}, cacheHits: 0, cacheMisses: 0, queuedMs: 0, responseCache: 'hit', maxAgeSeconds: expect.any(Number) });
    expect(gw.sandbox.requests.count() - before).toBe(coldCalls);

    // Not asked for: no report.
    expect((await post(gw, TRACKING, { id })).body.extensions?.cost).toBeUndefined();

    // The access log line at debug carries the report and the request id.
    const access = gw.lines.filter((l) => l.msg === 'GraphQL operation' && l.requestId === cold.requestId);
    expect(access).toEqual([expect.objectContaining({ level: 'debug', operation: 'CostTracking', outcome: 'success', cost: cold.body.extensions?.cost })]);
  });

  it('a refused operation reports the estimate that refused it', async () => {
    const gw = await gateway();
    const query = `query CostTooMuch { ${Array.from({ length: 60 }, (_, i) => `t${i}: tracking(id: "id${i}") { aftershipId }`).join(' ')} }`;
    const refused = await post(gw, query, {}, { 'x-cost-report': '1' });
    expect(refused.body.extensions?.cost).toMatchObject({ estimated: 60, aftershipCalls: {}, cacheHits: 0, cacheMisses: 0 });
  });

  it('a call merged across two operations is counted once, for the operation that started it; the other joined it', async () => {
    const gw = await gateway();
    const number = gw.sandbox.store.list()[1]!.tracking_number!;
    const client = gw.app.ops.account().client;
    gw.sandbox.faults.set({ latencyMs: 300 });
    const sentBefore = client.stats().upstreamRequests;
    const first = post(gw, BY_NUMBER, { n: number }, { 'x-cost-report': '1' });
    // The first operation's batch is on its way to AfterShip: the second lookup of the number joins it.
    await waitFor(() => client.stats().upstreamRequests > sentBefore, 5000, 'the batch to be sent');
    const second = post(gw, BY_NUMBER, { n: number }, { 'x-cost-report': '1' });
    const [a, b] = await Promise.all([first, second]);
    expect(a.body.data).toEqual(b.body.data);
    expect(gw.sandbox.requests.count({ endpoint: 'GET /trackings' })).toBe(1);
    expect(a.body.extensions?.cost).toMatchObject({ aftershipCalls: { 'GET /trackings': 1 }, joinedCalls: {}, cacheMisses: 1 });
    expect(b.body.extensions?.cost).toMatchObject({ aftershipCalls: {}, joinedCalls: { 'GET /trackings': 1 }, cacheMisses: 1 });
  });
});

describe('request ids and trace context', () => {
  it("every AfterShip call of an operation carries its x-request-id and the caller's traceparent; its log lines carry the id", async () => {
    const gw = await gateway();
    const id = gw.sandbox.store.list()[2]!.id!;
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const linesBefore = gw.lines.length; // not the gateway's start-up AfterShip probe
    const answer = await post(gw, TRACKING, { id }, { 'x-request-id': 'req-cost-0001', traceparent });
    expect(answer.requestId).toBe('req-cost-0001');
    const calls = gw.sandbox.requests.all().filter((r) => r.endpoint === 'GET /trackings/:id');
    expect(calls).toEqual([expect.objectContaining({ requestId: 'req-cost-0001', traceparent })]);
    expect(gw.lines.slice(linesBefore).filter((l) => l.msg === 'AfterShip call')).toEqual([expect.objectContaining({ requestId: 'req-cost-0001', endpoint: 'GET /trackings/:id', status: 200 })]);
    expect(gw.lines.some((l) => l.msg === 'GraphQL request' && l.requestId === 'req-cost-0001')).toBe(true);

    // A malformed traceparent is not passed on; a fresh request id is made when none is sent.
    const other = gw.sandbox.store.list()[3]!.id!;
    const second = await post(gw, TRACKING, { id: other }, { traceparent: '00-not-a-trace-01' });
    expect(second.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const call = gw.sandbox.requests.all().find((r) => r.path.endsWith(other));
    expect(call).toMatchObject({ requestId: second.requestId, traceparent: undefined });

    // yoga logs an operation's errors after the result, outside the request: the line still carries its id.
    const bad = await post(gw, 'query CostBadId { tracking(id: "not an id!") { aftershipId } }', {}, { 'x-request-id': 'req-bad-0001' });
    expect(bad.body.errors).toHaveLength(1);
    expect(gw.lines.filter((l) => l.component === 'yoga' && l.err)).toEqual([expect.objectContaining({ requestId: 'req-bad-0001' })]);
    // So do the lines of a webhook delivery.
    const webhook = await fetch(`${gw.url}/webhooks/aftership`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': 'bm90LXRoZS1zaWduYXR1cmU=', 'x-request-id': 'req-webhook-0001' },
      body: '{}',
    });
    expect(webhook.status).toBe(401);
    expect(webhook.headers.get('x-request-id')).toBe('req-webhook-0001');
    expect(gw.lines.filter((l) => l.msg === 'webhook refused: bad signature')).toEqual([expect.objectContaining({ requestId: 'req-webhook-0001' })]);
  });
});
