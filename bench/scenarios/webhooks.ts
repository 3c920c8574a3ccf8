/**
 * Webhook ingest: signed AfterShip webhooks (distinct event ids, each a newer version of one of
 * 200 trackings) posted as fast as the gateway acknowledges them, closed loop from a separate
 * process. Each one is verified, de-duplicated, cached, diffed and published before the 200.
 */
import { BENCH_API_KEY, BENCH_WEBHOOK_SECRET } from '../lib/env.js';
import { startLoadRunner } from '../lib/load-runner.js';
import { countByEndpoint, startBenchSandbox, total } from '../lib/sandbox.js';
import { startFloor, startGateway } from '../lib/server-runner.js';
import { ms, num } from '../lib/stats.js';
import { processCpuMs } from '../lib/machine.js';
import { createResources } from '../lib/resources.js';
import { combineRounds, roundPlan, rateWithRange } from '../lib/rounds.js';
import type { ClosedLoopResult } from '../load/core.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';

export async function runWebhooks(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const o = resolveOptions(options);
  const started = Date.now();
  const { durationMs, rounds, firstWarmupMs, warmupMs, concurrency } = roundPlan(o.tiny);
  const rows: Row[] = [];
  let headline = '';
  let floorHeadline = '';
  const res = createResources();
  try {
    const sb = res.add(await startBenchSandbox({ seed: o.tiny ? 20 : 200, enforceRateLimits: true }));
    const [gw, load] = await res.all(
      startGateway({ sandboxUrl: sb.url, apiKey: BENCH_API_KEY, webhookSecret: BENCH_WEBHOOK_SECRET }, o.isolate),
      startLoadRunner(o.isolate),
    );
    const trackings = sb.sandbox.store.list() as unknown as Record<string, unknown>[];
    sb.sandbox.requests.reset();
    /** The rounds against one receiver; each request's body is a newer version than the last. */
    const runRounds = async (url: string, pid: number, runId: string): Promise<ReturnType<typeof combineRounds> & { cpuUsPerWebhook: number | undefined }> => {
      // Versions an hour old and newer by 10 ms each: in order, and never in the future.
      const baseMs = Date.now() - 3_600_000;
      const results: ClosedLoopResult[] = [];
      let firstIndex = 0;
      const cpuBefore = processCpuMs(pid);
      for (let round = 0; round < rounds; round++) {
        o.log(`  webhooks: ${runId}: round ${round + 1}/${rounds}: ${concurrency} concurrent senders for ${durationMs / 1000} s`);
        const one = await load.closedLoop({
          target: { url, method: 'POST' },
          body: { kind: 'webhook', secret: BENCH_WEBHOOK_SECRET, trackings, runId, baseMs, firstIndex },
          concurrency,
          durationMs,
          warmupMs: round === 0 ? firstWarmupMs : warmupMs,
          check: 'webhook',
          // The senders' client is not what is measured: node:http's cost as much per request as the route.
          lean: true,
        });
        firstIndex += one.sent;
        results.push(one);
      }
      const cpuAfter = processCpuMs(pid);
      // Every request sent (warm-ups too) against the receiver's CPU over the same stretch.
      const cpuUsPerWebhook = cpuBefore !== undefined && cpuAfter !== undefined && firstIndex > 0 ? ((cpuAfter - cpuBefore) * 1000) / firstIndex : undefined;
      return { ...combineRounds(results), cpuUsPerWebhook };
    };
    /** Accepted share of the counted requests, at the median rate. */
    const acceptedPerSecond = (r: Awaited<ReturnType<typeof runRounds>>): number => (r.requests ? ((r.outcomes.accepted ?? 0) / r.requests) * r.perSecond : 0);
    const rowOf = (server: string, r: Awaited<ReturnType<typeof runRounds>>, calls: number | string): Row => {
      return {
        Receiver: server,
        'Webhooks acknowledged/s (range)': rateWithRange(r, (x) => num(x)),
        'Accepted (published)/s': num(acceptedPerSecond(r)),
        'Ack p50 ms': ms(r.latencyMs.p50),
        'Ack p99 ms': ms(r.latencyMs.p99),
        'Ack max ms': ms(r.latencyMs.max),
        'Receiver CPU µs per webhook': r.cpuUsPerWebhook === undefined ? '–' : num(r.cpuUsPerWebhook),
        Outcomes: Object.entries(r.outcomes).map(([k, n]) => `${n} ${k}`).join(', ') || 'none',
        'Network errors': r.networkErrors,
        'AfterShip calls during run': calls,
      };
    };
    const r = await runRounds(`${gw.url}/webhooks/aftership`, gw.pid, `bench-${Date.now()}`);
    const accepted = acceptedPerSecond(r);
    const cpu = r.cpuUsPerWebhook === undefined ? '' : `, ${num(r.cpuUsPerWebhook)} µs of gateway CPU each`;
    headline = `Webhook ingest: **${num(r.perSecond)} signed webhooks/s acknowledged** (${num(accepted)}/s accepted and published), ack p50 ${ms(r.latencyMs.p50)} ms, p99 ${ms(r.latencyMs.p99)} ms at ${concurrency} concurrent senders${cpu}.`;
    rows.push(rowOf('Gateway', r, total(countByEndpoint(sb.sandbox.requests.all()))));
    // The same senders against a receiver that only reads, verifies and parses (lib/floors.ts).
    const floor = res.add(await startFloor('webhook-floor', BENCH_WEBHOOK_SECRET, o.isolate));
    const f = await runRounds(`${floor.url}/webhooks/aftership`, floor.pid, `floor-${Date.now()}`);
    rows.push(rowOf('Floor: bare node:http (read, HMAC, JSON.parse, 200)', f, '–'));
    const floorCpu = f.cpuUsPerWebhook === undefined ? '' : `, ${num(f.cpuUsPerWebhook)} µs of CPU each`;
    floorHeadline = `Webhook floor on this machine (bare node:http that reads, verifies and parses, same senders): ${num(f.perSecond)}/s, ack p50 ${ms(f.latencyMs.p50)} ms, p99 ${ms(f.latencyMs.p99)} ms${floorCpu}: the gateway acknowledges ${Math.round((100 * r.perSecond) / f.perSecond)}% of it.`;
  } finally {
    await res.stop();
  }
  return {
    name: 'webhooks',
    title: 'Webhook ingest',
    columns: Object.keys(rows[0]!),
    rows,
    notes: [
      `POST /webhooks/aftership, ${concurrency} concurrent keep-alive connections (one request in flight on each, a lean HTTP/1.1 client: bench/load/lean-http.ts), ${rounds} rounds of ${durationMs / 1000} s, each after a ${warmupMs / 1000} s warm-up (${firstWarmupMs / 1000} s the first time); median round shown, range = slowest–fastest round; p50/p99 are medians over rounds. Bodies are whole AfterShip tracking webhooks (the sandbox's trackings, ${o.tiny ? 20 : 200} of them in turn, each with a newer updated_at), HMAC-SHA256 signed per request in the load process.`,
      '"accepted": verified, new event id, newer than the cached version: cached and published to subscribers (none were listening here). "stale": a reordered older version, acknowledged and dropped.',
      'Receiver CPU: user + system time of the receiving process (all its threads, garbage collection included, from /proc) over its rounds, divided by the webhooks sent to it; steadier than webhooks/s on a shared machine, since it does not count time spent waiting for a core.',
      'Floor: the same senders and bodies against a bare node:http server in its own process that reads the body, checks the HMAC, JSON.parses it and answers 200 (bench/lib/floors.ts): what any Node.js receiver manages on this machine beside the load generator. The gateway also validates, de-duplicates, caches, diffs, coalesces and logs each event.',
    ],
    headlines: [headline, floorHeadline],
    durationMs: Date.now() - started,
  };
}
