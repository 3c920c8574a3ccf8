/**
 * Over-budget demand: open-loop bursts of distinct queries (nothing cacheable) at 5× and 20×
 * AfterShip's per-second limit of the endpoint behind them, against a sandbox that enforces
 * AfterShip's limits (per endpoint and 600/min). The gateway must queue and shed, never cause a 429.
 *  - `tracking(id)` is backed by GET /trackings/:id (5/s); the ids are new to the gateway.
 *  - `trackingByNumber` is backed by GET /trackings (6/s), where lookups merge 50 to a call.
 */
import type { ClientStats } from '../../src/aftership/types.js';
import type { OpenLoopResult } from '../load/core.js';
import type { Tracking } from '../../src/aftership/wire-types.js';
import { ENDPOINT_LIMITS_PER_SECOND, type EndpointKey } from '../../src/aftership/endpoints.js';
import { AUTH_HEADER, BENCH_API_KEY, BENCH_WEBHOOK_SECRET } from '../lib/env.js';
import { startLoadRunner } from '../lib/load-runner.js';
import { countByEndpoint, describeCounts, directBurst429s, startBenchSandbox } from '../lib/sandbox.js';
import { startGateway } from '../lib/server-runner.js';
import { ms, num } from '../lib/stats.js';
import { createResources } from '../lib/resources.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';
import { TRACKING_BY_ID, TRACKING_BY_NUMBER } from '../queries.js';

interface Variant {
  label: string;
  endpoint: EndpointKey;
  body(t: Tracking): string;
}

const VARIANTS: Variant[] = [
  { label: 'tracking(id), distinct new ids', endpoint: 'GET /trackings/:id', body: (t) => JSON.stringify({ query: TRACKING_BY_ID, variables: { id: t.id } }) },
  { label: 'trackingByNumber, distinct numbers', endpoint: 'GET /trackings', body: (t) => JSON.stringify({ query: TRACKING_BY_NUMBER, variables: { n: t.tracking_number } }) },
];
const MULTIPLES = [5, 20];
/** The smoke test only proves the harness: the harder case, briefly. */
const TINY_MULTIPLES = [20];

function queueWait(stats: ClientStats): { mean: number | null; max: number | null } {
  let calls = 0;
  let waited = 0;
  let max: number | null = null;
  for (const e of Object.values(stats.endpoints)) {
    calls += e.calls;
    waited += e.queueWaitMsTotal;
    if (e.calls) max = Math.max(max ?? 0, e.queueWaitMsMax);
  }
  return { mean: calls ? waited / calls : null, max };
}

export async function runOverload(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const o = resolveOptions(options);
  const started = Date.now();
  const offeredSeconds = o.tiny ? 0.2 : 4;
  const multiples = o.tiny ? TINY_MULTIPLES : MULTIPLES;
  // Enough distinct trackings that no run of a variant repeats one of its earlier runs (the cache is cleared between runs too).
  const need = Math.max(...VARIANTS.map((v) => multiples.reduce((a, m) => a + Math.ceil(m * ENDPOINT_LIMITS_PER_SECOND[v.endpoint] * offeredSeconds), 0)));
  const rows: Row[] = [];
  const headlines: string[] = [];
  const queueTimeoutMs = o.tiny ? 1000 : 10_000;
  const res = createResources();
  let control = '';
  try {
    const sb = res.add(await startBenchSandbox({ seed: need + 20, enforceRateLimits: true }));
    const load = res.add(await startLoadRunner(o.isolate));
    const target = { sandboxUrl: sb.url, apiKey: BENCH_API_KEY, webhookSecret: BENCH_WEBHOOK_SECRET, env: { AFTERSHIP_QUEUE_TIMEOUT_MS: String(queueTimeoutMs) } };
    const all = sb.sandbox.store.list();
    // The 429 count below means something only if the sandbox refuses what is over AfterShip's limits.
    const burst = await directBurst429s(sb, all[0].id!);
    if (burst.refused === 0) throw new Error(`overload: the sandbox answered ${burst.sent} GET /trackings/:id sent at once without a 429; it does not enforce AfterShip's limits, so "0 429s" would prove nothing`);
    control = `Before the runs, ${burst.sent} GET /trackings/:id sent at once straight to the sandbox got ${burst.refused} 429s: its limits are in force.`;
    for (const v of VARIANTS) {
      let next = 0;
      for (const m of multiples) {
        const rate = m * ENDPOINT_LIMITS_PER_SECOND[v.endpoint];
        const n = Math.ceil(rate * offeredSeconds);
        const slice = all.slice(next, next + n);
        next += n;
        if (slice.length < n) throw new Error(`overload: sandbox has ${all.length} trackings, need ${next}`);
        o.log(`  overload: ${v.label} at ${m}× (${rate}/s for ${offeredSeconds} s)`);
        // A fresh gateway per run: empty cache, no ids learned, its own stats.
        const gw = await startGateway(target, o.isolate);
        let r: OpenLoopResult;
        let stats: ClientStats;
        try {
          // Let the previous run's per-second windows pass.
          await new Promise((resolve) => setTimeout(resolve, 1100));
          sb.sandbox.requests.reset();
          r = await load.openLoop({ target: { url: `${gw.url}/graphql`, method: 'POST', headers: AUTH_HEADER }, bodies: slice.map(v.body), ratePerSecond: rate, check: 'graphql' });
          stats = await gw.stats();
        } finally {
          await gw.stop();
        }
        const entries = sb.sandbox.requests.all();
        const ok = r.outcomes.ok ?? 0;
        const failed = Object.entries(r.outcomes).filter(([k]) => k !== 'ok');
        const wait = queueWait(stats);
        const count429 = entries.filter((e) => e.status === 429).length;
        const upstream = entries.filter((e) => e.status !== 429).length;
        headlines.push(
          `${v.label} at ${m}× the ${v.endpoint} budget (${n} ops in ${offeredSeconds} s): **` +
            (ok === n ? `all ${n} ok` : `${ok} ok, ${n - ok} refused` + (r.failedLatencyMs.p50 !== null ? ` after p50 ${ms(r.failedLatencyMs.p50)} ms` : '')) +
            `, ${upstream} AfterShip calls, ${count429} 429s**.`,
        );
        rows.push({
          Operation: v.label,
          Demand: `${m}× budget: ${rate}/s for ${offeredSeconds} s (${n} ops)`,
          'Completed ok': ok,
          'Ok/s': num(ok / (r.wallMs / 1000), 1),
          'Refused (code)': failed.length ? failed.map(([k, c]) => `${c} ${k}`).join(', ') : 0,
          'AfterShip calls': describeCounts(countByEndpoint(entries.filter((e) => e.status !== 429))),
          '429s at sandbox': count429,
          // From the sandbox's request log, 429s included: AfterShip's limit holds in every rolling second.
          'Most calls in one second': sb.sandbox.requests.maxInWindow({ endpoint: v.endpoint, include429: true }),
          'Ok latency p50 / p99 ms': `${ms(r.okLatencyMs.p50)} / ${ms(r.okLatencyMs.p99)}`,
          'Refusal latency p50 ms': ms(r.failedLatencyMs.p50),
          'Queue wait mean / max ms': `${ms(wait.mean)} / ${ms(wait.max)}`,
          'Wall s': num(r.wallMs / 1000, 1),
        });
      }
    }
  } finally {
    await res.stop();
  }
  return {
    name: 'overload',
    title: 'Over-budget demand',
    columns: Object.keys(rows[0]),
    rows,
    notes: [
      `Open loop${o.isolate ? ' from a separate process' : ' (in-process smoke run)'}: one distinct query every 1/rate s, whatever the answers. A fresh gateway per run (empty cache, no tracking ids learned), so nothing is served from cache.`,
      control,
      `Sandbox enforces AfterShip's limits (GET /trackings/:id 5/s, GET /trackings 6/s, 600/min per account) and counts 429s; "Most calls in one second" is the most requests of the endpoint its log holds in any rolling second. Gateway with default budget, queue timeout ${queueTimeoutMs / 1000} s: a query whose turn would come later is refused at once with RATE_LIMITED (and retryAfter), instead of waiting or hitting AfterShip.`,
      'Queue wait: from the AfterShip client\'s stats() (time calls spent in the rate-budget queue before being sent), mean and max over the run\'s calls. Ok latency is what the client saw: queue wait plus the call.',
      'Ok/s: completed operations ÷ wall time from the first request to the last answer.',
      'tracking(id) with ids the gateway has seen before (e.g. from a list page) would also be routed through the tracking-number batcher while GET /trackings/:id is congested (src/aftership/client.ts); these runs use new ids, so they show the plain 5/s path.',
    ],
    headlines,
    durationMs: Date.now() - started,
  };
}
