/**
 * Prometheus metrics at GET /metrics, scraped before and after operations, webhooks, a 429 storm
 * (sandbox fault injection), subscriptions and Redis, and read back through a Prometheus text-format
 * parser: counters and histograms move as they should and match what the sandbox counted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../src/observability/index.js';
import { signWebhookBody } from '../src/realtime/index.js';
import type { Tracking } from '../src/aftership/wire-types.js';
import { startGateway, TEST_WEBHOOK_SECRET, type TestGateway } from './helpers/gateway.js';
import { Scrape, scrape } from './helpers/prometheus.js';
import { cleanPrefix, SHARED_REDIS_URL, subscribe, tracking, uniquePrefix, waitFor } from './redis-support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function gateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const gw = await startGateway({ env, sandbox: { seed: 12 } });
  cleanups.push(() => gw.close());
  return gw;
}

const ids = (gw: TestGateway): string[] => gw.sandbox.store.list().map((t) => t.id as string);
const TRACKING = 'query MetricsTracking($id: ID!) { tracking(id: $id) { aftershipId tag } }';

async function deliver(gw: TestGateway, eventId: string, t: Tracking, secret = TEST_WEBHOOK_SECRET): Promise<string | undefined> {
  const body = JSON.stringify({ event: 'tracking_update', event_id: eventId, is_tracking_first_tag: false, msg: t, ts: Math.floor(Date.parse(t.updated_at!) / 1000) });
  const res = await fetch(`${gw.url}/webhooks/aftership`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(secret, body) },
    body,
  });
  return ((await res.json()) as { status?: string }).status;
}

describe('GET /metrics', () => {
  it('exposes every family in the text format, named by Prometheus conventions', async () => {
    const gw = await gateway();
    await gw.graphql(TRACKING, { id: ids(gw)[0] });
    const m = await scrape(gw.url);
    const ours = m.families.filter((f) => f.name.startsWith('gateway_'));
    expect(ours.map((f) => f.name).sort()).toEqual(
      [
        'gateway_aftership_circuit_state',
        'gateway_aftership_merged_lookups_total',
        'gateway_aftership_queue_wait_seconds',
        'gateway_aftership_rate_limited_total',
        'gateway_aftership_request_duration_seconds',
        'gateway_aftership_requests_total',
        'gateway_aftership_retries_total',
        'gateway_aftership_throttled_total',
        'gateway_cache_bytes',
        'gateway_cache_entries',
        'gateway_cache_lookups_total',
        'gateway_event_log_bytes',
        'gateway_event_log_entries',
        'gateway_event_log_oldest_event_age_seconds',
        'gateway_event_log_replayed_events_total',
        'gateway_event_log_replays_total',
        'gateway_graphql_operation_duration_seconds',
        'gateway_graphql_operations_total',
        'gateway_replica_bytes',
        'gateway_replica_complete',
        'gateway_replica_evicted_total',
        'gateway_replica_list_calls_total',
        'gateway_replica_trackings',
        'gateway_replica_warm',
        'gateway_response_cache_entries',
        'gateway_response_cache_total',
        'gateway_subscribers',
        'gateway_subscription_events_delivered_total',
        'gateway_subscription_events_dropped_total',
        'gateway_webhooks_received_total',
      ].sort(),
    );
    for (const f of ours) {
      if (f.type === 'COUNTER') expect(f.name, f.name).toMatch(/_total$/);
      if (f.type === 'HISTOGRAM') expect(f.name, f.name).toMatch(/_seconds$/);
      expect(f.help.length, f.name).toBeGreaterThan(10);
    }
    // The process's own metrics come along.
    expect(m.family('process_cpu_user_seconds_total')?.type).toBe('COUNTER');
    expect(m.family('nodejs_eventloop_lag_seconds')).toBeDefined();
    expect(m.value('gateway_aftership_circuit_state', { account: 'default', state: 'closed' })).toBe(1);
    // Redis is not configured: no gauge for it.
    expect(m.family('gateway_redis_connected')).toBeUndefined();
  });

  it('operations by name and outcome, AfterShip requests by endpoint and status, cache lookups: they match the sandbox', async () => {
    const gw = await gateway();
    const id = ids(gw)[0];
    const ep = { account: 'default', endpoint: 'GET /trackings/:id' };
    const before = await scrape(gw.url);
    const sandboxBefore = gw.sandbox.requests.count({ endpoint: 'GET /trackings/:id' });

    expect((await gw.graphql(TRACKING, { id })).data).toBeTruthy(); // cold: one call
    expect((await gw.graphql(TRACKING, { id })).data).toBeTruthy(); // warm: from the cache
    const bad = await gw.graphql('query MetricsBadId { tracking(id: "not an id!") { aftershipId } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooExpensive = `query MetricsTooExpensive { ${Array.from({ length: 60 }, (_, i) => `t${i}: tracking(id: "id${i}") { aftershipId }`).join(' ')} }`;
    expect((await gw.graphql(tooExpensive)).errors?.[0]?.extensions?.code).toBe('QUERY_TOO_EXPENSIVE');

    const after = await scrape(gw.url);
    const delta = (name: string, labels: Record<string, string>, read: 'value' | 'count' = 'value'): number => after[read](name, labels) - before[read](name, labels);
    expect(delta('gateway_graphql_operations_total', { operation: 'MetricsTracking', type: 'query', outcome: 'success' })).toBe(2);
    expect(delta('gateway_graphql_operation_duration_seconds', { operation: 'MetricsTracking', type: 'query' }, 'count')).toBe(2);
    expect(delta('gateway_graphql_operations_total', { operation: 'MetricsBadId', outcome: 'error' })).toBe(1);
    expect(delta('gateway_graphql_operations_total', { operation: 'MetricsTooExpensive', outcome: 'refused' })).toBe(1);

    const sent = gw.sandbox.requests.count({ endpoint: 'GET /trackings/:id' }) - sandboxBefore;
    expect(sent).toBe(1);
    expect(delta('gateway_aftership_requests_total', { ...ep, status: '200' })).toBe(sent);
    expect(delta('gateway_aftership_request_duration_seconds', ep, 'count')).toBe(sent);
    expect(delta('gateway_aftership_queue_wait_seconds', { ...ep, lane: 'interactive' }, 'count')).toBe(sent);
    expect(delta('gateway_cache_lookups_total', { kind: 'tracking', result: 'miss' })).toBe(1);
    expect(delta('gateway_cache_lookups_total', { kind: 'tracking', result: 'hit' })).toBe(1);
    expect(after.value('gateway_cache_entries')).toBeGreaterThan(0);
  });

  it('webhooks by outcome: accepted, duplicate, stale, refused', async () => {
    const gw = await gateway();
    const before = await scrape(gw.url);
    const t = tracking('metricswebhook00000000001', 10);
    expect(await deliver(gw, 'metrics-evt-1', t)).toBe('accepted');
    expect(await deliver(gw, 'metrics-evt-1', t)).toBe('duplicate');
    expect(await deliver(gw, 'metrics-evt-2', tracking('metricswebhook00000000001', 5))).toBe('stale');
    await deliver(gw, 'metrics-evt-3', t, 'not-the-webhook-secret');
    const after = await scrape(gw.url);
    for (const outcome of ['accepted', 'duplicate', 'stale', 'refused']) {
      const labels = { account: 'default', outcome };
      expect(after.value('gateway_webhooks_received_total', labels) - before.value('gateway_webhooks_received_total', labels), outcome).toBe(1);
    }
  });

  it('a 429 storm moves the 429, request and retry counters', async () => {
    const gw = await gateway();
    const [a] = ids(gw);
    const ep = { account: 'default', endpoint: 'GET /trackings/:id' };
    const before = await scrape(gw.url);
    gw.sandbox.faults.set({ force429Count: 2 });
    expect((await gw.graphql(TRACKING, { id: a })).data).toEqual({ tracking: expect.objectContaining({ aftershipId: a }) });
    expect(gw.sandbox.requests.count({ status: 429 })).toBe(2);
    const afterStorm = await scrape(gw.url);
    expect(afterStorm.value('gateway_aftership_throttled_total', ep) - before.value('gateway_aftership_throttled_total', ep)).toBe(2);
    expect(afterStorm.value('gateway_aftership_requests_total', { ...ep, status: '429' }) - before.value('gateway_aftership_requests_total', { ...ep, status: '429' })).toBe(2);
    expect(afterStorm.value('gateway_aftership_retries_total', ep) - before.value('gateway_aftership_retries_total', ep)).toBe(2);
  });

  it('a call that gets no budget within the queue timeout counts as RATE_LIMITED', async () => {
    const gw = await gateway({ AFTERSHIP_QUEUE_TIMEOUT_MS: '300' });
    const ep = { account: 'default', endpoint: 'GET /trackings/:id' };
    const before = await scrape(gw.url);
    // Every answer a 429: the re-send cannot get budget within the 300 ms queue timeout.
    gw.sandbox.faults.set({ rateLimitRate: 1 });
    const refused = await gw.graphql(TRACKING, { id: ids(gw)[0] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const after = await scrape(gw.url);
    expect(after.value('gateway_aftership_rate_limited_total', ep) - before.value('gateway_aftership_rate_limited_total', ep)).toBe(1);
    expect(after.value('gateway_aftership_throttled_total', ep) - before.value('gateway_aftership_throttled_total', ep)).toBeGreaterThanOrEqual(1);
    expect(after.value('gateway_graphql_operations_total', { operation: 'MetricsTracking', outcome: 'error' })).toBe(1);
  });

  it('subscribers and the events delivered to them', async () => {
    const gw = await gateway();
    const id = gw.sandbox.store.list().find((t) => t.id && gw.sandbox.store.plannedEvents(t.id).length > 0)!.id!;
    const before = await scrape(gw.url);
    const sub = subscribe(gw.app, 'subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId } }', { id });
    cleanups.push(() => sub.dispose());
    await waitFor(() => gw.app.ops.account().realtime.pubsub.watcherCount('default', id) === 1, 5000, 'subscriber');
    expect((await scrape(gw.url)).value('gateway_subscribers', { account: 'default' })).toBe(1);
    await gw.sandbox.moveTracking(id);
    await waitFor(() => sub.events.length === 1, 5000, 'event');
    const after = await scrape(gw.url);
    expect(after.value('gateway_subscription_events_delivered_total') - before.value('gateway_subscription_events_delivered_total')).toBe(1);
    expect(after.value('gateway_webhooks_received_total', { outcome: 'accepted' }) - before.value('gateway_webhooks_received_total', { outcome: 'accepted' })).toBe(1);
    expect(after.value('gateway_graphql_operations_total', { type: 'subscription', outcome: 'success' })).toBe(1);
  });

  it('Redis connected, when Redis is configured', async () => {
    const prefix = uniquePrefix('metrics');
    cleanups.push(() => cleanPrefix(SHARED_REDIS_URL, prefix));
    const gw = await gateway({ REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix });
    await waitFor(() => gw.app.ops.scaleOut!.up(), 5000, 'Redis');
    expect((await scrape(gw.url)).value('gateway_redis_connected')).toBe(1);
  });

  it('METRICS_TOKEN: a scraper must send it', async () => {
    const token = 'metrics-token-0123456789';
    const gw = await gateway({ METRICS_TOKEN: token });
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await scrape(gw.url, token)).family('gateway_graphql_operations_total')).toBeDefined();
  });

  it('operation names are bounded: past the first N distinct names, `other`; no name, `anonymous`', async () => {
    const metrics = createGatewayMetrics({ maxOperationNames: 2 });
    for (const name of ['A', 'B', 'C', 'D', 'A', undefined, 'x'.repeat(200)]) metrics.operation(name, 'query', 'success', 0.01);
    const m = new Scrape((await metrics.scrape()).body);
    expect(m.labelValues('gateway_graphql_operations_total', 'operation').sort()).toEqual(['A', 'B', 'anonymous', 'other']);
    expect(m.value('gateway_graphql_operations_total', { operation: 'A' })).toBe(2);
    expect(m.value('gateway_graphql_operations_total', { operation: 'other' })).toBe(3);
  });
});
