/**
 * Subscription fan-out: N graphql-ws subscribers (one WebSocket each, from one client process)
 * on one tracking, then one signed webhook: how long until the last subscriber has it, and what
 * each subscriber costs the gateway in memory (gateway alone in its process, after forced GC).
 */
import { execFileSync } from 'node:child_process';
import type { Tracking } from '../../src/aftership/wire-types.js';
import { BENCH_API_KEY, BENCH_TOKEN, BENCH_WEBHOOK_SECRET } from '../lib/env.js';
import { startLoadRunner } from '../lib/load-runner.js';
import { startBenchSandbox } from '../lib/sandbox.js';
import { startGateway, type RunningGateway } from '../lib/server-runner.js';
import { kib, ms, num } from '../lib/stats.js';
import { createResources } from '../lib/resources.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';
import { TRACKING_UPDATED } from '../queries.js';

/** The open-files limit child processes get (each holds one descriptor per socket). */
function fileLimit(): number {
  try {
      const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
  } catch {
    return 1024;
  }
}

async function waitForSubscribers(gw: RunningGateway, want: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = -1;
  while (Date.now() < deadline) {
    n = (await gw.pubsub()).subscribers;
    if (n === want) return n;
    await new Promise((r) => setTimeout(r, 200));
  }
  return n;
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
  const sizes = (o.tiny ? [20] : [1000, 10_000]).map((n) => Math.min(n, Number.isFinite(limit) ? limit - 500 : n));
  const rows: Row[] = [];
  const headlines: string[] = [];
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
    for (const count of sizes) {
      o.log(`  fanout: ${count} subscribers`);
      const before = await gw.memory();
      const connected = await load.swarmConnect({
        wsUrl: `${gw.url.replace(/^http/, 'ws')}/graphql`,
        count,
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
      await load.swarmClose();
      await waitForSubscribers(gw, 0, 30_000);
      if (!(r.latencyMs.max !== null && r.ackMs >= r.latencyMs.max)) ackAfterFanout = false;
      headlines.push(
        `${num(count)} graphql-ws subscribers, one webhook: **${num(r.received)} received it, the last after ${ms(r.latencyMs.max)} ms** (p50 ${ms(r.latencyMs.p50)}, p99 ${ms(r.latencyMs.p99)}); ` +
          `gateway memory ${kib((after.rss - before.rss) / count)} RSS (${kib((after.heapUsed - before.heapUsed) / count)} heap) per subscriber.`,
      );
      rows.push({
        Subscribers: num(count),
        'Subscribed (gateway count)': `${num(connected.subscribed)} (${num(live)})`,
        'Received the event': num(r.received),
        'Webhook ack ms': ms(r.ackMs),
        'Delivery p50 ms': ms(r.latencyMs.p50),
        'Delivery p99 ms': ms(r.latencyMs.p99),
        'Last subscriber ms': ms(r.latencyMs.max),
        'RSS per subscriber': kib((after.rss - before.rss) / count),
        'Heap per subscriber': kib((after.heapUsed - before.heapUsed) / count),
        'Connect + subscribe s': num(connected.connectMs / 1000, 1),
        Failed: connected.failed + r.errors,
      });
      if (connected.firstError) o.log(`  fanout: first connection error: ${connected.firstError}`);
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
      `One WebSocket per subscriber (graphql-transport-ws spoken by hand over \`ws\`, all sockets in one client process), each subscribed to \`trackingUpdated\` of the same tracking and authenticated in connection_init. Open-files limit: ${Number.isFinite(limit) ? limit : 'unlimited'} per process, so ${sizes.map((n) => num(n)).join(' and ')} sockets fit.`,
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
