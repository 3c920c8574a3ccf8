/**
 * The warm replica (issue 14) against a sandbox of thousands of trackings with AfterShip's limits on:
 * from a cold start every distinct tracking(id) is answered with 0 errors and 0 upstream 429s, for
 * the list calls the warm-up needs plus a handful, never GET /trackings/:id for a replicated one
 * (only, within its own budget, for ids the warm-up has not listed yet);
 * a webhook's change shows with 0 calls; without webhooks an incremental pass brings a change within
 * REPLICA_SYNC_INTERVAL_MS; a tracking deleted in AfterShip disappears on the next full pass;
 * /readyz and /metrics tell the warm-up's progress.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { silentLogger } from '../src/lib/logger.js';
import { loadConfig } from '../src/config.js';
import { startApp } from '../src/app.js';
import { TEST_API_KEY, TEST_WEBHOOK_SECRET, type TestGateway } from './helpers/gateway.js';

const N = 3000;
/** AfterShip lists the last 120 days; the seeded world spans six weeks. */
const ON = { REPLICA_ENABLED: 'true', REPLICA_WINDOW_DAYS: '120', AFTERSHIP_QUEUE_TIMEOUT_MS: '60000' };

let sandbox: Sandbox;
let sandboxUrl: string;
let all: Tracking[];
const gateways: TestGateway[] = [];

beforeAll(async () => {
  // Real clock (the replica's date windows and the sandbox's dates must agree), nothing moves on its own.
  sandbox = createSandbox({ apiKey: TEST_API_KEY, webhookSecret: TEST_WEBHOOK_SECRET, seed: N, autoAdvance: false, logger: silentLogger });
  sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  all = sandbox.store.list();
});
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});
afterAll(() => sandbox.close());

/** A gateway (replica on) over the shared sandbox, its webhooks pointed at the gateway. */
async function startOn(target: Sandbox, env: Record<string, string> = {}): Promise<TestGateway> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AFTERSHIP_API_KEY: TEST_API_KEY,
    AFTERSHIP_BASE_URL: sandboxUrl,
    AFTERSHIP_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    GATEWAY_AUTH: 'none',
    LOAD_SHED_EVENT_LOOP_LAG_MS: '0',
    ...ON,
    ...env,
  });
  const app = await startApp(config, { logger: silentLogger });
  target.setWebhookTarget(`${app.url}/webhooks/aftership`, TEST_WEBHOOK_SECRET);
  const graphqlUrl = `${app.url}/graphql`;
  const gw: TestGateway = {
    app,
    sandbox: target,
    url: app.url,
    graphqlUrl,
    wsUrl: graphqlUrl.replace(/^http/, 'ws'),
    async graphql(document) {
      const res = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document }) });
      return (await res.json()) as never;
    },
    close: () => app.stop(),
  };
  gateways.push(gw);
  return gw;
}

/** Looks every id up, 50 aliases a query, `parallel` queries at a time; returns the errors and the answers. */
async function lookUp(gw: TestGateway, ids: string[], parallel = 4): Promise<{ errors: unknown[]; found: Map<string, { aftershipId: string; tag: string }> }> {
  const errors: unknown[] = [];
  const found = new Map<string, { aftershipId: string; tag: string }>();
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 50) chunks.push(ids.slice(i, i + 50));
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++];
        const query = `{ ${chunk.map((id, i) => `t${i}: tracking(id: "${id}") { aftershipId tag }`).join(' ')} }`;
        const res = await gw.graphql<Record<string, { aftershipId: string; tag: string } | null>, never>(query);
        if (res.errors) errors.push(...res.errors);
        chunk.forEach((id, i) => {
          const t = res.data?.[`t${i}`];
          if (t) found.set(id, t);
        });
      }
    }),
  );
  return { errors, found };
}

const upstream = (gw: TestGateway) => gw.app.ops.account().client.stats();

describe(`the warm replica over ${N} trackings`, () => {
  it('answers every distinct tracking(id) from a cold start: 0 errors, 0 upstream 429s, GET /trackings/:id only for ids not yet listed while warming, list calls as the warm-up needs', async () => {
    const gw = await startOn(sandbox);
    const sync = gw.app.ops.account().replicaSync!;
    // Lookups start at once, in no particular order, while the warm-up runs.
    const ids = shuffle(all.map((t) => t.id!));
    const { errors, found } = await lookUp(gw, ids);
    expect(errors).toEqual([]);
    expect(found.size).toBe(N);
    for (const t of all) expect(found.get(t.id!)?.tag).toBe(enumOf(t.tag));
    await sync.warmup();
    const stats = upstream(gw);
    // GET /trackings/:id only for ids not yet listed, while the warm-up ran, within its own budget
    // (its 5/s would otherwise idle): never once warm.
    const warmAt = Date.parse(sync.progress().warmAt!);
    const perId = sandbox.requests.all().filter((e) => e.endpoint === 'GET /trackings/:id');
    expect(perId.every((e) => e.at <= warmAt)).toBe(true);
    expect(perId.length).toBeLessThanOrEqual(5 * Math.ceil((warmAt - Date.parse(sync.progress().startedAt!)) / 1000 + 1));
    // Those the listing answered first were dropped from the budget's queue before they were sent.
    expect(stats.budget.waiting).toBe(0);
    expect(sandbox.requests.count({ status: 429 })).toBe(0);
    expect(stats.endpoints['GET /trackings']?.rateLimited ?? 0).toBe(0);
    // 3000 trackings at 200 a call, in four slices (hour, day, week, rest) plus the pass's catch-up call.
    const warmupCalls = sync.progress().calls;
    expect(warmupCalls).toBeLessThanOrEqual(Math.ceil(N / 200) + 5);
    expect(stats.endpoints['GET /trackings']?.calls).toBe(warmupCalls);

    // Warm: another round of every id costs nothing at all.
    const before = upstream(gw).upstreamRequests;
    const again = await lookUp(gw, ids.slice(0, 1000));
    expect(again.errors).toEqual([]);
    expect(again.found.size).toBe(1000);
    expect(upstream(gw).upstreamRequests).toBe(before);
    const replica = gw.app.ops.account().replica;
    expect(replica.coverage()).toMatchObject({ complete: true, trackings: N });
  });

  it('shows a webhook-delivered change with 0 calls; reports progress in /readyz and /metrics', async () => {
    const gw = await startOn(sandbox);
    const runtime = gw.app.ops.account();
    await runtime.replicaSync!.warmup();
    const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as { replica: { state: string; trackings: number; complete: boolean; calls: number } };
    expect(ready.replica).toMatchObject({ state: 'ready', trackings: N, complete: true });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_replica_trackings\{account="default"\} 3000/);
    expect(metrics).toMatch(/gateway_replica_warm\{account="default"\} 1/);

    const moving = all.find((t) => t.active)!;
    const before = upstream(gw).upstreamRequests;
    const moved = await sandbox.moveTracking(moving.id!);
    expect(moved?.tag).toBeDefined();
    await expect.poll(() => runtime.replica.get(moving.id!)?.updated_at, { timeout: 10_000 }).toBe(moved!.updated_at);
    const { found, errors } = await lookUp(gw, [moving.id!]);
    expect(errors).toEqual([]);
    expect(found.get(moving.id!)?.tag).toBe(enumOf(moved!.tag));
    expect(upstream(gw).upstreamRequests).toBe(before);
  });

  it('without webhooks, an incremental pass brings a change within REPLICA_SYNC_INTERVAL_MS; a deleted tracking goes on the next full pass', async () => {
    const gw = await startOn(sandbox, { AFTERSHIP_WEBHOOK_SECRET: '', REPLICA_SYNC_INTERVAL_MS: '1000' });
    const runtime = gw.app.ops.account();
    await runtime.replicaSync!.warmup();
    expect(runtime.realtime.polling()).toBe(true);
    const moving = all.filter((t) => t.active)[1];
    const moved = await sandbox.moveTracking(moving.id!);
    // The documented bound: one interval plus the pass itself.
    await expect.poll(() => runtime.replica.get(moving.id!)?.updated_at, { timeout: 15_000, interval: 100 }).toBe(moved!.updated_at);
    const { found } = await lookUp(gw, [moving.id!]);
    expect(found.get(moving.id!)?.tag).toBe(enumOf(moved!.tag));
    expect(upstream(gw).endpoints['GET /trackings/:id']?.calls ?? 0).toBe(0);

    // Deleted in AfterShip behind the gateway's back: gone after the next full pass.
    const victim = all[7];
    const del = await fetch(`${sandbox.url}/tracking/2026-07/trackings/${victim.id}`, { method: 'DELETE', headers: { 'as-api-key': TEST_API_KEY } });
    expect(del.status).toBe(200);
    expect(runtime.replica.get(victim.id!)).toBeDefined();
    await runtime.replicaSync!.fullSyncNow();
    expect(runtime.replica.get(victim.id!)).toBeUndefined();
    const gone = await gw.graphql<{ tracking: unknown }, never>(`{ tracking(id: "${victim.id}") { aftershipId } }`);
    expect(gone.data?.tracking).toBeNull();
  });
});

/** The GraphQL spelling of an AfterShip tag: InfoReceived → INFO_RECEIVED. */
const enumOf = (tag: string | undefined): string | undefined => tag?.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

/** Knuth shuffle with a fixed seed: the same order every run. */
function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
