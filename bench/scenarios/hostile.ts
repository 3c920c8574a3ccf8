/**
 * A hostile client: legitimate clients' latency and throughput while one token floods the gateway,
 * against the same run without the flood. The legitimate clients (their own token) ask a cached
 * order page and look up tracking numbers that are not cached (which need AfterShip budget). The
 * flooding token, on 64 connections, alternates alias-amplification documents (a few thousand aliases
 * over a cached field) with lookups of distinct unknown numbers (each needs AfterShip budget).
 * Per-client limits at their defaults (CLIENT_MAX_CONCURRENT 16); the sandbox enforces AfterShip's
 * rate limits. Loads run from two separate processes.
 */
import { SCOPES } from '../../src/auth/scopes.js';
import { BENCH_API_KEY, BENCH_WEBHOOK_SECRET } from '../lib/env.js';
import { startLoadRunner } from '../lib/load-runner.js';
import { startBenchSandbox } from '../lib/sandbox.js';
import { startGateway } from '../lib/server-runner.js';
import { ms, num } from '../lib/stats.js';
import { createResources } from '../lib/resources.js';
import { combineRounds, roundPlan, type Combined } from '../lib/rounds.js';
import type { ClosedLoopJob, ClosedLoopResult } from '../load/core.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';
import { ORDER_PAGE, TRACKING_BY_NUMBER } from '../queries.js';

const LEGIT_TOKEN = 'bench-legit-client-token-0123456789abcdef';
const HOSTILE_TOKEN = 'bench-hostile-client-token-0123456789abcd';
const HOSTILE_CONNECTIONS = 64;

const body = (query: string, variables?: Record<string, unknown>): string => JSON.stringify({ query, variables });
const aliasFlood = (n: number): string => `{ tracking(id: "x") { ${Array.from({ length: n }, (_, i) => `a${i}: checkpoints { message }`).join(' ')} } }`;

export async function runHostile(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const o = resolveOptions(options);
  const started = Date.now();
  const { durationMs, rounds, firstWarmupMs, warmupMs, concurrency } = roundPlan(o.tiny);
  const res = createResources();
  const runs: { name: string; order: Combined; lookups: Combined; hostile?: Combined }[] = [];
  try {
    const sb = res.add(await startBenchSandbox({ seed: o.tiny ? 20 : 60, enforceRateLimits: true }));
    const tokens = [
      { name: 'legit', token: LEGIT_TOKEN, scopes: [...SCOPES] },
      { name: 'hostile', token: HOSTILE_TOKEN, scopes: ['aftership:tracking:read', 'aftership:courier:read'] },
    ];
    const env = { GATEWAY_TOKENS: JSON.stringify(tokens), CLIENT_MAX_CONCURRENT: '16' };
    const [gw, legitLoad, hostileLoad] = await res.all(
      startGateway({ sandboxUrl: sb.url, apiKey: BENCH_API_KEY, webhookSecret: BENCH_WEBHOOK_SECRET, env }, o.isolate),
      startLoadRunner(o.isolate),
      startLoadRunner(o.isolate),
    );
    const trackings = sb.sandbox.store.list();
    const t = trackings.find((x) => (x.checkpoints?.length ?? 0) >= 3) ?? trackings[0]!;
    const legit = { authorization: `Bearer ${LEGIT_TOKEN}` };
    const target = { url: `${gw.url}/graphql`, method: 'POST' as const };
    const orderJob: ClosedLoopJob = {
      target: { ...target, headers: legit },
      body: { kind: 'fixed', body: body(ORDER_PAGE, { id: t.id }) },
      ...{ concurrency: Math.max(1, Math.floor(concurrency / 4)), durationMs, warmupMs, check: 'graphql' as const },
    };
    const lookupJob: ClosedLoopJob = {
      target: { ...target, headers: legit },
      body: { kind: 'sequence', bodies: trackings.map((x) => body(TRACKING_BY_NUMBER, { n: x.tracking_number })) },
      ...{ concurrency: 2, durationMs, warmupMs, check: 'graphql' as const },
    };
    const flood = aliasFlood(o.tiny ? 300 : 3000);
    const hostileBodies = Array.from({ length: 2000 }, (_, i) => (i % 2 ? body(flood) : body(TRACKING_BY_NUMBER, { n: `HOSTILE${i}X${started}` })));
    const hostileJob: ClosedLoopJob = {
      target: { ...target, headers: { authorization: `Bearer ${HOSTILE_TOKEN}` } },
      body: { kind: 'sequence', bodies: hostileBodies },
      ...{ concurrency: o.tiny ? 8 : HOSTILE_CONNECTIONS, durationMs: durationMs + 2 * warmupMs, warmupMs: 0, check: 'graphql' as const },
    };
    for (const flooding of [false, true]) {
      const name = flooding ? `With one token flooding (${hostileJob.concurrency} connections)` : 'Without the flood';
      const order: ClosedLoopResult[] = [];
      const lookups: ClosedLoopResult[] = [];
      const hostile: ClosedLoopResult[] = [];
      for (let round = 0; round < rounds; round++) {
        o.log(`  hostile: round ${round + 1}/${rounds}: ${name}`);
        await gw.clearCache();
        const wu = round === 0 ? firstWarmupMs : warmupMs;
        const [a, b, c] = await Promise.all([
          legitLoad.closedLoop({ ...orderJob, warmupMs: wu }),
          legitLoad.closedLoop({ ...lookupJob, warmupMs: wu }),
          flooding ? hostileLoad.closedLoop({ ...hostileJob, durationMs: durationMs + wu }) : undefined,
        ]);
        order.push(a);
        lookups.push(b);
        if (c) hostile.push(c);
      }
      runs.push({ name, order: combineRounds(order), lookups: combineRounds(lookups), hostile: hostile.length ? combineRounds(hostile) : undefined });
    }
  } finally {
    await res.stop();
  }
  const notOk = (r: Combined): number => r.requests - (r.outcomes.ok ?? 0) + r.networkErrors;
  const outcomes = (r: Combined | undefined): string =>
    r ? Object.entries(r.outcomes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ') : '–';
  const rows: Row[] = runs.map(({ name, order, lookups, hostile }) => ({
    Run: name,
    'Legit order page req/s': num(order.perSecond),
    'Order page p50 ms': ms(order.latencyMs.p50),
    'Order page p99 ms': ms(order.latencyMs.p99),
    'Legit uncached lookups/s': num(lookups.perSecond),
    'Lookup p99 ms': ms(lookups.latencyMs.p99),
    'Legit not ok': notOk(order) + notOk(lookups),
    'Flooding token: answers/s': hostile ? num(hostile.perSecond) : '–',
    'Flooding token: outcomes': outcomes(hostile),
  }));
  const [calm, stormy] = runs;
  const headlines =
    calm && stormy
      ? [
          `Hostile client: while one token floods (${HOSTILE_CONNECTIONS} connections of alias bombs and unknown lookups), legitimate clients keep **${num(stormy.order.perSecond)} order pages/s, p99 ${ms(stormy.order.latencyMs.p99)} ms** (${num(calm.order.perSecond)}/s, p99 ${ms(calm.order.latencyMs.p99)} ms without the flood) and uncached lookups p99 ${ms(stormy.lookups.latencyMs.p99)} ms (${ms(calm.lookups.latencyMs.p99)} ms without).`,
        ]
      : [];
  return {
    name: 'hostile',
    title: 'Hostile client',
    columns: Object.keys(rows[0] ?? { Run: '' }),
    rows,
    notes: [
      `Two tokens. The legitimate one: ${Math.max(1, Math.floor(concurrency / 4))} connections asking a cached order page, and 2 connections looking up the sandbox's tracking numbers (cache cleared before each round, so lookups need AfterShip budget). The flooding one, from its own process: ${HOSTILE_CONNECTIONS} connections alternating a document of 3,000 aliases over a cached field (refused before execution) with lookups of distinct unknown numbers (each needs budget).`,
      `Defaults: CLIENT_MAX_CONCURRENT 16 (past it, 429), the rate budget taking turns between clients; the sandbox enforces AfterShip's rate limits. ${rounds} rounds of ${durationMs / 1000} s per run after a warm-up; median round shown (p99 is the median of the rounds' p99).`,
      o.isolate ? 'Gateway, the two load generators and the orchestrator (sandbox) in separate processes on the same 2 cores.' : 'In-process run (smoke test): figures are not meaningful.',
    ],
    headlines,
    durationMs: Date.now() - started,
  };
}
