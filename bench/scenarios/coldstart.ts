/**
 * Cold start (issue 14): the gateway starts against a sandbox account of thousands of trackings with
 * AfterShip's limits on, and from its first second N clients look up distinct trackings by id
 * (each id once, in random order, drawn from the seeded set). Distinct lookups answered per second
 * over the first 10 s and the first 60 s, errors, 429s at the sandbox and AfterShip calls by
 * endpoint; with the warm replica on, and the same run with REPLICA_ENABLED=false. Then memory per
 * replicated tracking: the gateway's heap and RSS after the warm-up (forced collections) against a
 * gateway that holds nothing, and the replica's own accounted bytes (gateway_replica_bytes).
 */
import { AUTH_HEADER, BENCH_API_KEY, BENCH_WEBHOOK_SECRET } from '../lib/env.js';
import { postGraphQL } from '../lib/gql.js';
import { countByEndpoint, describeCounts, startBenchSandbox, type BenchSandbox } from '../lib/sandbox.js';
import { startGateway, type RunningGateway } from '../lib/server-runner.js';
import type { MemorySample } from '../lib/servers.js';
import { num } from '../lib/stats.js';
import { createResources } from '../lib/resources.js';
import { resolveOptions, type Row, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';

const QUERY = 'query Lookup($id: ID!) { tracking(id: $id) { aftershipId tag } }';

interface RunFigures {
  /** Seconds after the gateway said ready at which each lookup was answered (ok ones). */
  answeredAt: number[];
  errors: Record<string, number>;
  calls: Record<string, number>;
  upstream429: number;
  /** Seconds until every id was answered (or the run ended). */
  endedAt: number;
  /** Ids left unasked when the run ended. */
  unasked: number;
}

/** Knuth shuffle with a fixed seed: both runs ask the same ids in the same order. */
function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 14;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** `clients` loops, each asking the next unasked id until none is left or `maxSeconds` passed. */
async function lookUpAll(gw: RunningGateway, ids: readonly string[], clients: number, maxSeconds: number): Promise<Omit<RunFigures, 'calls' | 'upstream429'>> {
  const t0 = performance.now();
  const answeredAt: number[] = [];
  const errors: Record<string, number> = {};
  let next = 0;
  const elapsed = (): number => (performance.now() - t0) / 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < ids.length && elapsed() < maxSeconds) {
        const id = ids[next++];
        try {
          const a = await postGraphQL(gw.url, QUERY, { id });
          const t = a.data?.tracking as { aftershipId?: string } | null | undefined;
          if (a.errors?.length) {
            const code = a.errors[0].extensions?.code ?? 'ERROR';
            errors[code] = (errors[code] ?? 0) + 1;
          } else if (t?.aftershipId !== id) {
            errors.WRONG_ANSWER = (errors.WRONG_ANSWER ?? 0) + 1;
          } else answeredAt.push(elapsed());
        } catch {
          errors.NETWORK = (errors.NETWORK ?? 0) + 1;
        }
      }
    }),
  );
  return { answeredAt, errors, endedAt: elapsed(), unasked: ids.length - next };
}

/** One gauge of the Prometheus text, for the default account. */
async function gauge(gw: RunningGateway, name: string): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`, { headers: AUTH_HEADER })).text();
  const m = new RegExp(`^${name}\\{account="default"\\} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`/metrics has no ${name}`);
  return Number(m[1]);
}

async function waitWarm(gw: RunningGateway, trackings: number): Promise<void> {
  const started = Date.now();
  while ((await gauge(gw, 'gateway_replica_warm')) !== 1 || (await gauge(gw, 'gateway_replica_trackings')) < trackings) {
    if (Date.now() - started > 300_000) throw new Error('replica not warm after 5 minutes');
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function runColdstart(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const o = resolveOptions(options);
  const started = Date.now();
  const trackings = o.tiny ? 300 : 10_000;
  const clients = o.tiny ? 4 : 16;
  // The two windows reported; a run ends at the long one (or when every id was answered).
  const [short, long] = o.tiny ? [1, 3] : [10, 60];
  const rows: Row[] = [];
  const headlines: string[] = [];
  const notes: string[] = [];
  const res = createResources();
  try {
    const sb: BenchSandbox = res.add(await startBenchSandbox({ seed: trackings, enforceRateLimits: true }));
    const ids = shuffle(sb.sandbox.store.list().map((t) => t.id!));
    const run = async (replica: boolean): Promise<{ figures: RunFigures; gw: RunningGateway; atReady: MemorySample }> => {
      o.log(`  coldstart: replica ${replica ? 'on' : 'off'}, ${clients} clients over ${num(trackings)} distinct ids for up to ${long} s`);
      sb.sandbox.requests.reset();
      const gw = await startGateway(
        {
          sandboxUrl: sb.url,
          apiKey: BENCH_API_KEY,
          webhookSecret: BENCH_WEBHOOK_SECRET,
          // The replica's window as AfterShip's (120 days) holds the whole seeded account. Load shedding off:
          // the warm-up's page parsing shows as event-loop lag, and a shed lookup is not what is measured.
          env: { REPLICA_ENABLED: String(replica), REPLICA_WINDOW_DAYS: '120', LOAD_SHED_EVENT_LOOP_LAG_MS: '0' },
        },
        o.isolate,
      );
      try {
        const atReady = await gw.memory();
        const figures = await lookUpAll(gw, ids, clients, long);
        const entries = sb.sandbox.requests.all();
        return { figures: { ...figures, calls: countByEndpoint(entries), upstream429: entries.filter((e) => e.status === 429).length }, gw, atReady };
      } catch (e) {
        await gw.stop();
        throw e;
      }
    };

    const off = await run(false);
    const baseline = off.atReady;
    await off.gw.stop();
    // One account, two gateways in turn: the first one's calls leave AfterShip's per-second windows first
    // (a fresh gateway knows nothing of them). Both runs together stay under the account's 600 a minute.
    await new Promise((r) => setTimeout(r, 1500));
    const on = await run(true);
    res.add(on.gw);
    await waitWarm(on.gw, trackings);
    const warm = await on.gw.memory();
    const held = await gauge(on.gw, 'gateway_replica_trackings');
    const accounted = await gauge(on.gw, 'gateway_replica_bytes');
    const heapPer = (warm.heapUsed - baseline.heapUsed) / held;
    const rssPer = (warm.rss - baseline.rss) / held;

    const within = (f: RunFigures, s: number): number => f.answeredAt.filter((t) => t <= s).length;
    const describeErrors = (e: Record<string, number>): string => Object.entries(e).map(([k, n]) => `${k} ×${n}`).join(', ') || '0';
    for (const [label, f] of [['on', on.figures], ['off (`REPLICA_ENABLED=false`)', off.figures]] as const) {
      const all = f.answeredAt.length === trackings;
      rows.push({
        Replica: label,
        [`Answered in first ${short} s`]: `${num(within(f, short))} (${num(within(f, short) / short, 1)}/s)`,
        [`Answered in first ${long} s`]: `${num(within(f, long))} (${num(within(f, long) / long, 1)}/s)`,
        'All answered': all ? `after ${num(Math.max(...f.answeredAt), 1)} s` : `no: ${num(f.answeredAt.length)} of ${num(trackings)} when the run ended`,
        Errors: describeErrors(f.errors),
        'Upstream 429s': f.upstream429,
        'AfterShip calls by endpoint': describeCounts(f.calls),
        'GET /trackings/:id calls': f.calls['GET /trackings/:id'] ?? 0,
        Answered: f.answeredAt.length,
      });
    }
    const memory = `${num(heapPer)} B heap, ${num(rssPer)} B RSS, ${num(accounted / held)} B accounted (gateway_replica_bytes ÷ gateway_replica_trackings)`;
    rows[0]['Memory per replicated tracking'] = memory;
    rows[1]['Memory per replicated tracking'] = '–';
    const [onRow, offRow] = [on.figures, off.figures];
    const allAnswered = (f: RunFigures): string =>
      f.answeredAt.length === trackings ? `every id answered after ${num(Math.max(...f.answeredAt), 1)} s` : `${num(f.answeredAt.length)} of ${num(trackings)} answered in the run`;
    headlines.push(
      `Cold start over ${num(trackings)} distinct ids, ${clients} clients: **${num(within(onRow, short) / short, 1)} lookups/s over the first ${short} s and ${num(within(onRow, long) / long, 1)}/s over the first ${long} s with the replica** (${allAnswered(onRow)}), ${num(within(offRow, short) / short, 1)}/s and ${num(within(offRow, long) / long, 1)}/s without; ${describeErrors(onRow.errors)} and ${describeErrors(offRow.errors)} errors, ${onRow.upstream429 + offRow.upstream429} upstream 429s.`,
      `Memory per replicated tracking (${num(held)} held, after the warm-up): ${memory}.`,
    );
    notes.push(
      `Each run starts a fresh gateway; its clients start when it is ready (the warm-up starts with it). Each id is asked once, \`tracking(id)\` with \`aftershipId tag\`; a run ends when every id was answered or after ${long} s. "Answered" counts correct answers only.`,
      'AfterShip calls are what the sandbox received during the run, the start-up probe included.',
      `Memory: heap and RSS of the gateway with the replica warm minus those of the replica-off gateway when it was ready (both after forced collections); the replica-on figure also holds the run's ${num(onRow.answeredAt.length)} answers in the response cache (small beside the replica).`,
    );
  } finally {
    await res.stop();
  }
  return {
    name: 'coldstart',
    title: 'Cold start: distinct lookups from the first second',
    columns: Object.keys(rows[0] ?? {}),
    rows,
    notes,
    headlines,
    durationMs: Date.now() - started,
  };
}
