/**
 * One token cannot take the whole gateway: its concurrent operations are bounded (429 + Retry-After)
 * while other clients and webhooks keep being served; overload (event-loop lag) sheds new GraphQL work
 * with 503 while /healthz answers; and the AfterShip rate budget takes turns between clients, so one
 * client's flood of lookups does not starve another's query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrackingBatcher } from '../src/aftership/batcher.js';
import { createRateBudget } from '../src/aftership/rate-budget.js';
import { onBehalfOf } from '../src/aftership/on-behalf-of.js';
import type { AfterShipClient, CallOptions } from '../src/aftership/types.js';
import { ManualClock } from '../src/lib/clock.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const TOKENS = { flood: 'flooding-client-token-000001', other: 'another-client-token-0000002' };
const READ = ['aftership:tracking:read', 'aftership:courier:read'];
const tokensEnv = JSON.stringify([
  { name: 'flood', token: TOKENS.flood, scopes: READ },
  { name: 'other', token: TOKENS.other, scopes: READ },
]);

const ask = (gw: TestGateway, token: string, id: string) =>
  fetch(gw.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'query ($id: ID!) { tracking(id: $id) { aftershipId } }', variables: { id } }),
  });

describe('per-client concurrency', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ sandbox: { seed: 6 }, env: { GATEWAY_AUTH: 'tokens', GATEWAY_TOKENS: tokensEnv, CLIENT_MAX_CONCURRENT: '2' } });
  });
  afterAll(() => gw?.close());

  it('answers 429 with Retry-After past a client’s limit, while another client is served', async () => {
    const ids = gw.sandbox.store.list().map((t) => t.id!);
    gw.sandbox.faults.set({ latencyMs: 400 }); // slow AfterShip: operations stay in flight
    try {
      const held = [ask(gw, TOKENS.flood, ids[0]!), ask(gw, TOKENS.flood, ids[1]!)];
      // Until both are in flight a third is served; poll until the limit bites.
      let third = await ask(gw, TOKENS.flood, ids[2]!);
      for (let i = 0; i < 50 && third.status !== 429; i++) third = await ask(gw, TOKENS.flood, ids[2 + (i % 3)]!);
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('1');
      expect(await third.json()).toMatchObject({ errors: [{ extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 1 } }] });
      const other = await ask(gw, TOKENS.other, ids[3]!);
      expect(other.status).toBe(200);
      expect((await other.json()) as unknown).toMatchObject({ data: { tracking: { aftershipId: ids[3] } } });
      for (const r of await Promise.all(held)) expect(r.status).toBe(200);
    } finally {
      gw.sandbox.faults.reset();
    }
    // Slots come back once the answers are out.
    expect((await ask(gw, TOKENS.flood, ids[0]!)).status).toBe(200);
  });
});

describe('load shedding', () => {
  let gw: TestGateway;
  let lag = 0;
  beforeAll(async () => {
    gw = await startGateway({ sandbox: { seed: 2 }, env: { LOAD_SHED_EVENT_LOOP_LAG_MS: '200' }, deps: { eventLoopLag: () => lag } });
  });
  afterAll(() => gw?.close());

  it('sheds new GraphQL work with 503 while the event loop lags; health checks and webhooks are still answered', async () => {
    lag = 1500;
    const shed = await gw.graphql('{ __typename }').catch(() => undefined);
    expect(shed).toMatchObject({ errors: [{ extensions: { code: 'OVERLOADED' } }] });
    const raw = await fetch(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(raw.status).toBe(503);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const webhook = await fetch(`${gw.url}/webhooks/aftership`, { method: 'POST', body: '{}', headers: { 'aftership-hmac-sha256': 'x' } });
    expect(webhook.status).toBe(401); // examined (and refused for its signature), not shed
    lag = 0;
    expect(await gw.graphql('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('the rate budget takes turns between clients', () => {
  it('serves a second client’s call right after the first client’s next one, not behind its whole flood', async () => {
    const clock = new ManualClock();
    const budget = createRateBudget({ clock, limitsPerSecond: { 'GET /trackings/:id': 1 }, accountLimitPerMinute: 0, queueTimeoutMs: 5000, marginMs: 0 });
    const order: string[] = [];
    const take = (client: string, label: string) =>
      budget.acquire('GET /trackings/:id', 'interactive', undefined, { client }).then(
        (p) => {
          order.push(label);
          p.complete();
        },
        () => order.push(`${label}:refused`),
      );
    const flood = Array.from({ length: 8 }, (_, i) => take('flood', `f${i}`));
    await Promise.resolve();
    // Behind 8 of the flood at 1/s, a FIFO queue would make this wait 8 s, past its 5 s limit: refused.
    const other = take('other', 'o');
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setImmediate(r));
      clock.advance(1000);
    }
    await Promise.all([other, ...flood]);
    const granted = order.filter((x) => !x.endsWith(':refused'));
    // The flood's first call, then the other client's, then the rest of the flood in its own order.
    expect(granted.slice(0, 4)).toEqual(['f0', 'o', 'f1', 'f2']);
    // The flood past what fits in 5 s is refused at once (RATE_LIMITED), as before.
    expect(order.some((x) => x.startsWith('f') && x.endsWith(':refused'))).toBe(true);
  });

  it('keeps each client’s tracking-number lookups in batches of its own', async () => {
    const clock = new ManualClock();
    const budget = createRateBudget({ clock, accountLimitPerMinute: 0 });
    const sent: { numbers: string[]; client: string }[] = [];
    const batcher = createTrackingBatcher({
      clock,
      budget,
      windowMs: 1,
      fetchBatch: async (numbers, _priority, permit, _scope, client) => {
        sent.push({ numbers, client });
        permit.complete();
        return [];
      },
    });
    const lookups = [
      ...Array.from({ length: 60 }, (_, i) => batcher.lookup(`FLOOD${i}`, undefined, 'interactive', undefined, undefined, 'flood')),
      batcher.lookup('MINE1', undefined, 'interactive', undefined, undefined, 'other'),
    ];
    for (let i = 0; i < 5 && sent.length < 3; i++) {
      clock.advance(1);
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(lookups);
    expect(sent.map((b) => [b.client, b.numbers.length])).toEqual(expect.arrayContaining([['flood', 50], ['flood', 10], ['other', 1]]));
  });

  it('puts the caller’s key on every call of the per-request client', async () => {
    const seen: (CallOptions | undefined)[] = [];
    const fake = new Proxy({} as AfterShipClient, { get: (_t, method) => (...args: unknown[]) => (seen.push(args.at(-1) as CallOptions), Promise.resolve(String(method))) });
    const client = onBehalfOf(fake, 'shop/api-token:web');
    await client.getTracking('id1');
    await client.getTrackingByNumber('1Z', undefined, { priority: 'background' });
    await client.updateTracking('id1', {});
    expect(seen).toEqual([{ client: 'shop/api-token:web' }, { priority: 'background', client: 'shop/api-token:web' }, { client: 'shop/api-token:web' }]);
  });
});
