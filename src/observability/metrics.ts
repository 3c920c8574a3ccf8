/**
 * The gateway's Prometheus metrics, on prom-client: one Registry per app (no global registry, so
 * tests run as many apps as they like). Modules never see prom-client: each is handed the small
 * recorder interface it declares (AfterShipRecorder, WebhookRecorder, the loaders' lookups), which
 * this module implements. Counters kept by the modules themselves (the client's stats(), pubsub and
 * cache stats) are read when Prometheus scrapes.
 *
 * Names follow Prometheus conventions (`gateway_` namespace, `_total` counters, `_seconds`, base
 * units) and every label is bounded: endpoints, kinds and outcomes are fixed lists, accounts come
 * from the configuration, and operation names (chosen by clients) are capped at MAX_OPERATION_NAMES.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AfterShipRecorder } from '../aftership/recorder.js';
import type { ClientStats } from '../aftership/types.js';
import type { CacheKind, GatewayCacheStats } from '../cache/index.js';
import type { CacheLookupResult } from '../loaders/index.js';
import type { EventLogStats, RealtimePubSubStats, WebhookRecorder } from '../realtime/index.js';

/** Distinct operation names given their own label value; later ones are counted as `other`. */
export const MAX_OPERATION_NAMES = 100;
/** Longer names are counted as `other` too: a label value is not a place for a client's essay. */
const MAX_OPERATION_NAME_LENGTH = 100;

export type OperationType = 'query' | 'mutation' | 'subscription';
/** `success`: no errors; `error`: ran with errors; `refused`: never ran (cost guard, limits). */
export type OperationOutcome = 'success' | 'error' | 'refused';

/** What is read of an account runtime at scrape time. */
export interface AccountSample {
  accountId: string;
  client: { stats(): ClientStats };
  realtime: { pubsub: { stats(): RealtimePubSubStats }; eventLog?: { stats(): Promise<EventLogStats> } };
  /** The warm replica (src/replica): its size, coverage and the progress of its list passes. */
  replica?: { stats(): { trackings: number; bytes: number; evicted: number }; coverage(): { complete: boolean } };
  replicaSync?: { progress(): { state: string; calls: number } };
}

/** What the metrics read at scrape time; each part is optional. */
export interface MetricSources {
  /** The account runtimes created so far. */
  accounts?: () => Iterable<AccountSample>;
  cache?: () => GatewayCacheStats;
  /** Whether Redis is usable now; absent when Redis is not configured. */
  redisUp?: () => boolean;
  /** The response cache, when on. */
  responseCache?: () => { entries: number; bytes: number };
}

export interface GatewayMetrics {
  readonly registry: Registry;
  /** Recorder for one account's AfterShip client. */
  aftership(accountId: string): AfterShipRecorder;
  /** Recorder for one account's webhook receiver. */
  webhooks(accountId: string): WebhookRecorder;
  cacheLookup(kind: CacheKind, result: CacheLookupResult): void;
  /** An HTTP query looked up in the response cache (hit or miss), or its result stored in it. */
  responseCache(result: 'hit' | 'miss' | 'stored'): void;
  /** One GraphQL operation finished (a subscription: was set up); `seconds` undefined for subscriptions. */
  operation(name: string | undefined, type: OperationType, outcome: OperationOutcome, seconds?: number): void;
  /** Names the stats read at scrape time. */
  collectFrom(sources: MetricSources): void;
  /** The text exposition (also turns on the process metrics, the first time). */
  scrape(): Promise<{ contentType: string; body: string }>;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const QUEUE_BUCKETS = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Operation names as labels: the first MAX_OPERATION_NAMES distinct ones, then `other`. */
function boundedNames(max: number): (name: string | undefined) => string {
  const known = new Set<string>();
  return (name) => {
    if (!name) return 'anonymous';
    if (known.has(name)) return name;
    if (known.size >= max || name.length > MAX_OPERATION_NAME_LENGTH) return 'other';
    known.add(name);
    return name;
  };
}

export function createGatewayMetrics(options: { maxOperationNames?: number } = {}): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  let sources: MetricSources = {};
  const operationLabel = boundedNames(options.maxOperationNames ?? MAX_OPERATION_NAMES);

  const operations = new Counter({
    name: 'gateway_graphql_operations_total',
    help: 'GraphQL operations by name, type and outcome (success, error, refused); subscriptions counted when set up',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers,
  });
  const operationSeconds = new Histogram({
    name: 'gateway_graphql_operation_duration_seconds',
    help: 'Execution time of GraphQL queries and mutations',
    labelNames: ['operation', 'type'] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const requests = new Counter({
    name: 'gateway_aftership_requests_total',
    help: 'HTTP requests sent to AfterShip (retries included) by endpoint and status (timeout, network and aborted: no answer)',
    labelNames: ['account', 'endpoint', 'status'] as const,
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'gateway_aftership_request_duration_seconds',
    help: 'Latency of HTTP requests to AfterShip',
    labelNames: ['account', 'endpoint'] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const queueSeconds = new Histogram({
    name: 'gateway_aftership_queue_wait_seconds',
    help: "Time a call waited in the rate-budget queue for its endpoint's budget, by lane (interactive, background)",
    labelNames: ['account', 'endpoint', 'lane'] as const,
    buckets: QUEUE_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: 'gateway_aftership_rate_limited_total',
    help: 'Calls (or batched lookups) refused with RATE_LIMITED: no rate budget within the queue timeout',
    labelNames: ['account', 'endpoint'] as const,
    registers,
  });
  const throttled = new Counter({
    name: 'gateway_aftership_throttled_total',
    help: '429 Too Many Requests answers received from AfterShip',
    labelNames: ['account', 'endpoint'] as const,
    registers,
  });
  const lookups = new Counter({
    name: 'gateway_cache_lookups_total',
    help: 'Loader lookups answered from the shared cache (hit, stale: served while refreshed) or not (miss), by kind',
    labelNames: ['kind', 'result'] as const,
    registers,
  });
  const responseCacheLookups = new Counter({
    name: 'gateway_response_cache_total',
    help: 'GraphQL requests answered from the response cache (hit) or not (miss), and results stored in it (stored)',
    labelNames: ['result'] as const,
    registers,
  });
  new Gauge({
    name: 'gateway_response_cache_entries',
    help: 'Results held by the response cache',
    registers,
    collect() {
      const s = sources.responseCache?.();
      if (s) this.set(s.entries);
    },
  });
  const webhooks = new Counter({
    name: 'gateway_webhooks_received_total',
    help: 'AfterShip webhook deliveries by outcome (accepted, duplicate, stale, refused, failed)',
    labelNames: ['account', 'outcome'] as const,
    registers,
  });

  // Read from the modules' own counters when scraped.
  const perAccount = (read: (a: AccountSample) => void): void => {
    for (const a of sources.accounts?.() ?? []) read(a);
  };
  new Counter({
    name: 'gateway_aftership_retries_total',
    help: 'Calls re-sent after a 429, a 5xx, a timeout or a refreshed token',
    labelNames: ['account', 'endpoint'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => {
        for (const [endpoint, s] of Object.entries(a.client.stats().endpoints)) this.inc({ account: a.accountId, endpoint }, s.retries);
      });
    },
  });
  new Counter({
    name: 'gateway_aftership_merged_lookups_total',
    help: 'Lookups answered by joining a call already in flight (identical GET or tracking-number batch) instead of a call of their own',
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => this.inc({ account: a.accountId }, a.client.stats().merged));
    },
  });
  new Gauge({
    name: 'gateway_aftership_circuit_state',
    help: "The AfterShip circuit breaker: 1 for the account's current state (closed, open, half_open), 0 for the others",
    labelNames: ['account', 'state'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => {
        const current = a.client.stats().circuit;
        for (const state of ['closed', 'open', 'half-open'] as const) this.set({ account: a.accountId, state: state.replace('-', '_') }, state === current ? 1 : 0);
      });
    },
  });
  new Gauge({
    name: 'gateway_subscribers',
    help: 'Open GraphQL subscriptions in this instance',
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => this.set({ account: a.accountId }, a.realtime.pubsub.stats().subscribers));
    },
  });
  new Counter({
    name: 'gateway_subscription_events_delivered_total',
    help: 'Tracking events delivered to subscribers of this instance',
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => this.inc({ account: a.accountId }, a.realtime.pubsub.stats().delivered));
    },
  });
  new Counter({
    name: 'gateway_subscription_events_dropped_total',
    help: "Tracking events dropped from slow subscribers' full buffers",
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => this.inc({ account: a.accountId }, a.realtime.pubsub.stats().dropped));
    },
  });
  // The event log's figures: read once per scrape for all five (in Redis: a few commands per account),
  // since prom-client collects every metric of a scrape at once.
  let reading: Promise<{ accountId: string; stats: EventLogStats }[]> | undefined;
  const readLogStats = async (): Promise<{ accountId: string; stats: EventLogStats }[]> => {
    const out: { accountId: string; stats: EventLogStats }[] = [];
    for (const a of sources.accounts?.() ?? []) {
      const stats = await a.realtime.eventLog?.stats().catch(() => undefined);
      if (stats) out.push({ accountId: a.accountId, stats });
    }
    return out;
  };
  const logStats = () => (reading ??= readLogStats().finally(() => (reading = undefined)));
  /** One per-account event-log metric; `value` null: no sample for that account. */
  const eventLogMetric = (kind: 'gauge' | 'counter', name: string, help: string, value: (s: EventLogStats) => number | null): void => {
    const each = async (put: (labels: { account: string }, v: number) => void): Promise<void> => {
      for (const { accountId, stats } of await logStats()) {
        const v = value(stats);
        if (v !== null) put({ account: accountId }, v);
      }
    };
    const config = { name, help, labelNames: ['account'] as const, registers };
    if (kind === 'gauge') {
      new Gauge({
        ...config,
        async collect() {
          this.reset();
          await each((labels, v) => this.set(labels, v));
        },
      });
    } else {
      new Counter({
        ...config,
        async collect() {
          this.reset();
          await each((labels, v) => this.inc(labels, v));
        },
      });
    }
  };
  eventLogMetric('gauge', 'gateway_event_log_entries', "Events retained in the account's event log (with Redis: the shared stream)", (s) => s.entries);
  eventLogMetric('gauge', 'gateway_event_log_bytes', "Size of the account's event log: its events' JSON in memory, or Redis' MEMORY USAGE of the stream", (s) => s.bytes);
  eventLogMetric(
    'gauge',
    'gateway_event_log_oldest_event_age_seconds',
    'Age of the oldest event retained (how far back a consumer can resume); absent while the log is empty',
    (s) => (s.oldestAgeMs === null ? null : s.oldestAgeMs / 1000),
  );
  eventLogMetric('counter', 'gateway_event_log_replays_total', 'trackingEvents subscriptions resumed from a cursor on this instance', (s) => s.replays);
  eventLogMetric('counter', 'gateway_event_log_replayed_events_total', 'Events read from the log for consumers catching up (before any filter) on this instance', (s) => s.replayedEvents);
  new Gauge({
    name: 'gateway_replica_trackings',
    help: "Trackings held in the account's warm replica",
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => a.replicaSync && this.set({ account: a.accountId }, a.replica?.stats().trackings ?? 0));
    },
  });
  new Gauge({
    name: 'gateway_replica_bytes',
    help: "Accounted size (JSON bytes) of the account's warm replica",
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => a.replicaSync && this.set({ account: a.accountId }, a.replica?.stats().bytes ?? 0));
    },
  });
  new Gauge({
    name: 'gateway_replica_warm',
    help: 'Whether the warm-up (first full list pass) has finished (1) or not (0)',
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => a.replicaSync && this.set({ account: a.accountId }, a.replicaSync.progress().state === 'warming' ? 0 : 1));
    },
  });
  new Gauge({
    name: 'gateway_replica_complete',
    help: 'Whether the replica holds every tracking of its window (1) or not (warming up, or capped) (0)',
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => a.replicaSync && this.set({ account: a.accountId }, a.replica?.coverage().complete ? 1 : 0));
    },
  });
  new Counter({
    name: 'gateway_replica_list_calls_total',
    help: 'GET /trackings list calls made by the replica warm-up and sync passes',
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => a.replicaSync && this.inc({ account: a.accountId }, a.replicaSync.progress().calls));
    },
  });
  new Counter({
    name: 'gateway_replica_evicted_total',
    help: 'Trackings dropped from the replica by its caps (REPLICA_MAX_TRACKINGS, REPLICA_MAX_BYTES)',
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      perAccount((a) => a.replicaSync && this.inc({ account: a.accountId }, a.replica?.stats().evicted ?? 0));
    },
  });
  new Gauge({
    name: 'gateway_cache_entries',
    help: 'Entries in the shared cache',
    registers,
    collect() {
      const s = sources.cache?.();
      if (s) this.set(s.entries);
    },
  });
  new Gauge({
    name: 'gateway_cache_bytes',
    help: 'Accounted size of the shared cache in bytes',
    registers,
    collect() {
      const s = sources.cache?.();
      if (s) this.set(s.bytes);
    },
  });

  let processMetrics = false;
  return {
    registry,
    aftership(account) {
      return {
        request(endpoint, status, seconds) {
          requests.inc({ account, endpoint, status: String(status) });
          requestSeconds.observe({ account, endpoint }, seconds);
        },
        queueWait: (endpoint, lane, seconds) => queueSeconds.observe({ account, endpoint, lane }, seconds),
        rateLimited: (endpoint) => rateLimited.inc({ account, endpoint }),
        throttled: (endpoint) => throttled.inc({ account, endpoint }),
      };
    },
    webhooks: (account) => ({ webhookReceived: (outcome) => webhooks.inc({ account, outcome }) }),
    cacheLookup: (kind, result) => lookups.inc({ kind, result }),
    responseCache: (result) => responseCacheLookups.inc({ result }),
    operation(name, type, outcome, seconds) {
      const operation = operationLabel(name);
      operations.inc({ operation, type, outcome });
      if (seconds !== undefined) operationSeconds.observe({ operation, type }, seconds);
    },
    collectFrom(s) {
      sources = s;
      // Only where Redis is configured: a 0 would read as "Redis down" where there is none.
      if (s.redisUp && !registry.getSingleMetric('gateway_redis_connected')) {
        const up = s.redisUp;
        new Gauge({
          name: 'gateway_redis_connected',
          help: 'Whether Redis is usable now (1) or not (0)',
          registers,
          collect() {
            this.set(up() ? 1 : 0);
          },
        });
      }
    },
    async scrape() {
      // Process metrics (CPU, memory, event loop lag, GC) start with the first scrape: their
      // monitors are not worth running in an app nobody scrapes (tests, benchmarks).
      if (!processMetrics) {
        processMetrics = true;
        collectDefaultMetrics({ register: registry });
      }
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
