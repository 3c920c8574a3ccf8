/**
 * Gateway overhead: a cached tracking query through the gateway (the same token each time, then a
 * different token per request), next to a direct REST GET of the same tracking from the sandbox (a
 * plain Node HTTP server answering JSON) and a bare graphql-yoga hello world; and the same query
 * through a second gateway with tracing on (OTLP export to a local sink) asking for the cost report,
 * which is what observability costs when turned on.
 * Closed-loop load from a separate process, fixed duration, one target at a time.
 */
import { API_PATH_PREFIX } from '../../src/aftership/wire-types.js';
import type { ClosedLoopJob, ClosedLoopResult } from '../load/core.js';
import { combineRounds, roundPlan, rateWithRange, type Combined } from '../lib/rounds.js';
import { AUTH_HEADER, BENCH_API_KEY, BENCH_WEBHOOK_SECRET, ROTATING_SCOPE_SET_COUNT, rotatingTokens } from '../lib/env.js';
import { dataOf, postGraphQL } from '../lib/gql.js';
import { startLoadRunner } from '../lib/load-runner.js';
import { startBenchSandbox } from '../lib/sandbox.js';
import { startOtlpSink } from '../lib/otlp-sink.js';
import { startGateway, startHello } from '../lib/server-runner.js';
import { ms, num, ratio } from '../lib/stats.js';
import { createResources } from '../lib/resources.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';
import { HELLO, ORDER_PAGE } from '../queries.js';

export async function runOverhead(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const o = resolveOptions(options);
  const started = Date.now();
  const { durationMs, rounds, firstWarmupMs, warmupMs, concurrency } = roundPlan(o.tiny);
  const results: { name: string; r: Combined; upstream: number; hits?: number }[] = [];
  // A different token per request: as many clients as a busy shop has browsers open, in a few scope sets.
  const tokens = rotatingTokens(o.tiny ? 8 : 1000);
  let spansExported = 0;
  const res = createResources();
  try {
    // Limits off: the direct REST run would otherwise be a 429 benchmark (GET /trackings/:id is 5/s).
    const sb = res.add(await startBenchSandbox({ seed: 60, enforceRateLimits: false }));
    const sink = res.add(await startOtlpSink());
    const [gw, hello, load, traced] = await res.all(
      startGateway({ sandboxUrl: sb.url, apiKey: BENCH_API_KEY, webhookSecret: BENCH_WEBHOOK_SECRET, tokens }, o.isolate),
      startHello(o.isolate),
      startLoadRunner(o.isolate),
      startGateway({ sandboxUrl: sb.url, apiKey: BENCH_API_KEY, webhookSecret: BENCH_WEBHOOK_SECRET, env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } }, o.isolate),
    );
    const t = sb.sandbox.store.list().find((x) => (x.checkpoints?.length ?? 0) >= 3) ?? sb.sandbox.store.list()[0];
    // Warm the gateway's cache (tracking and courier list), and check the answer is real.
    dataOf(await postGraphQL(gw.url, ORDER_PAGE, { id: t.id }), 'warming the gateway');
    dataOf(await postGraphQL(traced.url, ORDER_PAGE, { id: t.id }), 'warming the traced gateway');
    const graphqlBody = (query: string, variables?: Record<string, unknown>): string => JSON.stringify({ query, variables });
    const jobs: { name: string; job: ClosedLoopJob }[] = [
      {
        name: 'Gateway: cached order-page query (tracking + courier + checkpoints + EDD)',
        job: { target: { url: `${gw.url}/graphql`, method: 'POST', headers: AUTH_HEADER }, body: { kind: 'fixed', body: graphqlBody(ORDER_PAGE, { id: t.id }) }, concurrency, durationMs, warmupMs, check: 'graphql' },
      },
      {
        name: `Gateway: same query, a different token per request (${num(tokens.length)} tokens, ${ROTATING_SCOPE_SET_COUNT} scope sets)`,
        job: {
          target: { url: `${gw.url}/graphql`, method: 'POST' },
          body: { kind: 'rotating-header', body: graphqlBody(ORDER_PAGE, { id: t.id }), header: 'authorization', values: tokens.map((x) => `Bearer ${x.token}`) },
          ...{ concurrency, durationMs, warmupMs, check: 'graphql' as const },
        },
      },
      {
        name: 'Direct REST: GET /trackings/:id from the sandbox',
        job: { target: { url: `${sb.url}${API_PATH_PREFIX}/trackings/${t.id}`, method: 'GET', headers: { 'as-api-key': BENCH_API_KEY } }, body: { kind: 'none' }, concurrency, durationMs, warmupMs, check: 'status' },
      },
      {
        name: 'Bare graphql-yoga hello world',
        job: { target: { url: `${hello.url}/graphql`, method: 'POST' }, body: { kind: 'fixed', body: graphqlBody(HELLO) }, concurrency, durationMs, warmupMs, check: 'graphql' },
      },
      {
        name: 'Gateway with tracing on (OTLP to a local sink) and x-cost-report: 1, same query',
        job: {
          target: { url: `${traced.url}/graphql`, method: 'POST', headers: { ...AUTH_HEADER, 'x-cost-report': '1' } },
          body: { kind: 'fixed', body: graphqlBody(ORDER_PAGE, { id: t.id }) },
          ...{ concurrency, durationMs, warmupMs, check: 'graphql' as const },
        },
      },
    ];
    const perTarget: ClosedLoopResult[][] = jobs.map(() => []);
    const upstreamBefore = (await gw.stats()).upstreamRequests;
    const hits = jobs.map(() => 0);
    for (let round = 0; round < rounds; round++) {
      for (const [i, { name, job }] of jobs.entries()) {
        o.log(`  overhead: round ${round + 1}/${rounds}: ${name}`);
        const before = (await gw.responseCache())?.hits ?? 0;
        perTarget[i].push(await load.closedLoop({ ...job, warmupMs: round === 0 ? firstWarmupMs : warmupMs }));
        hits[i] += ((await gw.responseCache())?.hits ?? 0) - before;
      }
    }
    // The gateway's own count: the sandbox's log also holds the direct REST run's requests.
    const upstream = (await gw.stats()).upstreamRequests - upstreamBefore;
    // The traced gateway exports in batches: stopping it (below) flushes the last one.
    await traced.stop();
    spansExported = sink.spans();
    jobs.forEach(({ name }, i) => results.push({ name, r: combineRounds(perTarget[i]), upstream: i <= 1 ? upstream : 0, hits: i <= 1 ? hits[i] : undefined }));
  } finally {
    await res.stop();
  }
  const gateway = results[0].r;
  const rows: Row[] = results.map(({ name, r, upstream, hits }, i) => ({
    Target: name,
    'Requests/s (range)': rateWithRange(r, (x) => num(x)),
    'p50 ms': ms(r.latencyMs.p50),
    'p99 ms': ms(r.latencyMs.p99),
    'Max ms': ms(r.latencyMs.max),
    'Not ok': r.requests - (r.outcomes.ok ?? 0) + r.networkErrors,
    'Gateway throughput ÷ this': i === 0 ? '1×' : ratio(gateway.perSecond, r.perSecond),
    'Gateway p50 ÷ this': i === 0 ? '1×' : ratio(gateway.latencyMs.p50, r.latencyMs.p50),
    'AfterShip calls during run': i <= 1 ? upstream : '–',
    // Sent, warm-ups included: the response cache answered these (the rest were the warm-up's first misses).
    'Answered by the response cache': hits === undefined ? '–' : `${num(hits)} of ${num(r.sent)} sent`,
  }));
  const [, rotating, rest, hi, tracedRun] = results.map((x) => x.r);
  const headlines = [
    `Cached order-page query through the gateway: **${num(gateway.perSecond)} req/s, p50 ${ms(gateway.latencyMs.p50)} ms, p99 ${ms(gateway.latencyMs.p99)} ms** at ${concurrency} concurrent; ` +
      `${ratio(gateway.perSecond, rest.perSecond)} the throughput of a direct REST GET of the same tracking from the sandbox (${num(rest.perSecond)} req/s) and ${ratio(gateway.perSecond, hi.perSecond)} that of a bare graphql-yoga hello world (${num(hi.perSecond)} req/s); ${results[0].upstream} AfterShip calls during the run.`,
    `The same query with a different token per request (${num(tokens.length)} tokens in ${ROTATING_SCOPE_SET_COUNT} scope sets): ${num(rotating.perSecond)} req/s, p50 ${ms(rotating.latencyMs.p50)} ms (${ratio(rotating.perSecond, rest.perSecond)} the direct REST GET, ${ratio(rotating.perSecond, hi.perSecond)} the hello world).`,
    `With tracing on (a span per operation exported over OTLP) and the cost report asked for: ${num(tracedRun.perSecond)} req/s, p50 ${ms(tracedRun.latencyMs.p50)} ms (${ratio(tracedRun.perSecond, gateway.perSecond)} the throughput with tracing off); ${num(spansExported)} spans reached the sink.`,
  ];
  return {
    name: 'overhead',
    title: 'Gateway overhead',
    columns: Object.keys(rows[0]),
    rows,
    notes: [
      `Closed loop, ${concurrency} concurrent keep-alive connections, one target at a time: ${rounds} rounds of ${durationMs / 1000} s per target, interleaved (gateway, REST, hello, gateway, ...), each after a ${warmupMs / 1000} s warm-up (${firstWarmupMs / 1000} s the first time). Median round shown; range = slowest–fastest round; p50/p99 are medians over rounds, max is the overall max.`,
      o.isolate
        ? 'Load generator, gateway and hello-world server each in their own process; the sandbox in the orchestrator process (idle except during the direct REST run). All share the same 2 cores, so the load generator competes with the server it measures.'
        : 'In-process run (smoke test): figures are not meaningful.',
      'Gateway requests carry a gateway API token (access control on, as in production); the answer is validated (no errors) for every request. The second row sends a different token each time, from 1,000 configured tokens whose scopes come in 4 sets: the response cache keeps one answer per account and scope set.',
      'Requests sent are counted from the first warm-up on; the response cache answers a query once its result is stored (the second time each scope set asks, the first being the one that stores it).',
      'The first gateway runs with tracing off (the default: the OpenTelemetry SDK is not loaded); the last row is a second gateway with OTEL_EXPORTER_OTLP_ENDPOINT set to a local sink, each request sending x-cost-report: 1.',
    ],
    headlines,
    durationMs: Date.now() - started,
  };
}
