/**
 * Limits set in the environment hold in the running gateway, not only their defaults:
 * MAX_QUERY_COST refuses an operation over it before anything runs, and
 * AFTERSHIP_RATE_LIMIT_PER_MINUTE caps what AfterShip receives (counted by the sandbox, which
 * enforces no account cap of its own here, so only the gateway's cap can hold the line).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const lookups = (ids: readonly string[]) => `{ ${ids.map((id, i) => `t${i}: tracking(id: "${id}") { aftershipId }`).join(' ')} }`;

describe('MAX_QUERY_COST set low', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ sandbox: { seed: 6 }, env: { MAX_QUERY_COST: '3' } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('refuses an operation estimated over it with QUERY_TOO_EXPENSIVE, before any AfterShip call; one at it runs', async () => {
    const ids = gw.sandbox.store.list().map((t) => t.id!);
    const over = await gw.graphql(lookups(ids.slice(0, 4)));
    expect(over.data ?? null).toBeNull();
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', exceeded: 'aftershipCalls', estimatedCost: 4, maxCost: 3 });
    expect(over.errors?.[0]?.message).toMatch(/the maximum is 3\b/);
    expect(gw.sandbox.requests.count()).toBe(0);

    const at = await gw.graphql<Record<string, { aftershipId: string }>, never>(lookups(ids.slice(0, 3)));
    expect(at.errors).toBeUndefined();
    expect(Object.values(at.data!).map((t) => t.aftershipId)).toEqual(ids.slice(0, 3));
  });
});

describe('AFTERSHIP_RATE_LIMIT_PER_MINUTE set low', () => {
  const CAP = 5;
  let gw: TestGateway;
  beforeAll(async () => {
    // No account cap at the sandbox: a gateway that ignored its own would be seen sending more.
    gw = await startGateway({ sandbox: { seed: 20, accountLimitPerMinute: 0 }, env: { AFTERSHIP_RATE_LIMIT_PER_MINUTE: String(CAP) } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('sends AfterShip at most that many requests a minute; the distinct lookups past it are refused at once with RATE_LIMITED', async () => {
    const ids = gw.sandbox.store.list().map((t) => t.id!).slice(0, 3 * CAP);
    const answers: { found: boolean; code?: unknown; retryAfterSeconds?: unknown }[] = [];
    // One at a time: each is a new id (a GET /trackings/:id), and the per-second limit (5) never binds.
    for (const id of ids) {
      const r = await gw.graphql<{ t0: { aftershipId: string } | null }, never>(lookups([id]));
      const e = r.errors?.[0]?.extensions;
      answers.push({ found: r.data?.t0?.aftershipId === id, code: e?.code, retryAfterSeconds: e?.retryAfterSeconds });
    }
    const sent = gw.sandbox.requests.all();
    // The start-up health probe (GET /couriers) took one of the minute's sends before the log was reset.
    expect(sent.length).toBeLessThanOrEqual(CAP - 1);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((e) => e.endpoint === 'GET /trackings/:id' && e.status === 200)).toBe(true);
    const found = answers.filter((a) => a.found);
    const refused = answers.filter((a) => !a.found);
    expect(found.length).toBe(sent.length);
    expect(refused.length).toBe(ids.length - sent.length);
    // Their turn would come a minute later, past the 10 s queue timeout: refused, with when to retry.
    for (const r of refused) {
      expect(r.code).toBe('RATE_LIMITED');
      expect(r.retryAfterSeconds).toBeGreaterThan(10);
    }
  });
});
