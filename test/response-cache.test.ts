/**
 * The response cache over HTTP (src/response-cache): a query whose reads were all fresh shared-cache
 * hits is answered next time before any GraphQL work, and a webhook, a mutation or a poll that changes
 * the tracking invalidates it, so the next answer is fresh. Tokens with other scopes never share a
 * result; mutations and subscriptions are never cached. (Two accounts: access-accounts.test.ts; two
 * instances on Redis: redis-response-cache.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../src/auth/scopes.js';
import type { Sandbox } from '../src/sandbox/index.js';
import { RESPONSE_CACHE_HEADER } from '../src/response-cache/index.js';
import { bearer, post } from './access-support.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const FULL = 'response-cache-full-token-0001';
const TWIN = 'response-cache-twin-token-0001';
const READER = 'response-cache-reader-token-01';

const PAGE = 'query Page($id: ID!) { tracking(id: $id) { aftershipId subtag title courier { slug name } } }';
type Page = { tracking: { aftershipId: string; subtag: string; title: string | null; courier: { slug: string } | null } };

function movable(sandbox: Sandbox, skip: readonly string[] = []): string {
  const t = sandbox.store.list().find((x) => x.id && !skip.includes(x.id) && sandbox.store.plannedEvents(x.id).length > 0);
  if (!t?.id) throw new Error('no tracking left to move in the seeded sandbox');
  return t.id;
}

async function ask<T = Page>(gw: TestGateway, token: string | undefined, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const r = await post<T>(gw.graphqlUrl, query, variables, { ...(token ? bearer(token) : {}), ...headers });
  return { ...r, cache: r.headers.get(RESPONSE_CACHE_HEADER) };
}

/** Asks until the answer comes from the response cache (the first asks warm the shared cache, then store). */
async function untilHit(gw: TestGateway, token: string | undefined, query: string, variables: Record<string, unknown>) {
  for (let i = 0; i < 4; i++) {
    const r = await ask(gw, token, query, variables);
    expect(r.body.errors).toBeUndefined();
    if (r.cache === 'hit') return r;
  }
  throw new Error('never answered from the response cache');
}

describe('response cache', () => {
  let gw: TestGateway;
  const used: string[] = [];
  beforeAll(async () => {
    gw = await startGateway({
      sandbox: { seed: 8, webhookRetry: { attempts: 1, baseDelayMs: 1000 } },
      env: {
        GATEWAY_AUTH: 'tokens',
        GATEWAY_TOKENS: JSON.stringify([
          { name: 'full', token: FULL, scopes: SCOPES },
          { name: 'twin', token: TWIN, scopes: SCOPES },
          { name: 'reader', token: READER, scopes: ['aftership:tracking:read'] },
        ]),
      },
    });
  });
  afterAll(() => gw?.close());
  const next = (): string => {
    const id = movable(gw.sandbox, used);
    used.push(id);
    return id;
  };

  it('answers a repeated query from the cache (truthful cost report), and a webhook changing the tracking makes the next answer fresh', async () => {
    const id = next();
    const cold = await ask(gw, FULL, PAGE, { id });
    expect(cold.cache).toBe('miss'); // it called AfterShip: not stored
    const warm = await ask(gw, FULL, PAGE, { id });
    expect(warm.cache).toBe('stored'); // every read a fresh shared-cache hit
    const calls = gw.sandbox.requests.count();
    const hit = await ask(gw, FULL, PAGE, { id }, { 'x-cost-report': '1' });
    expect(hit.cache).toBe('hit');
    expect(hit.body.data).toEqual(warm.body.data);
    const cost = (hit.body as { extensions?: { cost?: { maxAgeSeconds?: number } } }).extensions?.cost;
    expect(cost).toMatchObject({ aftershipCalls: {}, joinedCalls: {}, cacheHits: 0, cacheMisses: 0, responseCache: 'hit' });
    expect(cost?.maxAgeSeconds).toBeGreaterThan(0);

    const moved = await gw.sandbox.moveTracking(id);
    expect(gw.sandbox.webhooks.all().filter((w) => w.trackingId === id).map((w) => w.status)).toEqual([200]);
    const after = await ask(gw, FULL, PAGE, { id });
    expect(after.cache).toBe('stored'); // not the old entry: rebuilt from the webhook's version
    expect(after.body.data?.tracking.subtag).toBe(moved!.subtag);
    expect(after.body.data?.tracking.subtag).not.toBe(warm.body.data?.tracking.subtag);
    expect(gw.sandbox.requests.count()).toBe(calls); // the webhook carried it: no AfterShip call
  });

  it("a mutation's effect is visible in the next query; mutations are never answered from the cache", async () => {
    const id = next();
    await untilHit(gw, FULL, PAGE, { id });
    const MUTATE = 'mutation ($input: UpdateTrackingInput!) { updateTracking(input: $input) { __typename } }';
    const puts = gw.sandbox.requests.count({ endpoint: 'PUT /trackings/:id' });
    for (const title of ['Order #41', 'Order #42']) {
      const m = await ask<{ updateTracking: { __typename: string } }>(gw, FULL, MUTATE, { input: { id, title } });
      expect(m.body.data?.updateTracking.__typename).toBe('UpdateTrackingSuccess');
      expect(m.cache).not.toBe('hit');
      expect(m.cache).not.toBe('stored');
    }
    const same = await ask<{ updateTracking: { __typename: string } }>(gw, FULL, MUTATE, { input: { id, title: 'Order #42' } });
    expect(same.cache).toBe('miss');
    expect(gw.sandbox.requests.count({ endpoint: 'PUT /trackings/:id' })).toBe(puts + 3);
    const after = await ask(gw, FULL, PAGE, { id });
    expect(after.cache).not.toBe('hit');
    expect(after.body.data?.tracking.title).toBe('Order #42');
  });

  it('never shares a result between tokens with different scopes; the same account and scopes share it', async () => {
    const id = next();
    const full = await untilHit(gw, FULL, PAGE, { id });
    // The reader may not see the courier: its answer carries FORBIDDEN every time, never the cached courier.
    for (let i = 0; i < 3; i++) {
      const r = await ask(gw, READER, PAGE, { id });
      expect(r.cache).not.toBe('hit');
      expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(r.body.data?.tracking?.courier ?? null).toBeNull();
    }
    const twin = await ask(gw, TWIN, PAGE, { id });
    expect(twin.cache).toBe('hit');
    expect(twin.body.data).toEqual(full.body.data);
    // The reader's own query (without the courier) gets its own entry.
    const own = 'query Own($id: ID!) { tracking(id: $id) { aftershipId subtag } }';
    expect((await untilHit(gw, READER, own, { id })).body.data).toEqual({ tracking: { aftershipId: id, subtag: full.body.data?.tracking.subtag } });
  });

  it('never caches a subscription, or a list (it reads AfterShip, not the shared cache)', async () => {
    const store = gw.app.ops.responseCache!;
    const stored = store.stats().stored;
    const sse = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(FULL) },
      body: JSON.stringify({ query: 'subscription { trackingEvents { eventId } }' }),
    });
    expect(sse.status).toBe(200);
    expect(sse.headers.get(RESPONSE_CACHE_HEADER)).not.toBe('hit');
    await sse.body?.cancel();
    const list = '{ trackings(first: 2) { edges { node { aftershipId } } } }';
    for (let i = 0; i < 3; i++) expect((await ask(gw, FULL, list, {})).cache).toBe('miss');
    expect(store.stats().stored).toBe(stored);
  });
});

describe('response cache with polling (no webhooks)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { GATEWAY_AUTH: 'none', AFTERSHIP_WEBHOOK_SECRET: '' }, sandbox: { seed: 8, webhookRetry: { attempts: 1, baseDelayMs: 1000 } } });
  });
  afterAll(() => gw?.close());

  it('a change found by polling makes the next answer fresh', async () => {
    const rt = gw.app.ops.account().realtime;
    expect(rt.polling()).toBe(true);
    const id = movable(gw.sandbox);
    // A watched tracking is polled: an SSE subscriber watches it.
    const sse = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription ($id: ID!) { trackingUpdated(id: $id) { subtag } }', variables: { id } }),
    });
    for (let i = 0; i < 300 && rt.pubsub.watcherCount('default', id) < 1; i++) await new Promise((r) => setTimeout(r, 10));
    const hit = await untilHit(gw, undefined, PAGE, { id });
    const moved = await gw.sandbox.moveTracking(id);
    expect(gw.sandbox.webhooks.all().filter((w) => w.trackingId === id).map((w) => w.status)).toEqual([401]);
    await rt.pollNow();
    const after = await ask(gw, undefined, PAGE, { id });
    expect(after.cache).not.toBe('hit');
    expect(after.body.data?.tracking.subtag).toBe(moved!.subtag);
    expect(after.body.data?.tracking.subtag).not.toBe(hit.body.data?.tracking.subtag);
    await sse.body?.cancel();
  });
});
