/**
 * Two AfterShip accounts behind one gateway, each its own organisation (its own sandbox): the
 * default account (AFTERSHIP_API_KEY) and account "b" (AFTERSHIP_ACCOUNTS). A client acting for one
 * never sees the other's trackings, cache entries or subscription events; each account's webhooks
 * are verified with that account's secret on its own route.
 */
import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { READ_SCOPES, SCOPES } from '../src/auth/scopes.js';
import { silentLogger } from '../src/lib/logger.js';
import { createSandbox, signWebhook, type Sandbox } from '../src/sandbox/index.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { TEST_WEBHOOK_SECRET } from './helpers/gateway.js';
import { bearer, createOrgRouter, post, until, wsClient, type OrgRouter, type WsClient } from './access-support.js';

const TOKEN_A = 'account-a-reader-token-001';
const TOKEN_B = 'account-b-reader-token-001';
const ADMIN_A = 'account-a-admin-token-0001';
const ADMIN_B = 'account-b-admin-token-0001';
const KEY_B = 'account-b-aftership-key';
const SECRET_B = 'account-b-webhook-secret';
const JWT_SECRET = 'accounts-test-hs256-secret-0123456789abcdef';

type Page = { trackings: { totalCount: number; edges: { node: { aftershipId: string; trackingNumber: string } }[] } };

describe('two AfterShip accounts', () => {
  let b: Sandbox;
  let router: OrgRouter;
  let gw: TestGateway;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    b = createSandbox({ apiKey: KEY_B, webhookSecret: SECRET_B, seed: 6, randomSeed: 99, logger: silentLogger });
    router = createOrgRouter({ b: { url: await b.listen(0, '127.0.0.1'), apiKey: KEY_B } });
    gw = await startGateway({
      sandbox: { seed: 6 },
      deps: { fetch: router.fetch },
      env: {
        GATEWAY_AUTH: 'tokens,jwt',
        GATEWAY_TOKENS: JSON.stringify([
          { name: 'a-reader', token: TOKEN_A, scopes: READ_SCOPES },
          { name: 'b-reader', token: TOKEN_B, scopes: READ_SCOPES, account: 'b' },
          { name: 'a-admin', token: ADMIN_A, scopes: SCOPES },
          { name: 'b-admin', token: ADMIN_B, scopes: SCOPES, account: 'b' },
        ]),
        GATEWAY_JWT_SECRET: JWT_SECRET,
        AFTERSHIP_ACCOUNTS: JSON.stringify([{ id: 'b', kind: 'api-key', apiKey: KEY_B, webhookSecret: SECRET_B }]),
      },
    });
    b.setWebhookTarget(`${gw.url}/webhooks/aftership/b`, SECRET_B);
  });
  afterAll(async () => {
    for (const s of sockets.splice(0)) await s.dispose();
    await gw?.close();
    await b?.close();
  });

  const a = () => gw.sandbox;
  const q = <T = Record<string, unknown>>(token: string, query: string, variables: Record<string, unknown> = {}) =>
    post<T>(gw.graphqlUrl, query, variables, bearer(token));
  const list = (token: string) => q<Page>(token, '{ trackings(first: 50) { totalCount edges { node { aftershipId trackingNumber } } } }');
  const idsOf = (s: Sandbox) => new Set(s.store.list().map((t) => t.id!));

  it('each token lists its own account\'s trackings, from its own organisation', async () => {
    const [resA, resB] = [await list(TOKEN_A), await list(TOKEN_B)];
    expect(resA.body.errors).toBeUndefined();
    expect(resB.body.errors).toBeUndefined();
    const seenA = resA.body.data!.trackings.edges.map((e) => e.node.aftershipId);
    const seenB = resB.body.data!.trackings.edges.map((e) => e.node.aftershipId);
    expect(new Set(seenA)).toEqual(idsOf(a()));
    expect(new Set(seenB)).toEqual(idsOf(b));
    expect(seenA.filter((id) => seenB.includes(id))).toEqual([]);
    expect(a().requests.count({ endpoint: 'GET /trackings' })).toBe(1);
    expect(b.requests.count({ endpoint: 'GET /trackings' })).toBe(1);
    expect(router.sent.every((s) => s.org === 'b' && s.apiKey === KEY_B)).toBe(true);
  });

  it("account A's tracking does not exist for B: not from A's cache, not from A's organisation", async () => {
    const tracking = a().store.list()[0];
    const globalId = encodeGlobalID('Tracking', tracking.id!);
    const byId = 'query ($id: ID!) { tracking(id: $id) { aftershipId } node(id: $id) { id } }';
    const asA = await q(TOKEN_A, byId, { id: globalId });
    expect(asA.body.data).toEqual({ tracking: { aftershipId: tracking.id }, node: { id: globalId } });
    expect(gw.app.ops.cache.getTracking('default', tracking.id!)).toBeDefined();
    expect(gw.app.ops.cache.getTracking('b', tracking.id!)).toBeUndefined();

    a().requests.reset();
    b.requests.reset();
    const asB = await q(TOKEN_B, byId, { id: globalId });
    expect(asB.body.errors).toBeUndefined();
    expect(asB.body.data).toEqual({ tracking: null, node: null });
    const byNumber = await q(TOKEN_B, 'query ($n: String!) { trackingByNumber(trackingNumber: $n) { aftershipId } }', { n: tracking.tracking_number });
    expect(byNumber.body.data).toEqual({ trackingByNumber: null });
    // B's question went to B's organisation, which answered "does not exist"; A's was not asked.
    expect(b.requests.count({ endpoint: 'GET /trackings/:id', status: 404 })).toBeGreaterThanOrEqual(1);
    expect(a().requests.count()).toBe(0);
    expect(gw.app.ops.cache.getTracking('b', tracking.id!)).toBeUndefined();
  });

  it("A's cached result is never B's answer: the response cache is per account", async () => {
    const tracking = a().store.list()[1];
    const byId = 'query Same($id: ID!) { tracking(id: $id) { aftershipId tag } }';
    const variables = { id: tracking.id! };
    let cached = false;
    for (let i = 0; i < 4 && !cached; i++) cached = (await q(TOKEN_A, byId, variables)).headers.get('x-response-cache') === 'hit';
    expect(cached).toBe(true);
    b.requests.reset();
    for (let i = 0; i < 2; i++) {
      const asB = await q(TOKEN_B, byId, variables);
      expect(asB.headers.get('x-response-cache')).not.toBe('hit');
      expect(asB.body.data).toEqual({ tracking: null });
    }
    expect(b.requests.count({ endpoint: 'GET /trackings/:id', status: 404 })).toBe(2);
  });

  // The shared cache's other key spaces: each entry is the account's own, whatever the other holds under the same id.
  it("A's cached carrier connection is not B's: B's organisation is asked and has none", async () => {
    const created = await q<{ createCarrierConnection: { __typename: string; carrierConnection?: { aftershipId: string } } }>(
      ADMIN_A,
      'mutation { createCarrierConnection(input: { courierSlug: "ups-api", credentials: [{ name: "user_id", value: "a" }, { name: "password", value: "p" }, { name: "access_license_number", value: "L" }] }) { __typename ... on CreateCarrierConnectionSuccess { carrierConnection { aftershipId } } } }',
    );
    const id = created.body.data!.createCarrierConnection.carrierConnection!.aftershipId;
    const byId = 'query ($id: ID!) { carrierConnection(id: $id) { aftershipId courierSlug } }';
    a().requests.reset();
    expect((await q(TOKEN_A, byId, { id })).body.data).toEqual({ carrierConnection: { aftershipId: id, courierSlug: 'ups-api' } });
    expect(a().requests.count()).toBe(0); // from A's cache, primed by the mutation
    b.requests.reset();
    const asB = await q(TOKEN_B, byId, { id });
    expect(asB.body).toEqual({ data: { carrierConnection: null } });
    expect(b.requests.count({ endpoint: 'GET /courier-connections/:id', status: 404 })).toBe(1);
    expect(a().requests.count()).toBe(0);
  });

  it("A's legacy id never leads B to a tracking, even one of B's under the same merchant-chosen id", async () => {
    type Created = { createTracking: { __typename: string; tracking?: { aftershipId: string; legacyId: string; title: string } } };
    const create = async (token: string, title: string) => {
      const r = await q<Created>(
        token,
        'mutation ($input: CreateTrackingInput!) { createTracking(input: $input) { __typename ... on CreateTrackingSuccess { tracking { aftershipId legacyId title } } } }',
        { input: { aftershipId: 'order-1001', trackingNumber: '1Z999AA10123456784', slug: 'ups', title } },
      );
      expect(r.body.data?.createTracking.__typename, JSON.stringify(r.body)).toBe('CreateTrackingSuccess');
      return r.body.data!.createTracking.tracking!;
    };
    // Gone again afterwards, so the tests after this one see the seeded worlds.
    onTestFinished(async () => {
      for (const token of [ADMIN_A, ADMIN_B]) await q(token, 'mutation { deleteTracking(input: { id: "order-1001" }) { __typename } }');
    });
    // Each account's own tracking, with the same id in both: B's first, then A's (both in the cache).
    const ofB = await create(ADMIN_B, 'B');
    const ofA = await create(ADMIN_A, 'A');
    expect([ofA.aftershipId, ofB.aftershipId]).toEqual(['order-1001', 'order-1001']);
    expect(ofA.legacyId).not.toBe(ofB.legacyId);
    const byId = 'query ($id: ID!) { tracking(id: $id) { aftershipId title } }';
    expect((await q(TOKEN_A, byId, { id: ofA.legacyId })).body.data).toEqual({ tracking: { aftershipId: 'order-1001', title: 'A' } });
    expect((await q(TOKEN_B, byId, { id: ofB.legacyId })).body.data).toEqual({ tracking: { aftershipId: 'order-1001', title: 'B' } });
    // The other account's legacy id is unknown to each: asked of its own organisation, not found.
    a().requests.reset();
    b.requests.reset();
    expect((await q(TOKEN_B, byId, { id: ofA.legacyId })).body).toEqual({ data: { tracking: null } });
    expect((await q(TOKEN_A, byId, { id: ofB.legacyId })).body).toEqual({ data: { tracking: null } });
    expect(b.requests.count({ endpoint: 'GET /trackings/:id', status: 404 })).toBe(1);
    expect(a().requests.count({ endpoint: 'GET /trackings/:id', status: 404 })).toBe(1);
  });

  it("A's cached delivery prediction is not B's answer: B's organisation predicts its own", async () => {
    const predict = 'query ($inputs: [EstimatedDeliveryPredictionInput!]!) { predictEstimatedDeliveries(inputs: $inputs) { aftershipId } }';
    const inputs = [{ slug: 'ups', originAddress: { countryRegion: 'USA', state: 'CA' }, destinationAddress: { countryRegion: 'USA', state: 'NY' }, pickupTime: '2026-07-01 10:00:00' }];
    type Predicted = { predictEstimatedDeliveries: { aftershipId: string }[] };
    a().requests.reset();
    b.requests.reset();
    const asA = await q<Predicted>(ADMIN_A, predict, { inputs });
    expect((await q<Predicted>(ADMIN_A, predict, { inputs })).body.data).toEqual(asA.body.data); // cached for A
    expect(a().requests.count({ endpoint: 'POST /estimated-delivery-date/predict-batch' })).toBe(1);
    const asB = await q<Predicted>(ADMIN_B, predict, { inputs });
    expect(asB.body.errors).toBeUndefined();
    expect(b.requests.count({ endpoint: 'POST /estimated-delivery-date/predict-batch' })).toBe(1);
    expect(asB.body.data!.predictEstimatedDeliveries).toHaveLength(1);
  });

  it('a JWT acts for the account its claim names, and an unknown account is refused', async () => {
    const sign = (account: string) =>
      new SignJWT({ scope: READ_SCOPES.join(' '), aftership_account: account })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('svc')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(JWT_SECRET));
    const res = await list(await sign('b'));
    expect(new Set(res.body.data!.trackings.edges.map((e) => e.node.aftershipId))).toEqual(idsOf(b));
    const unknown = await list(await sign('c'));
    expect(unknown.status).toBe(403);
    expect(unknown.body.errors?.[0].message).toMatch(/account "c", which this gateway does not serve/);
  });

  // The same operation, the same scopes: only the account differs, so the two never share an execution.
  it("each account's webhooks reach only its own subscribers", async () => {
    const sub = (token: string) => {
      const c = wsClient(gw.wsUrl, { Authorization: `Bearer ${token}` });
      sockets.push(c);
      return c.subscribe<{ trackingEvents: { tracking: { aftershipId: string } } }>('subscription { trackingEvents { tracking { aftershipId } } }');
    };
    const subA = sub(TOKEN_A);
    const subB = sub(TOKEN_B);
    await until(() => gw.app.ops.account('default').realtime.pubsub.stats().subscribers === 1, "A's subscriber");
    await until(() => gw.app.ops.account('b').realtime.pubsub.stats().subscribers === 1, "B's subscriber");

    const movable = (s: Sandbox) => s.store.list().find((t) => s.store.plannedEvents(t.id!).length > 0)!.id!;
    const idA = movable(a());
    await a().moveTracking(idA); // signed with A's secret, posted to /webhooks/aftership
    await until(() => subA.events.length > 0, "A's event");
    const idB = movable(b);
    await b.moveTracking(idB); // signed with B's secret, posted to /webhooks/aftership/b
    await until(() => subB.events.length > 0, "B's event");

    // A leaked event would have reached B before B's own.
    expect(subA.events.map((e) => e.trackingEvents.tracking.aftershipId)).toEqual([idA]);
    expect(subB.events.map((e) => e.trackingEvents.tracking.aftershipId)).toEqual([idB]);
    expect(b.webhooks.all().map((w) => [w.url, w.status])).toEqual([[`${gw.url}/webhooks/aftership/b`, 200]]);
    expect(subA.errors).toEqual([]);
    expect(subB.errors).toEqual([]);
  });

  it("a webhook signed with B's secret is refused on A's route, and accepted on B's", async () => {
    const tracking = b.store.list()[0];
    const body = JSON.stringify({ event: 'tracking_update', event_id: randomUUID(), is_tracking_first_tag: false, msg: tracking, ts: Math.floor(Date.now() / 1000) });
    const deliver = (path: string, secret: string) =>
      fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhook(body, secret) }, body });
    for (const path of ['/webhooks/aftership', '/webhooks/aftership/default']) {
      const refused = await deliver(path, SECRET_B);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    }
    expect((await deliver('/webhooks/aftership/b', TEST_WEBHOOK_SECRET)).status).toBe(401);
    expect((await deliver('/webhooks/aftership/b', SECRET_B)).status).toBe(200);
    expect((await deliver('/webhooks/aftership/nobody', SECRET_B)).status).toBe(404);
    // What B's route accepted is in B's cache only.
    expect(gw.app.ops.cache.getTracking('b', tracking.id!)).toBeDefined();
    expect(gw.app.ops.cache.getTracking('default', tracking.id!)).toBeUndefined();
  });
});
