/**
 * The first seconds of a warm-up (issue 14): a lookup of an id the gateway has never seen uses
 * GET /trackings/:id at that endpoint's own pace (5/s) instead of idling it while the warm-up lists,
 * and takes the listing when that comes first (its queued call dropped). Counted in the sandbox's
 * request log, not timed. The warm-up is held back by latency on the list endpoint only, so the ids looked
 * up (the oldest, listed last) are still unseen when asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import type { Sandbox } from '../src/sandbox/index.js';
import type { App } from '../src/app.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const N = 1000;

let gw: TestGateway;
let sandbox: Sandbox;
let app: App;
let oldest: Tracking[];

beforeAll(async () => {
  gw = await startGateway({
    sandbox: { seed: N },
    beforeStart(sb) {
      // Oldest first: the warm-up lists these last (most recently updated first).
      oldest = [...sb.store.list()].sort((a, b) => Date.parse(a.updated_at!) - Date.parse(b.updated_at!)).slice(0, 140);
      // Every list call answers after 1.5 s: the warm-up is still on its first slices while the test asks.
      sb.faults.set({ latencyMs: 1500, endpoints: ['GET /trackings'] });
    },
    env: { REPLICA_ENABLED: 'true', REPLICA_WINDOW_DAYS: '120', AFTERSHIP_QUEUE_TIMEOUT_MS: '60000' },
  });
  ({ sandbox, app } = gw);
});
afterAll(() => gw?.close());

async function lookUp(ids: string[]): Promise<{ errors?: unknown[]; data?: Record<string, { aftershipId: string; trackingNumber: string } | null> }> {
  const query = `{ ${ids.map((id, i) => `t${i}: tracking(id: "${id}") { aftershipId trackingNumber }`).join(' ')} }`;
  const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await res.json()) as never;
}

const perIdCalls = (): number => sandbox.requests.count({ endpoint: 'GET /trackings/:id' });

describe('lookups of unseen ids while the warm-up runs', () => {
  it('use GET /trackings/:id at once while its budget has room, and the id → number index learns them', async () => {
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

  it('with more unseen ids at once than the budget has room for: GET /trackings/:id at its 5/s, the rest from the listing, queued calls dropped when it lists them', async () => {
    const runtime = app.ops.account();
    const sync = runtime.replicaSync!;
    const before = perIdCalls();
    expect(sync.progress().state).toBe('warming');
    const asked = oldest.slice(3, 103);
    // The warm-up may go at the list endpoint's pace now; 100 lookups at 5/s would take 20 s.
    sandbox.faults.reset();
    const answers = await Promise.all([lookUp(asked.slice(0, 50).map((t) => t.id!)), lookUp(asked.slice(50).map((t) => t.id!))]);
    for (const [n, res] of answers.entries()) {
      expect(res.errors).toBeUndefined();
      asked.slice(n * 50, n * 50 + 50).forEach((t, i) => expect(res.data?.[`t${i}`]).toEqual({ aftershipId: t.id, trackingNumber: t.tracking_number }));
    }
    await sync.warmup();
    const warmAt = Date.parse(sync.progress().warmAt!);
    const perId = sandbox.requests.all().filter((e) => e.endpoint === 'GET /trackings/:id');
    const calls = perId.length - before;
    // Some went to GET /trackings/:id, within its limit, the rest were answered by the listing...
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(asked.length);
    expect(sandbox.requests.maxInWindow({ endpoint: 'GET /trackings/:id' })).toBeLessThanOrEqual(5);
    // ...and the calls still queued when it listed them were dropped: none waits in the budget, none went out after.
    expect(runtime.client.stats().budget.waiting).toBe(0);
    expect(perId.filter((e) => e.at > warmAt)).toEqual([]);
    expect(sandbox.requests.count({ status: 429 })).toBe(0);
    expect(runtime.client.stats().endpoints['GET /trackings/:id']?.calls ?? 0).toBeGreaterThanOrEqual(perId.length);
    // Warm: every id is answered from the replica with no call.
    const after = perIdCalls();
    const again = await lookUp(oldest.slice(103, 140).map((t) => t.id!));
    expect(again.errors).toBeUndefined();
    expect(perIdCalls()).toBe(after);
  });
});
