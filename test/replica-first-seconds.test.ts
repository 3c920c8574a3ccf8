/**
 * The first seconds of a warm-up (issue 14): a lookup of an id the gateway has never seen uses
 * GET /trackings/:id at once while that endpoint's own budget (5/s) has room, instead of idling it
 * while the warm-up lists; with no room it waits for the listing. Counted in the sandbox's request
 * log, not timed. The warm-up is held back by latency on the list endpoint only, so the ids looked
 * up (the oldest, listed last) are still unseen when asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { silentLogger } from '../src/lib/logger.js';
import { loadConfig } from '../src/config.js';
import { startApp, type App } from '../src/app.js';
import { TEST_API_KEY, TEST_WEBHOOK_SECRET } from './helpers/gateway.js';

const N = 1000;

let sandbox: Sandbox;
let app: App;
let oldest: Tracking[];

beforeAll(async () => {
  sandbox = createSandbox({ apiKey: TEST_API_KEY, webhookSecret: TEST_WEBHOOK_SECRET, seed: N, autoAdvance: false, logger: silentLogger });
  const sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  // Oldest first: the warm-up lists these last (most recently updated first).
  oldest = [...sandbox.store.list()].sort((a, b) => Date.parse(a.updated_at!) - Date.parse(b.updated_at!)).slice(0, 40);
  // Every list call answers after 1.5 s: the warm-up is still on its first slices while the test asks.
  sandbox.faults.set({ latencyMs: 1500, endpoints: ['GET /trackings'] });
  app = await startApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      AFTERSHIP_API_KEY: TEST_API_KEY,
      AFTERSHIP_BASE_URL: sandboxUrl,
      AFTERSHIP_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      GATEWAY_AUTH: 'none',
      LOAD_SHED_EVENT_LOOP_LAG_MS: '0',
      REPLICA_ENABLED: 'true',
      REPLICA_WINDOW_DAYS: '120',
      AFTERSHIP_QUEUE_TIMEOUT_MS: '60000',
    }),
    { logger: silentLogger },
  );
});
afterAll(async () => {
  await app?.stop();
  await sandbox?.close();
});

async function lookUp(ids: string[]): Promise<{ errors?: unknown[]; data?: Record<string, { aftershipId: string; trackingNumber: string } | null> }> {
  const query = `{ ${ids.map((id, i) => `t${i}: tracking(id: "${id}") { aftershipId trackingNumber }`).join(' ')} }`;
  const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await res.json()) as never;
}

const perIdCalls = (): number => sandbox.requests.count({ endpoint: 'GET /trackings/:id' });

describe('lookups of unseen ids while the warm-up runs', () => {
  it('use GET /trackings/:id while its budget has room, and the id → number index learns them', async () => {
    const runtime = app.ops.account();
    const sync = runtime.replicaSync!;
    const asked = oldest.slice(0, 3);
    for (const t of asked) {
      expect(sync.progress().state).toBe('warming');
      expect(runtime.replica.numberOf(t.id!)).toBeUndefined();
      const res = await lookUp([t.id!]);
      expect(res.errors).toBeUndefined();
      expect(res.data?.t0).toEqual({ aftershipId: t.id, trackingNumber: t.tracking_number });
      // Learnt from the call: a later lookup after eviction goes through the number batch.
      expect(runtime.replica.numberOf(t.id!)?.trackingNumber).toBe(t.tracking_number);
    }
    expect(sync.progress().state).toBe('warming');
    expect(perIdCalls()).toBe(3);
    expect(sandbox.requests.count({ status: 429 })).toBe(0);
  });

  it('with more unseen ids at once than the budget has room for: the rest wait for the listing, never over 5 calls, 0 429s', async () => {
    const runtime = app.ops.account();
    const before = perIdCalls();
    expect(runtime.replicaSync!.progress().state).toBe('warming');
    const asked = oldest.slice(3, 23);
    // The warm-up may go at the list endpoint's pace now.
    sandbox.faults.reset();
    const res = await lookUp(asked.map((t) => t.id!));
    expect(res.errors).toBeUndefined();
    asked.forEach((t, i) => expect(res.data?.[`t${i}`]).toEqual({ aftershipId: t.id, trackingNumber: t.tracking_number }));
    const calls = perIdCalls() - before;
    // At most one budget's worth of the 20 went to GET /trackings/:id; the others came from the listing.
    expect(calls).toBeLessThanOrEqual(5);
    expect(asked.length - calls).toBeGreaterThanOrEqual(15);
    expect(sandbox.requests.count({ status: 429 })).toBe(0);
    expect(app.ops.account().client.stats().endpoints['GET /trackings/:id']?.calls ?? 0).toBe(perIdCalls());
    await runtime.replicaSync!.warmup();
    // Warm: unseen-id routing is over; every id is answered from the replica with no call.
    const after = perIdCalls();
    const again = await lookUp(oldest.slice(23, 40).map((t) => t.id!));
    expect(again.errors).toBeUndefined();
    expect(perIdCalls()).toBe(after);
  });
});
