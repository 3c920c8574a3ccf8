/**
 * Webhook ingest: signed AfterShip webhooks (distinct event ids, each a newer version of one of
 * 200 trackings) posted as fast as the gateway acknowledges them, closed loop from a separate
 * process. Each one is verified, de-duplicated, cached, diffed and published before the 200.
 */
import { BENCH_API_KEY, BENCH_WEBHOOK_SECRET } from '../lib/env.js';
import { startLoadRunner } from '../lib/load-runner.js';
import { countByEndpoint, startBenchSandbox, total } from '../lib/sandbox.js';
import { startGateway } from '../lib/server-runner.js';
import { ms, num } from '../lib/stats.js';
import { createResources } from '../lib/resources.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';

export async function runWebhooks(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const o = resolveOptions(options);
  const started = Date.now();
  const durationMs = o.tiny ? 300 : 6000;
  const warmupMs = o.tiny ? 100 : 1000;
  const concurrency = o.tiny ? 4 : 32;
  let row: Row;
  let headline = '';
  const res = createResources();
  try {
    const sb = res.add(await startBenchSandbox({ seed: o.tiny ? 20 : 200, enforceRateLimits: true }));
    const [gw, load] = await res.all(
      startGateway({ sandboxUrl: sb.url, apiKey: BENCH_API_KEY, webhookSecret: BENCH_WEBHOOK_SECRET }, o.isolate),
      startLoadRunner(o.isolate),
    );
    o.log(`  webhooks: ${concurrency} concurrent senders for ${durationMs / 1000} s`);
    const trackings = sb.sandbox.store.list() as unknown as Record<string, unknown>[];
    sb.sandbox.requests.reset();
    const r = await load.closedLoop({
      target: { url: `${gw.url}/webhooks/aftership`, method: 'POST' },
      body: { kind: 'webhook', secret: BENCH_WEBHOOK_SECRET, trackings, runId: `bench-${Date.now()}` },
      concurrency,
      durationMs,
      warmupMs,
      check: 'webhook',
    });
    const accepted = r.outcomes.accepted ?? 0;
    headline = `Webhook ingest: **${num(r.perSecond)} signed webhooks/s acknowledged** (${num(accepted / (durationMs / 1000))}/s accepted and published), ack p50 ${ms(r.latencyMs.p50)} ms, p99 ${ms(r.latencyMs.p99)} ms at ${concurrency} concurrent senders.`;
    row = {
      'Webhooks acknowledged/s': num(r.perSecond),
      'Accepted (published)/s': num(accepted / (durationMs / 1000)),
      'Ack p50 ms': ms(r.latencyMs.p50),
      'Ack p99 ms': ms(r.latencyMs.p99),
      'Ack max ms': ms(r.latencyMs.max),
      Outcomes: Object.entries(r.outcomes).map(([k, n]) => `${n} ${k}`).join(', ') || 'none',
      'Network errors': r.networkErrors,
      'AfterShip calls during run': total(countByEndpoint(sb.sandbox.requests.all())),
    };
  } finally {
    await res.stop();
  }
  return {
    name: 'webhooks',
    title: 'Webhook ingest',
    columns: Object.keys(row),
    rows: [row],
    notes: [
      `POST /webhooks/aftership, ${concurrency} concurrent keep-alive connections, ${durationMs / 1000} s measured after ${warmupMs / 1000} s warm-up. Bodies are whole AfterShip tracking webhooks (the sandbox's trackings, ${o.tiny ? 20 : 200} of them in turn, each with a newer updated_at), HMAC-SHA256 signed per request in the load process.`,
      '"accepted": verified, new event id, newer than the cached version: cached and published to subscribers (none were listening here). "stale": a reordered older version, acknowledged and dropped.',
    ],
    headlines: [headline],
    durationMs: Date.now() - started,
  };
}
