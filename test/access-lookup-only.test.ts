/**
 * A public page's token (`"lookupOnly": true` in GATEWAY_TOKENS): it looks a tracking up by number and
 * follows it live, and cannot list the account's trackings, read one by id or watch the whole account.
 * Refusals are FORBIDDEN errors decided before any AfterShip call.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/lib/errors.js';
import { clientKeyOf } from '../src/auth/viewer.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { bearer, post, until, wsClient, type WsClient } from './access-support.js';

const PUBLIC = 'public-page-token-00000001';
const OPS = 'ops-full-read-token-000001';

let gw: TestGateway;
let tracking: { id: string; trackingNumber: string; slug: string };
const sockets: WsClient[] = [];

beforeAll(async () => {
  gw = await startGateway({
    sandbox: { seed: 6 },
    env: {
      GATEWAY_AUTH: 'tokens',
      GATEWAY_TOKENS: JSON.stringify([
        { name: 'tracking-page', token: PUBLIC, scopes: ['aftership:tracking:read', 'aftership:courier:read'], lookupOnly: true },
        { name: 'ops', token: OPS, scopes: ['aftership:tracking:read', 'aftership:courier:read'] },
      ]),
    },
  });
  const rec = gw.sandbox.store.list().find((t) => t.id && gw.sandbox.store.plannedEvents(t.id).length > 0)!;
  tracking = { id: rec.id!, trackingNumber: rec.tracking_number!, slug: rec.slug! };
});
afterAll(async () => {
  for (const s of sockets.splice(0)) await s.dispose();
  await gw.close();
});
beforeEach(() => gw.sandbox.requests.reset());

const q = (query: string, token: string, variables: Record<string, unknown> = {}) => post(gw.graphqlUrl, query, variables, bearer(token));

function refusedAsLookupOnly(res: Awaited<ReturnType<typeof q>>, field: string): void {
  expect(res.status).toBe(200);
  const e = res.body.errors?.find((x) => x.extensions?.code === 'FORBIDDEN');
  expect(e, JSON.stringify(res.body)).toBeDefined();
  expect(e!.message).toContain('lookup-only');
  expect(e!.message).toContain(field);
}

describe('a lookup-only token', () => {
  it('looks a tracking up by number, with its courier', async () => {
    const res = await q(
      'query ($n: String!, $s: String) { trackingByNumber(trackingNumber: $n, slug: $s) { aftershipId tag courier { name } } }',
      PUBLIC,
      { n: tracking.trackingNumber, s: tracking.slug },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toMatchObject({ trackingByNumber: { aftershipId: tracking.id } });
  });

  it('cannot list trackings, read one by id or by node id, and nothing reaches AfterShip', async () => {
    refusedAsLookupOnly(await q('{ trackings(first: 5) { totalCount edges { node { trackingNumber } } } }', PUBLIC), 'Query.trackings');
    refusedAsLookupOnly(await q('query ($id: ID!) { tracking(id: $id) { trackingNumber } }', PUBLIC, { id: tracking.id }), 'Query.tracking');
    const nodeId = encodeGlobalID('Tracking', tracking.id);
    refusedAsLookupOnly(await q('query ($id: ID!) { node(id: $id) { id } }', PUBLIC, { id: nodeId }), 'Query.node');
    refusedAsLookupOnly(await q('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', PUBLIC, { ids: [nodeId] }), 'Query.nodes');
    // A filter by tracking numbers is still a list query over the account.
    refusedAsLookupOnly(
      await q('query ($n: String!) { trackings(filter: { trackingNumbers: [$n] }) { totalCount } }', PUBLIC, { n: tracking.trackingNumber }),
      'Query.trackings',
    );
    expect(gw.sandbox.requests.count()).toBe(0);

    // The same scopes without the option list as before.
    const ops = await q('{ trackings(first: 2) { totalCount } }', OPS);
    expect(ops.body.errors).toBeUndefined();
    expect(ops.body.data).toMatchObject({ trackings: { totalCount: gw.sandbox.store.count() } });
  });

  it('follows its tracking live, but cannot watch every tracking of the account', async () => {
    const ws = wsClient(gw.wsUrl, { Authorization: `Bearer ${PUBLIC}` });
    sockets.push(ws);
    const all = ws.subscribe('subscription { trackingEvents { eventId } }');
    await all.done;
    expect(all.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(all.errors[0]?.message).toContain('lookup-only');

    const one = ws.subscribe<{ trackingUpdated: { aftershipId: string } }>('subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId tag } }', { id: tracking.id });
    const narrowed = ws.subscribe<{ trackingEvents: { tracking: { aftershipId: string } } }>(
      'subscription ($id: ID!) { trackingEvents(filter: { trackingIds: [$id] }) { tracking { aftershipId } } }',
      { id: tracking.id },
    );
    // Move it until both saw a change (subscriptions start asynchronously).
    for (let i = 0; i < 20 && (one.events.length === 0 || narrowed.events.length === 0); i++) {
      await gw.sandbox.moveTracking(tracking.id);
      await until(() => one.events.length > 0 && narrowed.events.length > 0, 'the change').catch(() => undefined);
    }
    expect(one.errors).toEqual([]);
    expect(narrowed.errors).toEqual([]);
    expect(one.events[0].trackingUpdated.aftershipId).toBe(tracking.id);
    expect(narrowed.events[0].trackingEvents.tracking.aftershipId).toBe(tracking.id);
  });

  it("cannot reach account-wide answers another token made: delivery statistics, exports, cached results, shared subscriptions", async () => {
    refusedAsLookupOnly(await q('{ deliveryStats(groupBy: [COURIER]) { coverage { complete } } }', PUBLIC), 'Query.deliveryStats');
    const exported = await fetch(`${gw.url}/exports/trackings.ndjson`, { headers: bearer(PUBLIC) });
    expect(exported.status).toBe(403);
    expect(await exported.text()).toContain('lookup-only');

    // The full token's list, answered from the response cache the second time: never to the public token.
    const list = '{ trackings(first: 2) { totalCount } }';
    for (let i = 0; i < 3; i++) expect((await q(list, OPS)).body.errors).toBeUndefined();
    refusedAsLookupOnly(await q(list, PUBLIC), 'Query.trackings');

    // The full token's account-wide subscription is running: the public token may not join its execution.
    const opsWs = wsClient(gw.wsUrl, { Authorization: `Bearer ${OPS}` });
    sockets.push(opsWs);
    const watched = opsWs.subscribe<{ trackingEvents: { eventId: string } }>('subscription { trackingEvents { eventId } }');
    for (let i = 0; i < 20 && watched.events.length === 0; i++) {
      await gw.sandbox.moveTracking(tracking.id);
      await until(() => watched.events.length > 0, 'an event for the full token').catch(() => undefined);
    }
    expect(watched.events.length).toBeGreaterThan(0);
    const publicWs = wsClient(gw.wsUrl, { Authorization: `Bearer ${PUBLIC}` });
    sockets.push(publicWs);
    const joined = publicWs.subscribe('subscription { trackingEvents { eventId } }');
    await joined.done;
    expect(joined.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(joined.events).toEqual([]);
  });

  it("counts as one client per visitor's address: a public page's visitors do not share one limit", () => {
    const viewer = { kind: 'api-token' as const, name: 'tracking-page', accountId: 'default', lookupOnly: true };
    expect(clientKeyOf(viewer, '203.0.113.7')).not.toBe(clientKeyOf(viewer, '198.51.100.2'));
    expect(clientKeyOf({ ...viewer, lookupOnly: false }, '203.0.113.7')).toBe(clientKeyOf({ ...viewer, lookupOnly: false }, '198.51.100.2'));
  });

  it('may hold read scopes only: a writing lookup-only token is refused at start-up', () => {
    const env = {
      AFTERSHIP_API_KEY: 'asat_some_key_0001',
      GATEWAY_TOKENS: JSON.stringify([{ name: 'page', token: PUBLIC, scopes: ['aftership:tracking:read', 'aftership:tracking:write'], lookupOnly: true }]),
    };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/GATEWAY_TOKENS\[0\]\.scopes of a "lookupOnly" token may only hold read scopes/);
    const bad = { ...env, GATEWAY_TOKENS: JSON.stringify([{ name: 'page', token: PUBLIC, scopes: ['aftership:tracking:read'], lookupOnly: 'yes' }]) };
    expect(() => loadConfig(bad)).toThrow(/GATEWAY_TOKENS\[0\]\.lookupOnly must be true or false/);
  });
});
