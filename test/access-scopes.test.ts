/**
 * Access control through the real gateway (startApp) against the sandbox: who may call at all
 * (API tokens, HS256 JWTs), and which fields each token's AfterShip scopes unlock. A refused field
 * is a FORBIDDEN error naming the missing scope, decided before any AfterShip call.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { READ_SCOPES, SCOPES } from '../src/auth/scopes.js';
import { missingScopeError } from '../src/auth/scope-guard.js';
import { schema } from '../src/schema/index.js';
import { toGraphQLError } from '../src/schema/error-mapping.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { bearer, post, until, wsClient, type WsClient } from './access-support.js';

const READER = 'dashboard-read-token-0001';
const WRITER = 'ops-write-token-00000001';
const TRACKER = 'tracking-only-token-0001';
const CONNECTIONS = 'connections-only-token-01';
const JWT_SECRET = 'a-hs256-secret-of-at-least-32-characters!';
const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'aftership-gateway';

let gw: TestGateway;
let trackingId: string;
const sockets: WsClient[] = [];

beforeAll(async () => {
  gw = await startGateway({
    sandbox: { seed: 6 },
    env: {
      GATEWAY_AUTH: 'tokens,jwt',
      GATEWAY_TOKENS: JSON.stringify([
        { name: 'dashboard', token: READER, scopes: READ_SCOPES },
        { name: 'ops', token: WRITER, scopes: SCOPES },
        { name: 'tracker', token: TRACKER, scopes: ['aftership:tracking:read'] },
        { name: 'connections', token: CONNECTIONS, scopes: ['aftership:carrier_connection:read'] },
      ]),
      GATEWAY_JWT_SECRET: JWT_SECRET,
      GATEWAY_JWT_ISSUER: ISSUER,
      GATEWAY_JWT_AUDIENCE: AUDIENCE,
    },
  });
  trackingId = gw.sandbox.store.list().find((t) => t.id && gw.sandbox.store.plannedEvents(t.id).length > 0)!.id!;
});
afterAll(async () => {
  for (const s of sockets.splice(0)) await s.dispose();
  await gw.close();
});
beforeEach(() => gw.sandbox.requests.reset());

const q = (query: string, token?: string, variables: Record<string, unknown> = {}) => post(gw.graphqlUrl, query, variables, token ? bearer(token) : {});

const jwt = (claims: Record<string, unknown>, opts: { exp?: number; aud?: string; iss?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('reporting-service')
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(new TextEncoder().encode(JWT_SECRET));

function socket(params?: Record<string, unknown>): WsClient {
  const c = wsClient(gw.wsUrl, params);
  sockets.push(c);
  return c;
}

describe('who may call the gateway', () => {
  it('without a token: 401 with WWW-Authenticate, and nothing reaches AfterShip', async () => {
    const res = await q('{ trackings(first: 1) { totalCount } }');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="aftership-graphql-gateway"');
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.body.errors?.[0].message).toMatch(/Authorization: Bearer/);

    const unknown = await q('{ trackings(first: 1) { totalCount } }', 'not-a-configured-token-at-all');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toMatch(/^Bearer realm="aftership-graphql-gateway", error="invalid_token"/);
    const malformed = await post(gw.graphqlUrl, '{ __typename }', {}, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
    expect(gw.sandbox.requests.count()).toBe(0);
  });

  it('accepts a valid JWT and refuses expired, tampered, foreign-audience and unsigned ones', async () => {
    const good = await jwt({ scope: 'aftership:tracking:read openid' });
    const ok = await q('{ trackings(first: 2) { totalCount edges { node { trackingNumber } } } }', good);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data).toMatchObject({ trackings: { totalCount: gw.sandbox.store.count() } });

    const refused = async (token: string, reason: RegExp) => {
      const res = await q('{ trackings(first: 1) { totalCount } }', token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      expect(res.body.errors?.[0].message).toMatch(reason);
    };
    await refused(await jwt({ scope: 'aftership:tracking:read' }, { exp: Math.floor(Date.now() / 1000) - 60 }), /expired/);
    // Same signature, payload rewritten to claim every scope.
    const [header, , signature] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'reporting-service', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300, scope: SCOPES.join(' ') })).toString('base64url');
    await refused(`${header}.${forged}.${signature}`, /signature is invalid/);
    await refused(await jwt({ scope: 'aftership:tracking:read' }, { aud: 'someone-else' }), /"aud" claim/);
    await refused(await jwt({ scope: 'aftership:tracking:read' }, { iss: 'https://evil.example.test' }), /"iss" claim/);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${forged}.`;
    await refused(none, /./);
    expect(gw.sandbox.requests.count({ endpoint: 'GET /trackings' })).toBe(1); // only the valid one
  });
});

describe('scope declarations', () => {
  const scopesOf = (type: string, field: string): unknown => {
    const t = schema.getType(type) as { getFields(): Record<string, { extensions: { pothosOptions?: { authScopes?: unknown } } }> };
    return t.getFields()[field]?.extensions.pothosOptions?.authScopes;
  };

  it('every root field declares the scope of the AfterShip call behind it', () => {
    const read = { 'aftership:tracking:read': true };
    const write = { 'aftership:tracking:write': true };
    // Lists and reads by a (possibly guessable) id: not for a lookup-only token.
    const enumerate = { $all: { ...read, enumerateTrackings: true } };
    const expected: Record<string, unknown> = {
      'Query.tracking': enumerate,
      'Query.trackingByNumber': read,
      'Query.trackings': enumerate,
      // Computed from the replica, which holds what GET /trackings would list: account-wide, so not for a lookup-only token.
      'Query.deliveryStats': enumerate,
      'Query.couriers': { 'aftership:courier:read': true },
      'Query.courier': { 'aftership:courier:read': true },
      'Query.detectCouriers': { 'aftership:courier:write': true },
      'Query.predictEstimatedDeliveries': { 'aftership:estimated_delivery_date:write': true },
      'Query.carrierConnections': { 'aftership:carrier_connection:read': true },
      'Query.carrierConnection': { 'aftership:carrier_connection:read': true },
      'Query.node': expect.any(Function),
      'Query.nodes': expect.any(Function),
      'Mutation.createTracking': write,
      'Mutation.updateTracking': write,
      'Mutation.deleteTracking': write,
      'Mutation.retrackTracking': write,
      'Mutation.markTrackingCompleted': write,
      // Read the current receivers, then write the list.
      'Mutation.addNotificationReceivers': { $all: { ...read, ...write } },
      'Mutation.removeNotificationReceivers': { $all: { ...read, ...write } },
      'Mutation.createCarrierConnection': { 'aftership:carrier_connection:write': true },
      'Mutation.updateCarrierConnection': { 'aftership:carrier_connection:write': true },
      'Mutation.deleteCarrierConnection': { 'aftership:carrier_connection:write': true },
      'Subscription.trackingUpdated': read,
      'Subscription.trackingEvents': expect.any(Function),
      // Object fields that load the courier list.
      'Tracking.courier': { 'aftership:courier:read': true },
      'CarrierConnection.courier': { 'aftership:courier:read': true },
      'EstimatedDeliveryPrediction.courier': { 'aftership:courier:read': true },
    };
    const roots = ['Query', 'Mutation', 'Subscription'].flatMap((type) =>
      Object.keys((schema.getType(type) as { getFields(): Record<string, unknown> }).getFields()).map((f) => `${type}.${f}`),
    );
    // A new root field must be added here with its scope.
    expect(roots.filter((f) => !(f in expected))).toEqual([]);
    for (const [path, scopes] of Object.entries(expected)) {
      const [type, field] = path.split('.');
      expect(scopesOf(type, field), path).toEqual(scopes);
    }
  });

  it("the scope guard's refusal (a resolver without a declaration) is FORBIDDEN too, naming the scope", () => {
    const e = toGraphQLError(missingScopeError('aftership:tracking:write', 'POST /trackings', 'dashboard'));
    expect(e.extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: ['aftership:tracking:write'] });
    expect(e.message).toContain('aftership:tracking:write');
  });
});

describe('scopes per field', () => {
  const forbidden = (res: Awaited<ReturnType<typeof q>>, scope: string) => {
    expect(res.status).toBe(200);
    const e = res.body.errors?.find((x) => x.extensions?.code === 'FORBIDDEN');
    expect(e, JSON.stringify(res.body)).toBeDefined();
    expect(e!.message).toContain(scope);
    expect(e!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: [scope] });
    return e!;
  };

  it('a read-only token reads, and every write is refused naming its scope without calling AfterShip', async () => {
    const read = await q(
      `query ($id: ID!) { trackings(first: 3) { totalCount edges { node { trackingNumber courier { name } } } }
         tracking(id: $id) { aftershipId } couriers { slug } carrierConnections(first: 5) { totalCount } }`,
      READER,
      { id: trackingId },
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data).toMatchObject({ trackings: { totalCount: gw.sandbox.store.count() }, tracking: { aftershipId: trackingId } });

    gw.sandbox.requests.reset();
    const writes: [string, string, Record<string, unknown>][] = [
      ['mutation { createTracking(input: { trackingNumber: "1Z999AA10123456784" }) { __typename } }', 'aftership:tracking:write', {}],
      ['mutation ($id: ID!) { updateTracking(input: { id: $id, title: "x" }) { __typename } }', 'aftership:tracking:write', { id: trackingId }],
      ['mutation ($id: ID!) { deleteTracking(input: { id: $id }) { __typename } }', 'aftership:tracking:write', { id: trackingId }],
      ['mutation ($id: ID!) { retrackTracking(input: { id: $id }) { __typename } }', 'aftership:tracking:write', { id: trackingId }],
      ['mutation ($id: ID!) { markTrackingCompleted(input: { id: $id, reason: DELIVERED }) { __typename } }', 'aftership:tracking:write', { id: trackingId }],
      ['mutation ($id: ID!) { addNotificationReceivers(input: { trackingId: $id, receivers: [{ email: "a@example.com" }] }) { __typename } }', 'aftership:tracking:write', { id: trackingId }],
      ['mutation ($id: ID!) { removeNotificationReceivers(input: { trackingId: $id, emails: ["a@example.com"] }) { __typename } }', 'aftership:tracking:write', { id: trackingId }],
      ['{ detectCouriers(input: { trackingNumber: "1Z999AA10123456784" }) { slug } }', 'aftership:courier:write', {}],
      [
        '{ predictEstimatedDeliveries(inputs: [{ slug: "ups", originAddress: { countryRegion: "USA", state: "CA" }, destinationAddress: { countryRegion: "USA", state: "NY" }, pickupTime: "2026-07-01 10:00:00" }]) { aftershipId } }',
        'aftership:estimated_delivery_date:write',
        {},
      ],
      ['mutation { createCarrierConnection(input: { courierSlug: "ups-api", credentials: [{ name: "k", value: "v" }] }) { __typename } }', 'aftership:carrier_connection:write', {}],
      ['mutation { updateCarrierConnection(input: { id: "abc", credentials: [{ name: "k", value: "v" }] }) { __typename } }', 'aftership:carrier_connection:write', {}],
      ['mutation { deleteCarrierConnection(input: { id: "abc" }) { __typename } }', 'aftership:carrier_connection:write', {}],
    ];
    for (const [query, scope, variables] of writes) {
      const res = await q(query, READER, variables);
      const e = forbidden(res, scope);
      expect(e.message).toContain('"dashboard"');
      expect(res.body.data ?? null).toBeNull();
    }
    expect(gw.sandbox.requests.count()).toBe(0);
  });

  it('the same write passes with a token that holds the scope', async () => {
    const res = await q(
      'mutation { createTracking(input: { trackingNumber: "1Z999AA10123456784", slug: "ups" }) { __typename ... on CreateTrackingSuccess { tracking { trackingNumber } } } }',
      WRITER,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ createTracking: { __typename: 'CreateTrackingSuccess', tracking: { trackingNumber: '1Z999AA10123456784' } } });
    expect(gw.sandbox.requests.count({ endpoint: 'POST /trackings' })).toBe(1);
  });

  it('a nested field needs its own scope: Tracking.courier without courier:read is null with FORBIDDEN, the rest is served', async () => {
    const res = await q('query ($id: ID!) { tracking(id: $id) { trackingNumber courier { name } } }', TRACKER, { id: trackingId });
    forbidden(res, 'aftership:courier:read');
    expect(res.body.errors?.[0].path).toEqual(['tracking', 'courier']);
    expect(res.body.data).toMatchObject({ tracking: { trackingNumber: expect.any(String), courier: null } });
    expect(gw.sandbox.requests.count({ endpoint: 'GET /couriers' })).toBe(0);
    forbidden(await q('{ couriers { slug } }', TRACKER), 'aftership:courier:read');
    forbidden(await q('{ carrierConnections { totalCount } }', TRACKER), 'aftership:carrier_connection:read');
    forbidden(await q('{ trackings { totalCount } }', CONNECTIONS), 'aftership:tracking:read');
    forbidden(await q('{ trackingByNumber(trackingNumber: "x") { id } }', CONNECTIONS), 'aftership:tracking:read');
  });

  it('node and nodes need the read scope of the type behind each ID', async () => {
    const tracking = encodeGlobalID('Tracking', trackingId);
    const connection = encodeGlobalID('CarrierConnection', 'abcdef0123456789');
    const asTracker = await q('query ($id: ID!) { node(id: $id) { id ... on Tracking { aftershipId } } }', TRACKER, { id: tracking });
    expect(asTracker.body.errors).toBeUndefined();
    expect(asTracker.body.data).toEqual({ node: { id: tracking, aftershipId: trackingId } });

    gw.sandbox.requests.reset();
    forbidden(await q('query ($id: ID!) { node(id: $id) { id } }', CONNECTIONS, { id: tracking }), 'aftership:tracking:read');
    forbidden(await q('query ($id: ID!) { node(id: $id) { id } }', TRACKER, { id: connection }), 'aftership:carrier_connection:read');
    forbidden(await q('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', TRACKER, { ids: [tracking, connection] }), 'aftership:carrier_connection:read');
    expect(gw.sandbox.requests.count()).toBe(0);
  });

  it('a JWT carries its scopes too, and its subject is named when refused', async () => {
    const token = await jwt({ scope: 'aftership:tracking:read' });
    const res = await q('mutation { createTracking(input: { trackingNumber: "1Z999AA10123456784" }) { __typename } }', token);
    expect(forbidden(res, 'aftership:tracking:write').message).toContain('"reporting-service"');
    expect(gw.sandbox.requests.count()).toBe(0);
  });
});

describe('subscriptions over WebSocket', () => {
  const SUBSCRIPTION = 'subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId tag } }';

  it('refuses a connection without a valid token in connection_init', async () => {
    for (const params of [undefined, { Authorization: 'Bearer not-a-configured-token' }, { Authorization: `Bearer ${await jwt({ scope: 'aftership:tracking:read' }, { exp: Math.floor(Date.now() / 1000) - 60 })}` }]) {
      const sub = socket(params).subscribe(SUBSCRIPTION, { id: trackingId });
      await sub.done;
      expect(sub.closeCode).toBe(4403);
      expect(sub.events).toEqual([]);
    }
  });

  it('refuses a subscription whose scope the token lacks, when it starts', async () => {
    const sub = socket({ Authorization: `Bearer ${CONNECTIONS}` }).subscribe(SUBSCRIPTION, { id: trackingId });
    await sub.done;
    expect(sub.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', requiredScopes: ['aftership:tracking:read'] } });
    expect(sub.errors[0].message).toContain('aftership:tracking:read');
    expect(gw.app.ops.account().realtime.pubsub.watcherCount('default', trackingId)).toBe(0);
  });

  it('subscribers with the same operation share one execution only when their scopes are the same', async () => {
    const WITH_COURIER = 'subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId courier { slug } } }';
    type Event = { trackingUpdated: { aftershipId: string; courier: { slug: string } | null } };
    const mine: WsClient[] = [];
    const open = (token: string) => {
      const c = socket({ Authorization: `Bearer ${token}` });
      mine.push(c);
      return c.subscribe<Event>(WITH_COURIER, { id: trackingId });
    };
    const pubsub = gw.app.ops.account().realtime.pubsub;
    const before = pubsub.stats();
    const readers = [open(READER), open(READER)];
    const tracker = open(TRACKER);
    // Two executions (readers, tracker), three subscribers.
    await until(() => pubsub.watcherCount('default', trackingId) === 2 && pubsub.stats().subscribers === before.subscribers + 3, 'the subscribers');
    await gw.sandbox.moveTracking(trackingId);
    await until(() => [...readers, tracker].every((s) => s.events.length === 1), 'the event, to all three');
    const after = pubsub.stats();
    expect(after.executions - before.executions).toBe(2);
    expect(after.delivered - before.delivered).toBe(3);
    for (const r of readers) {
      expect(r.events[0]!.trackingUpdated.courier).not.toBeNull();
      expect(r.errors).toEqual([]);
    }
    // Had it shared the readers' execution, the tracker would have seen the courier.
    expect(tracker.events[0]!.trackingUpdated).toEqual({ aftershipId: trackingId, courier: null });
    expect(tracker.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    for (const c of mine) await c.dispose();
    await until(() => pubsub.watcherCount('default', trackingId) === 0, 'the subscribers gone');
  });

  it('delivers events to a subscriber whose token allows it', async () => {
    const c = socket({ Authorization: `Bearer ${READER}` });
    const sub = c.subscribe<{ trackingUpdated: { aftershipId: string } }>(SUBSCRIPTION, { id: trackingId });
    await c.connected;
    await until(() => gw.app.ops.account().realtime.pubsub.watcherCount('default', trackingId) === 1, 'the subscriber');
    await gw.sandbox.moveTracking(trackingId);
    await until(() => sub.events.length === 1, 'the event');
    expect(sub.events[0]).toMatchObject({ trackingUpdated: { aftershipId: trackingId } });
    expect(sub.errors).toEqual([]);
  });
});
