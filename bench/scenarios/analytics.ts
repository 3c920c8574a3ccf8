/**
 * Delivery analytics over the replica: `deliveryStats` grouped by courier over a replicated
 * account (latency, and the AfterShip calls it made, counted by the sandbox), then full exports
 * (NDJSON and CSV) read as fast as the client can: rows per second and the gateway's resident
 * memory while streaming (sampled from /proc), against its memory before.
 */
import { readFileSync } from 'node:fs';
import { BENCH_API_KEY, BENCH_WEBHOOK_SECRET, AUTH_HEADER } from '../lib/env.js';
import { dataOf, postGraphQL } from '../lib/gql.js';
import { countByEndpoint, describeCounts, startBenchSandbox, total } from '../lib/sandbox.js';
import { startGateway } from '../lib/server-runner.js';
import { ms, num, summarize } from '../lib/stats.js';
import { createResources } from '../lib/resources.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';

const BY_COURIER = `query CarrierComparison {
  deliveryStats(groupBy: [COURIER]) {
    coverage { complete trackings }
    matched
    groups(first: 100) {
      key { courierSlug }
      count delivered
      countByTag { tag count }
      transitDays { measured p50 p90 max }
      onTimeRate onTimeMeasured eddAccuracy eddMeasured
      exceptions { subtag count }
      failedAttempts trackingsWithFailedAttempts
      slowestStretches(first: 3) { fromSubtag toSubtag count meanHours maxHours }
    }
  }
}`;

/** Resident memory of a process, from /proc (Linux); null elsewhere. */
function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const mib = (bytes: number | null): string => (bytes === null ? 'n/a' : `${(bytes / 1_048_576).toFixed(0)} MiB`);

export async function runAnalytics(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const o = resolveOptions(options);
  const started = Date.now();
  const trackings = o.tiny ? 300 : 20_000;
  const rounds = o.tiny ? 5 : 100;
  const rows: Row[] = [];
  const headlines: string[] = [];
  const res = createResources();
  try {
    const sb = res.add(await startBenchSandbox({ seed: trackings, enforceRateLimits: true }));
    o.log(`  analytics: ${trackings} trackings, waiting for the replica's warm-up`);
    const gw = res.add(
      await startGateway(
        // The replica on, with a window (120 days, AfterShip's own) that holds the whole seeded account.
        { sandboxUrl: sb.url, apiKey: BENCH_API_KEY, webhookSecret: BENCH_WEBHOOK_SECRET, env: { REPLICA_ENABLED: 'true', REPLICA_WINDOW_DAYS: '120', LOAD_SHED_EVENT_LOOP_LAG_MS: '0' } },
        o.isolate,
      ),
    );
    const warmStart = Date.now();
    for (;;) {
      const d = dataOf(await postGraphQL(gw.url, '{ deliveryStats { coverage { complete trackings } } }'), 'coverage');
      const c = (d.deliveryStats as { coverage: { complete: boolean; trackings: number } }).coverage;
      if (c.complete) {
        if (c.trackings !== trackings) throw new Error(`replica holds ${c.trackings} trackings, the sandbox ${trackings}`);
        break;
      }
      if (Date.now() - warmStart > 300_000) throw new Error(`warm-up not done after 5 minutes (${c.trackings} held)`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const warmupMs = Date.now() - warmStart;

    sb.sandbox.requests.reset();
    const latencies: number[] = [];
    let groups = 0;
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      const d = dataOf(await postGraphQL(gw.url, BY_COURIER), 'deliveryStats');
      latencies.push(performance.now() - t0);
      groups = (d.deliveryStats as { groups: unknown[] }).groups.length;
    }
    const calls = countByEndpoint(sb.sandbox.requests.all());
    const s = summarize(latencies);
    rows.push({
      Measure: `deliveryStats by courier (${groups} groups, every figure), ${num(trackings)} replicated trackings`,
      Result: `p50 ${ms(s.p50)}, p99 ${ms(s.p99)} (${rounds} sequential queries)`,
      'AfterShip calls': describeCounts(calls),
      'Gateway memory': '',
    });
    headlines.push(`deliveryStats by courier over ${num(trackings)} replicated trackings: **p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, ${total(calls)} AfterShip calls** (warm-up took ${num(warmupMs / 1000, 1)} s).`);

    for (const format of ['ndjson', 'csv'] as const) {
      const before = rssOf(gw.pid);
      let peak = before ?? 0;
      const sampler = setInterval(() => {
        const r = rssOf(gw.pid);
        if (r !== null && r > peak) peak = r;
      }, 20);
      const t0 = performance.now();
      const response = await fetch(`${gw.url}/exports/trackings.${format}`, { headers: AUTH_HEADER });
      if (response.status !== 200 || !response.body) throw new Error(`export ${format}: ${response.status}`);
      let lines = 0;
      let bytes = 0;
      const reader = response.body.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
        bytes += chunk.length;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
      }
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      const exported = format === 'csv' ? lines - 1 : lines;
      if (exported !== trackings) throw new Error(`export ${format}: ${exported} rows for ${trackings} trackings`);
      rows.push({
        Measure: `Export /exports/trackings.${format}, ${num(trackings)} rows (${mib(bytes)})`,
        Result: `${num(exported / seconds)} rows/s`,
        'AfterShip calls': 'none',
        'Gateway memory': before === null ? 'n/a (no /proc)' : `RSS ${mib(before)} before, peak ${mib(peak)} while streaming (+${mib(peak - before)})`,
      });
      headlines.push(`Export as ${format.toUpperCase()}: **${num(exported / seconds)} rows/s**, gateway peak RSS ${mib(peak)} (${mib(before)} before).`);
    }
    const after = countByEndpoint(sb.sandbox.requests.all());
    if (total(after) !== total(calls)) rows[0]['AfterShip calls'] = `${describeCounts(after)} (exports included)`;
  } finally {
    await res.stop();
  }
  return {
    name: 'analytics',
    title: 'Delivery analytics over the replica',
    columns: Object.keys(rows[0] ?? {}),
    rows,
    notes: [
      'The gateway replicates a sandbox account (warm-up through GET /trackings at the replica\'s pace), then answers from the replica. Load shedding is off (the warm-up\'s page parsing shows as event-loop lag).',
      '"AfterShip calls": requests the sandbox received while the queries ran (none expected: analytics never calls AfterShip).',
      'Exports are read by one client as fast as it can; memory is the gateway process\'s RSS from /proc, sampled every 20 ms.',
    ],
    headlines,
    durationMs: Date.now() - started,
  };
}
