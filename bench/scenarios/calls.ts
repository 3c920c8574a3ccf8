/**
 * AfterShip calls per operation: typical frontend operations through the gateway (cold cache,
 * then warm) and through the naive resolver-per-field baseline, counted by the sandbox itself.
 * Both read the same sandbox world, and their answers are compared on the fields that matter.
 * Calls are counted, not timed, so the gateway runs in this process even when isolating.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Tracking } from '../../src/aftership/wire-types.js';
import { BENCH_API_KEY, BENCH_WEBHOOK_SECRET } from '../lib/env.js';
import { dataOf, postGraphQL } from '../lib/gql.js';
import { countByEndpoint, describeCounts, minSecondsAtLimits, startBenchSandbox, total } from '../lib/sandbox.js';
import { startGateway } from '../lib/server-runner.js';
import { ratio } from '../lib/stats.js';
import { createResources } from '../lib/resources.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';
import { createNaiveExecutor } from '../naive.js';
import { CHECKOUT_EDD, checkoutRoutes, LIST_PAGE, lookupQuery, ORDER_PAGE } from '../queries.js';

type Json = Record<string, unknown>;
type Projection = (data: Json) => unknown;

interface Operation {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** The fields both implementations must agree on. */
  project: Projection;
}

const slugOf = (v: unknown): unknown => (v as { slug?: unknown } | null)?.slug ?? null;
const trackingKey = (t: Json | null): unknown =>
  t ? [t.aftershipId, slugOf(t.courier), (t.latestCheckpoint as Json | null)?.message ?? null] : null;

function operations(seeded: Tracking[], tiny: boolean): Operation[] {
  const rich = seeded.find((t) => (t.checkpoints?.length ?? 0) >= 3 && t.latest_estimated_delivery) ?? seeded[0];
  const pageSize = tiny ? 10 : 50;
  const lookups = seeded.slice(0, pageSize).map((t) => t.tracking_number).filter((n): n is string => Boolean(n));
  const routes = tiny ? 6 : 20;
  return [
    {
      name: 'Order page: 1 tracking + courier, checkpoints, EDD',
      query: ORDER_PAGE,
      variables: { id: rich.id },
      project: (d) => {
        const t = d.tracking as Json;
        return [t.aftershipId, slugOf(t.courier), (t.checkpoints as unknown[]).length, Boolean(t.latestEstimatedDelivery)];
      },
    },
    {
      name: `List page: ${pageSize} trackings + courier, latest checkpoint`,
      query: LIST_PAGE,
      variables: { first: pageSize },
      project: (d) => ((d.trackings as Json).edges as { node: Json }[]).map((e) => trackingKey(e.node)),
    },
    {
      name: `Lookup of ${pageSize} tracking numbers (aliases)`,
      query: lookupQuery(lookups),
      project: (d) => lookups.map((_, i) => trackingKey(d[`t${i}`] as Json | null)),
    },
    {
      name: `Checkout EDD for ${routes} routes`,
      query: CHECKOUT_EDD,
      variables: { inputs: checkoutRoutes(routes) },
      project: (d) => (d.predictEstimatedDeliveries as Json[]).map((p) => [p.slug, slugOf(p.courier), (p.estimatedDelivery as Json | null)?.datetime ?? null]),
    },
  ];
}

export async function runCalls(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const o = resolveOptions(options);
  const started = Date.now();
  const rows: Row[] = [];
  const headlines: string[] = [];
  const res = createResources();
  try {
    // Limits off: the baseline's bursts would otherwise meet 429s; the gateway budgets anyway.
    const sb = res.add(await startBenchSandbox({ seed: o.tiny ? 60 : 120, enforceRateLimits: false }));
    const gw = res.add(await startGateway({ sandboxUrl: sb.url, apiKey: BENCH_API_KEY, webhookSecret: BENCH_WEBHOOK_SECRET }, false));
    const naive = createNaiveExecutor({ baseUrl: sb.url, apiKey: BENCH_API_KEY });
    const log = sb.sandbox.requests;
    const measure = async (run: () => Promise<Json>): Promise<{ counts: Record<string, number>; data: Json }> => {
      log.reset();
      const data = await run();
      return { counts: countByEndpoint(log.all()), data };
    };
    for (const op of operations(sb.sandbox.store.list(), o.tiny)) {
      o.log(`  calls: ${op.name}`);
      await gw.clearCache();
      const viaGateway = async (): Promise<Json> => dataOf(await postGraphQL(gw.url, op.query, op.variables), `gateway ${op.name}`);
      const viaNaive = async (): Promise<Json> => {
        const r = await naive.execute(op.query, op.variables);
        if (r.errors?.length || !r.data) throw new Error(`naive ${op.name}: ${r.errors?.[0]?.message ?? 'no data'}`);
        return r.data as Json;
      };
      const cold = await measure(viaGateway);
      const warm = await measure(viaGateway);
      const base = await measure(viaNaive);
      const baseAgain = await measure(viaNaive);
      const same = isDeepStrictEqual(op.project(cold.data), op.project(base.data)) && isDeepStrictEqual(op.project(warm.data), op.project(cold.data));
      const n = total(base.counts);
      headlines.push(`${op.name}: **${total(cold.counts)} AfterShip calls cold, ${total(warm.counts)} warm**; the naive resolver-per-field baseline makes ${n} every time.`);
      rows.push({
        Operation: op.name,
        'Gateway cold': total(cold.counts),
        'Gateway warm': total(warm.counts),
        'Naive baseline': n === total(baseAgain.counts) ? n : `${n} / ${total(baseAgain.counts)}`,
        'Naive ÷ gateway cold': ratio(n, total(cold.counts), 0),
        'Gateway cold calls': describeCounts(cold.counts),
        'Naive calls': describeCounts(base.counts),
        'Min. s at AfterShip limits (gateway cold / naive)': `${minSecondsAtLimits(cold.counts)} / ${minSecondsAtLimits(base.counts)}`,
        'Same answer': same ? 'yes' : 'NO',
      });
    }
  } finally {
    await res.stop();
  }
  return {
    name: 'calls',
    title: 'AfterShip calls per operation',
    columns: Object.keys(rows[0] ?? {}),
    rows,
    notes: [
      'Counted by the sandbox (every API request it received). Cold: gateway cache cleared before the operation; warm: the same operation right after.',
      'Naive baseline (bench/naive.ts): a graphql-js schema with one resolver per field calling the REST API directly; no DataLoader, no cache, no tracking-number merging, no predict-batch. Fields already in the parent payload cost nothing, so this is a kind baseline. It has no cache, so it pays the same again on every repeat (second run shown only when it differs).',
      '"Same answer": ids, courier slugs, latest checkpoint messages / checkpoint counts / predicted dates agree between gateway and baseline.',
      '"Min. s at AfterShip limits": the shortest time AfterShip\'s per-endpoint limits (e.g. 5/s for GET /couriers) and the 600/min account cap allow for those calls; the sandbox ran with limits off here so both sides could be counted without 429s.',
    ],
    headlines,
    durationMs: Date.now() - started,
  };
}
