/**
 * Event log replay (issue 19): a consumer catching up on 100,000 retained events over SSE with
 * `trackingEvents(after:)`, from the in-memory log and from the Redis stream; and what the log
 * holds per event. The log is filled directly (appending is the webhook scenario's business);
 * events are the sandbox's whole trackings, as webhooks bring them.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { App } from '../../src/app.js';
import type { TrackingChange } from '../../src/realtime/index.js';
import { AUTH_HEADER, BENCH_API_KEY, BENCH_WEBHOOK_SECRET, gatewayAuthEnv } from '../lib/env.js';
import { startBenchSandbox } from '../lib/sandbox.js';
import { startGatewayServer } from '../lib/servers.js';
import { num } from '../lib/stats.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const QUERY = 'subscription($after: String) { trackingEvents(after: $after) { cursor eventId kinds tag tracking { trackingNumber } } }';

function changeOf(tracking: Record<string, unknown>, i: number): TrackingChange {
  return {
    eventId: `bench-replay-${i}`,
    eventIds: [`bench-replay-${i}`],
    accountId: 'default',
    source: 'webhook',
    webhookEvent: 'tracking_update',
    occurredAt: new Date().toISOString(),
    trackingId: String(tracking.id),
    legacyId: null,
    kinds: ['STATUS_CHANGED'],
    tracking: tracking as unknown as TrackingChange['tracking'],
    previousTag: null,
    tag: (tracking.tag as TrackingChange['tag']) ?? null,
    previousSubtag: null,
    subtag: (tracking.subtag as string | undefined) ?? null,
    newCheckpoints: [],
    previousEstimate: null,
    estimate: null,
    isFirstTag: null,
  } as TrackingChange;
}

/** Reads an SSE stream until `n` events arrived; returns the elapsed ms from the request. */
async function catchUp(url: string, after: string, n: number): Promise<{ ms: number; got: number; firstMs: number }> {
  const started = performance.now();
  const abort = new AbortController();
  const res = await fetch(`${url}/graphql?query=${encodeURIComponent(QUERY)}&variables=${encodeURIComponent(JSON.stringify({ after }))}`, {
    headers: { accept: 'text/event-stream', ...AUTH_HEADER },
    signal: abort.signal,
  });
  let got = 0;
  let firstMs = 0;
  let tail = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const text = tail + Buffer.from(chunk).toString('utf8');
      let at = 0;
      let i: number;
      while ((i = text.indexOf('event: next\n', at)) >= 0) {
        got++;
        if (got === 1) firstMs = performance.now() - started;
        at = i + 12;
      }
      tail = text.slice(Math.max(at, text.length - 12));
      if (got >= n) break;
    }
  } finally {
    abort.abort();
  }
  return { ms: performance.now() - started, got, firstMs };
}

async function fill(app: App, trackings: Record<string, unknown>[], n: number): Promise<void> {
  const log = app.ops.account().realtime.eventLog;
  // 100 appends in flight: a deeper pipeline of 8 KB events runs into the 1 s command timeout on a
  // loaded machine (those appends are then kept and retried one by one).
  for (let i = 0; i < n; i += 100) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(n, i + 100); j++) batch.push(log.append(changeOf(trackings[j % trackings.length]!, j)));
    await Promise.all(batch);
  }
  // Appends kept for a retry land shortly after.
  for (let waited = 0; waited < 60_000 && (await log.stats()).entries < n; waited += 200) await new Promise((r) => setTimeout(r, 200));
}

export async function runReplay(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const o = resolveOptions(options);
  const started = Date.now();
  const n = o.tiny ? 300 : 100_000;
  const rows: Row[] = [];
  const notes: string[] = [];
  const headlines: string[] = [];
  const sb = await startBenchSandbox({ seed: o.tiny ? 20 : 200, enforceRateLimits: false });
  const trackings = sb.sandbox.store.list() as unknown as Record<string, unknown>[];
  try {
    for (const target of ['memory', 'redis'] as const) {
      const prefix = `bench-replay:${randomBytes(4).toString('hex')}:`;
      const redisEnv: Record<string, string> = target === 'redis' ? { REDIS_URL, REDIS_PREFIX: prefix } : {};
      if (target === 'redis') {
        const probe = new Redis(REDIS_URL, { maxRetriesPerRequest: 0, lazyConnect: true, connectTimeout: 1000 });
        const up = await probe.connect().then(() => true, () => false);
        probe.disconnect();
        if (!up) {
          notes.push(`Redis row skipped: no Redis at ${REDIS_URL}.`);
          continue;
        }
      }
      const gw = await startGatewayServer({
        AFTERSHIP_API_KEY: BENCH_API_KEY,
        AFTERSHIP_BASE_URL: sb.url,
        AFTERSHIP_WEBHOOK_SECRET: BENCH_WEBHOOK_SECRET,
        // Room for every event: the bound is not what is measured.
        EVENT_LOG_MAX_BYTES: String(4 * 1024 * 1024 * 1024),
        CLIENT_MAX_CONCURRENT: '0',
        LOAD_SHED_EVENT_LOOP_LAG_MS: '0',
        ...gatewayAuthEnv(),
        ...redisEnv,
      });
      try {
        // Redis connects in the background after start: appends made before would wait for it.
        for (let i = 0; i < 500 && gw.app.ops.scaleOut && !gw.app.ops.scaleOut.up(); i++) await new Promise((r) => setTimeout(r, 10));
        const log = gw.app.ops.account().realtime.eventLog;
        const from = await log.tail();
        o.log(`  replay: ${target}: appending ${num(n)} events`);
        const t0 = performance.now();
        await fill(gw.app, trackings, n);
        const appendMs = performance.now() - t0;
        const stats = await log.stats();
        let bytesPerEvent: number;
        if (target === 'redis') {
          const r = new Redis(REDIS_URL);
          const stream = Number(await r.memory('USAGE', `${prefix}default:log`, 'SAMPLES', 0));
          const oneKey = Number(await r.memory('USAGE', `${prefix}default:log:ev:bench-replay-0`));
          r.disconnect();
          bytesPerEvent = (stream + oneKey * stats.entries) / stats.entries;
        } else bytesPerEvent = stats.bytes / stats.entries;
        o.log(`  replay: ${target}: a consumer catches up`);
        const run = await catchUp(gw.url, from, stats.entries);
        const perSecond = (run.got / run.ms) * 1000;
        rows.push({
          Log: target === 'memory' ? 'in memory (no REDIS_URL)' : 'Redis stream (REDIS_URL)',
          'Events retained': num(stats.entries),
          'Replayed events/s': num(perSecond),
          'Catch-up s': num(run.ms / 1000, 1),
          'First event ms': num(run.firstMs),
          'Bytes per event': num(bytesPerEvent),
          'Appends/s (direct)': num((n / appendMs) * 1000),
        });
        headlines.push(`Event log replay (${target}): a consumer catches up on ${num(stats.entries)} retained events at **${num(perSecond)} events/s** over SSE; ${num(bytesPerEvent)} bytes per event.`);
      } finally {
        await gw.controls.stop();
        if (target === 'redis') {
          const r = new Redis(REDIS_URL);
          let cursor = '0';
          do {
            const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
            cursor = next;
            if (keys.length) await r.del(...keys);
          } while (cursor !== '0');
          r.disconnect();
        }
      }
    }
  } finally {
    await sb.stop();
  }
  const row0 = rows[0] ?? {};
  return {
    name: 'replay',
    title: 'Event log replay',
    columns: Object.keys(row0),
    rows,
    notes: [
      `One consumer (in the gateway's process) subscribes over SSE with \`trackingEvents(after:)\` from before ${num(n)} retained events and reads until it has them all: each is read from the log (pages of 500), executed as a GraphQL result and written as an SSE event with its id. The events are the sandbox's whole trackings (${trackings.length} in turn), as webhooks carry them.`,
      'Bytes per event: in memory, the JSON the log counts against EVENT_LOG_MAX_BYTES (the objects themselves are shared with the cache); in Redis, MEMORY USAGE of the stream (exact, SAMPLES 0) plus the event-id key that makes appends idempotent.',
      ...notes,
    ],
    headlines,
    durationMs: Date.now() - started,
  };
}
