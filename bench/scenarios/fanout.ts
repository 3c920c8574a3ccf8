/**
 * Subscription fan-out: N graphql-ws subscribers (one WebSocket each, from one client process; the
 * largest run puts several subscriptions on a socket to stay within the open-files limit) on one
 * tracking, then one signed webhook: how long until the last subscriber has it, and what each
 * subscriber costs the gateway in memory (gateway alone in its process, after forced GC). Then a
 * mixed run: subscribers spread over many trackings and selection sets, one webhook per tracking,
 * counting the GraphQL executions the gateway ran (at most one per distinct subscription per event).
 */
import { execFileSync } from 'node:child_process';
import type { Tracking } from '../../src/aftership/wire-types.js';
import { BENCH_API_KEY, BENCH_TOKEN, BENCH_WEBHOOK_SECRET } from '../lib/env.js';
import { startLoadRunner } from '../lib/load-runner.js';
import { startBenchSandbox } from '../lib/sandbox.js';
import { startFloor, startGateway, type RunningGateway } from '../lib/server-runner.js';
import { kib, ms, num } from '../lib/stats.js';
import { createResources } from '../lib/resources.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';
import { TRACKING_UPDATED } from '../queries.js';
import type { FanoutResult, SwarmConnectResult } from '../load/swarm.js';

/** Selection sets of the mixed run: what different pages of a shop ask of a tracking. */
const MIXED_SELECTIONS = [
  'subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId tag subtag } }',
  'subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId tag checkpoints(last: 1) { message } } }',
  'subscription ($id: ID!) { trackingUpdated(id: $id) { id trackingNumber updatedAt } }',
];

/** The open-files limit child processes get (each holds one descriptor per socket). */
function fileLimit(): number {
  try {
      const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
  } catch {
    return 1024;
  }
}

/** Waits until the server counts `want` subscriptions (the gateway's pubsub, or a floor's own count). */
async function waitForSubscribers(server: RunningGateway | { subscribers(): Promise<number> }, want: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = -1;
  while (Date.now() < deadline) {
    n = 'pubsub' in server ? (await server.pubsub()).subscribers : await server.subscribers();
    if (n === want) return n;
    await new Promise((r) => setTimeout(r, 200));
  }
  return n;
}

/** One row of the table: who subscribed, what they got and when; memory per subscriber where it was measured. */
function fanoutRow(
  subscribers: string,
  selections: string,
  executions: string,
  connected: SwarmConnectResult,
  live: number,
  r: FanoutResult,
  memory: { rss: string; heap: string } = { rss: '–', heap: '–' },
): Row {
  return {
    Subscribers: subscribers,
    'Trackings × selections': selections,
    'GraphQL executions': executions,
    'Subscribed (gateway count)': `${num(connected.subscribed)} (${num(live)})`,
    'Received the event': num(r.received),
    'Webhook ack ms': ms(r.ackMs),
    'Delivery p50 ms': ms(r.latencyMs.p50),
    'Delivery p99 ms': ms(r.latencyMs.p99),
    'Last subscriber ms': ms(r.latencyMs.max),
    'RSS per subscriber': memory.rss,
    'Heap per subscriber': memory.heap,
    'Connect + subscribe s': num(connected.connectMs / 1000, 1),
    Failed: connected.failed + r.errors,
  };
}

/** A real change of `t`: newer, out for delivery, with a new checkpoint. */
function changedTracking(t: Tracking, label: string): Tracking {
  const now = new Date().toISOString();
  const checkpoint = { checkpoint_time: now.slice(0, 19), message: `Out for delivery (${label})`, tag: 'OutForDelivery', subtag: 'OutForDelivery_001', slug: t.slug, created_at: now };
  return { ...t, updated_at: now, tag: 'OutForDelivery', subtag: 'OutForDelivery_001', checkpoints: [...(t.checkpoints ?? []), checkpoint] } as Tracking;
}

export async function runFanout(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const o = resolveOptions(options);
  const started = Date.now();
  const limit = fileLimit();
  // Each side holds one descriptor per subscriber, plus a margin for everything else.
  // Under the open-files limit and the gateway's HTTP_MAX_CONNECTIONS default (16,384).
  const sockets = Math.min(15_000, Number.isFinite(limit) ? limit - 1000 : Number.POSITIVE_INFINITY);
  // One socket per subscriber where the limit allows; the 50,000 run shares sockets when it does not.
  // BENCH_FANOUT_SIZES=10000 (or 1000,10000,mixed): only those runs, for iterating on one figure.
  const only = process.env.BENCH_FANOUT_SIZES?.split(',').map((s) => s.trim());
  const sizes = only ? only.filter((s) => s !== 'mixed').map(Number) : o.tiny ? [20, 40] : [1000, 10_000, 50_000];
  const runs = sizes.map((count) => ({ count, perSocket: Math.max(1, Math.ceil(count / sockets)) }));
  const rows: Row[] = [];
  const headlines: string[] = [];
  let mixedNote = '';
  /** Whether every run's webhook ack came back only after its last delivery. */
  let ackAfterFanout = true;
  const res = createResources();
  try {
  const sb = res.add(await startBenchSandbox({ seed: 10, enforceRateLimits: true }));
  const [gw, load] = await res.all(
    startGateway({ sandboxUrl: sb.url, apiKey: BENCH_API_KEY, webhookSecret: BENCH_WEBHOOK_SECRET }, o.isolate),
    startLoadRunner(o.isolate),
  );
    const t = sb.sandbox.store.list()[0];
    /** Subscribers over many trackings and selection sets, one webhook per tracking. */
    const mixedRun = async (): Promise<Row> => {
      // Copies of a sandbox tracking under new ids: a webhook carries the whole tracking.
      const trackings = Array.from({ length: o.tiny ? 5 : 1000 }, (_, i) => ({
        ...t,
        id: `f${i.toString(16).padStart(31, '0')}`,
        legacy_id: `f${i.toString(16).padStart(23, '0')}`,
        tracking_number: `MIXED${String(i).padStart(8, '0')}`,
      })) as Tracking[];
      const count = o.tiny ? 30 : 10_000;
      // Subscriber n: tracking n mod T, selection set (n div T) mod S: every (tracking, selection) pair has subscribers.
      const operations = Array.from({ length: trackings.length * MIXED_SELECTIONS.length }, (_, n) => ({
        query: MIXED_SELECTIONS[Math.floor(n / trackings.length) % MIXED_SELECTIONS.length]!,
        variables: { id: trackings[n % trackings.length]!.id },
      }));
      o.log(`  fanout: mixed, ${count} subscribers over ${trackings.length} trackings × ${MIXED_SELECTIONS.length} selection sets`);
      const before = await gw.pubsub();
      const connected = await load.swarmConnect({
        wsUrl: `${gw.url.replace(/^http/, 'ws')}/graphql`,
        count,
        operations,
        query: '',
        variables: {},
        connectConcurrency: o.tiny ? 10 : 100,
        connectionParams: { Authorization: `Bearer ${BENCH_TOKEN}` },
      });
      const live = await waitForSubscribers(gw, connected.subscribed, 60_000);
      const label = `mixed-${Date.now()}`;
      const bodies = trackings.map((x, i) =>
        JSON.stringify({ event: 'tracking_update', event_id: `${label}-${i}`, is_tracking_first_tag: true, msg: changedTracking(x, label), ts: Math.floor(Date.now() / 1000) }),
      );
      const r = await load.swarmFire({ webhookUrl: `${gw.url}/webhooks/aftership`, secret: BENCH_WEBHOOK_SECRET, body: bodies[0]!, more: bodies.slice(1), timeoutMs: 120_000 });
      const executions = (await gw.pubsub()).executions - before.executions;
      await load.swarmClose();
      await waitForSubscribers(gw, 0, 30_000);
      const distinct = Math.min(count, operations.length);
      mixedNote = `Mixed run: ${num(count)} subscribers, subscriber n on tracking n mod ${num(trackings.length)} with selection set (n div ${num(trackings.length)}) mod ${MIXED_SELECTIONS.length}: ${num(distinct)} distinct subscriptions; ${num(trackings.length)} webhooks (one per tracking, 16 posted at a time); delivery times from the first POST. Executions: GraphQL executions the gateway ran for these events (gateway pubsub count), at most one per distinct subscription per event.`;
      headlines.push(
        `Mixed fan-out: ${num(count)} subscribers over ${num(trackings.length)} trackings × ${MIXED_SELECTIONS.length} selection sets, one webhook per tracking: **${num(r.received)} received, the last after ${ms(r.latencyMs.max)} ms; ${num(executions)} GraphQL executions** for ${num(distinct)} distinct subscriptions.`,
      );
      return fanoutRow(num(count), `${num(trackings.length)} × ${MIXED_SELECTIONS.length}`, num(executions), connected, live, r);
    };
    for (const { count, perSocket } of runs) {
      o.log(`  fanout: ${count} subscribers, ${perSocket} per socket`);
      const before = await gw.memory();
      const executionsBefore = (await gw.pubsub()).executions;
      const connected = await load.swarmConnect({
        wsUrl: `${gw.url.replace(/^http/, 'ws')}/graphql`,
        count,
        perSocket,
        query: TRACKING_UPDATED,
        variables: { id: t.id },
        connectConcurrency: o.tiny ? 10 : 100,
        connectionParams: { Authorization: `Bearer ${BENCH_TOKEN}` },
      });
      const live = await waitForSubscribers(gw, connected.subscribed, 60_000);
      const after = await gw.memory();
      const label = `fanout-${count}-${Date.now()}`;
      const msg = changedTracking(t, label);
      const body = JSON.stringify({ event: 'tracking_update', event_id: label, is_tracking_first_tag: true, msg, ts: Math.floor(Date.now() / 1000) });
      const r = await load.swarmFire({ webhookUrl: `${gw.url}/webhooks/aftership`, secret: BENCH_WEBHOOK_SECRET, body, timeoutMs: 60_000 });
      const executions = (await gw.pubsub()).executions - executionsBefore;
      await load.swarmClose();
      await waitForSubscribers(gw, 0, 30_000);
      if (!(r.latencyMs.max !== null && r.ackMs >= r.latencyMs.max)) ackAfterFanout = false;
      headlines.push(
        `${num(count)} graphql-ws subscribers${perSocket > 1 ? ` (${perSocket} per socket)` : ''}, one webhook: **${num(r.received)} received it, the last after ${ms(r.latencyMs.max)} ms** (p50 ${ms(r.latencyMs.p50)}, p99 ${ms(r.latencyMs.p99)}); ` +
          `gateway memory ${kib((after.rss - before.rss) / count)} RSS (${kib((after.heapUsed - before.heapUsed) / count)} heap) per subscriber.`,
      );
      rows.push(
        fanoutRow(perSocket > 1 ? `${num(count)} (${perSocket} per socket)` : num(count), '1 × 1', num(executions), connected, live, r, {
          rss: kib((after.rss - before.rss) / count),
          heap: kib((after.heapUsed - before.heapUsed) / count),
        }),
      );
      if (connected.firstError) o.log(`  fanout: first connection error: ${connected.firstError}`);
    }
    if (!only || only.includes('mixed')) rows.push(await mixedRun());
    // The floor: the same subscribers and webhook against a bare ws server (bench/lib/floors.ts).
    const floorCount = o.tiny ? 40 : 10_000;
    if (!only || only.includes(String(floorCount))) {
      o.log(`  fanout: floor, ${floorCount} subscribers of a bare ws server`);
      const floor = res.add(await startFloor('fanout-floor', BENCH_WEBHOOK_SECRET, o.isolate));
      const connected = await load.swarmConnect({
        wsUrl: `${floor.url.replace(/^http/, 'ws')}/graphql`,
        count: floorCount,
        perSocket: 1,
        query: TRACKING_UPDATED,
        variables: { id: t.id },
        connectConcurrency: o.tiny ? 10 : 100,
        connectionParams: {},
      });
      const live = await waitForSubscribers(floor, connected.subscribed, 60_000);
      const label = `fanout-floor-${Date.now()}`;
      const body = JSON.stringify({ event: 'tracking_update', event_id: label, is_tracking_first_tag: true, msg: changedTracking(t, label), ts: Math.floor(Date.now() / 1000) });
      const r = await load.swarmFire({ webhookUrl: `${floor.url}/webhooks/aftership`, secret: BENCH_WEBHOOK_SECRET, body, timeoutMs: 60_000 });
      const writeMs = await floor.lastWriteMs();
      await load.swarmClose();
      headlines.push(
        `Fan-out floor on this machine (a bare ws server writing one pre-serialized message to each of ${num(floorCount)} subscribers, same client, no coalescing window): **the last after ${ms(r.latencyMs.max)} ms** (p50 ${ms(r.latencyMs.p50)}); the server's write loop alone took ${ms(writeMs)} ms.`,
      );
      rows.push(fanoutRow(`${num(floorCount)}: floor, bare ws server`, '1 × 1', '–', connected, live, r));
    }
  } finally {
    await res.stop();
  }
  return {
    name: 'fanout',
    title: 'Subscription fan-out',
    columns: Object.keys(rows[0]),
    rows,
    notes: [
      `One WebSocket per subscriber (graphql-transport-ws spoken by hand over \`ws\`, all sockets in one client process), each subscribed to \`trackingUpdated\` of the same tracking and authenticated in connection_init; where the open-files limit (${Number.isFinite(limit) ? limit : 'unlimited'} per process) is too low for one socket each, several subscriptions share a socket (shown). Subscribers with the same operation, variables and access share one GraphQL execution per event (GraphQL executions column).`,
      mixedNote,
      'Floor row: the same client and webhook against a bare `ws` server in its own process (bench/lib/floors.ts) that acks connection_init, remembers each subscribe id, answers the signed webhook 200 and then writes one `next` message (its payload serialized once, framed into one buffer per subscriber, as the gateway does) to every subscriber: no GraphQL and no coalescing window (the gateway\'s rows include its 20 ms REALTIME_COALESCE_MS). What any Node.js server manages on this machine with this client; its headline also gives how long the server spent writing the messages (its side alone, whatever the client does).',
      'Delivery time: from just before the client process posts the signed webhook to the arrival of each subscriber\'s `next` message, read on the client\'s clock; it includes the client process working through its own 10,000 sockets on the same 2 cores.',
      ackAfterFanout
        ? 'Webhook ack: in every run the 200 reached the sender only after the last subscriber had the event. The pubsub hands the event to every subscription synchronously and their GraphQL executions then fill the one event loop before the response is written, so the ack time grows with the subscriber count.'
        : 'Webhook ack: measured from the same instant as deliveries (the 200 of the POST).',
      o.isolate
        ? 'Memory: gateway process alone (sandbox and clients live elsewhere), RSS and V8 heap after forced GC, (with subscribers − before) ÷ subscribers.'
        : 'In-process run (smoke test): memory figures include the clients and are not meaningful.',
    ],
    headlines,
    durationMs: Date.now() - started,
  };
}
