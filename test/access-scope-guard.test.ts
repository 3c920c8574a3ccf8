/**
 * The runtime scope guard, end to end: a resolver that declares no `authScopes` still cannot reach
 * AfterShip beyond its caller's scopes, because the app wraps every operation's client in the guard
 * (src/context.ts). The production schema has no such resolver (test/readme-scopes keeps every field
 * declared), so this file serves the real app a schema extended by one test-only field that calls any
 * client method it is asked to, with no scope check of its own. Nothing of it ships.
 */
import { extendSchema, parse, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLIENT_METHOD_ENDPOINTS, CLIENT_METHOD_SCOPES, type ClientMethod } from '../src/auth/scope-guard.js';
import type { GraphQLContext } from '../src/context.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { bearer, post } from './access-support.js';

vi.mock('../src/schema/index.js', async (importOriginal) => {
  const original = await importOriginal<{ schema: GraphQLSchema }>();
  const schema = extendSchema(original.schema, parse('extend type Query { unscopedProbe(method: String!, args: JSON): JSON }'));
  // Declares no scope: only the guard around ctx.client stands between it and AfterShip.
  const probe: GraphQLFieldResolver<unknown, GraphQLContext, { method: string; args?: unknown[] }> = async (_root, { method, args }, ctx) => {
    if (!Object.hasOwn(CLIENT_METHOD_ENDPOINTS, method)) throw new Error(`not a client method: ${method}`);
    const call = ctx.client[method as ClientMethod] as (...a: unknown[]) => Promise<unknown>;
    await call.apply(ctx.client, args ?? []);
    return 'sent';
  };
  schema.getQueryType()!.getFields().unscopedProbe.resolve = probe as GraphQLFieldResolver<unknown, unknown>;
  return { ...original, schema };
});

const CONNECTIONS_READER = 'connections-reader-token-0001';
const NONE = 'no-such-id-0000000000000000000000';
const EDD = { slug: 'ups', origin_address: { country_region: 'USA', state: 'CA' }, destination_address: { country_region: 'USA', state: 'NY' }, pickup_time: '2026-07-01 10:00:00' };
/** Arguments each method is called with: plausible enough that an unguarded call goes out to AfterShip. */
const ARGS: Record<ClientMethod, unknown[]> = {
  listTrackings: [{ limit: 1 }],
  getTracking: [NONE],
  getTrackingByNumber: ['1Z999AA10123456784'],
  createTracking: [{ tracking_number: '1Z999AA10123456784', slug: 'ups' }],
  updateTracking: [NONE, { title: 'probe' }],
  deleteTracking: [NONE],
  retrackTracking: [NONE],
  markTrackingCompleted: [NONE, { reason: 'DELIVERED' }],
  listCouriers: [],
  detectCouriers: [{ tracking_number: '1Z999AA10123456784' }],
  predictEdd: [EDD],
  predictEddBatch: [[EDD]],
  listCourierConnections: [{}],
  getCourierConnection: [NONE],
  createCourierConnection: [{ courier_slug: 'ups-api', credentials: { k: 'v' } }],
  updateCourierConnection: [NONE, { credentials: { k: 'v' } }],
  deleteCourierConnection: [NONE],
};

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({
    sandbox: { seed: 3 },
    env: {
      GATEWAY_AUTH: 'tokens',
      GATEWAY_TOKENS: JSON.stringify([{ name: 'connections-reader', token: CONNECTIONS_READER, scopes: ['aftership:carrier_connection:read'] }]),
    },
  });
});
afterAll(async () => {
  await gw?.close();
});
beforeEach(() => gw.sandbox.requests.reset());

const probe = (method: ClientMethod) =>
  post<{ unscopedProbe: string | null }>(gw.graphqlUrl, 'query ($m: String!, $a: JSON) { unscopedProbe(method: $m, args: $a) }', { m: method, a: ARGS[method] }, bearer(CONNECTIONS_READER));

describe('the runtime scope guard in the running gateway', () => {
  it('lets a field without authScopes make the calls its caller has the scope for', async () => {
    const res = await probe('listCourierConnections');
    expect(res.body).toEqual({ data: { unscopedProbe: 'sent' } });
    expect(gw.sandbox.requests.count({ endpoint: 'GET /courier-connections' })).toBe(1);
  });

  it('refuses every other client call such a field makes: FORBIDDEN naming the scope, nothing sent to AfterShip', async () => {
    const refused = (Object.keys(ARGS) as ClientMethod[]).filter((m) => CLIENT_METHOD_SCOPES[m] !== 'aftership:carrier_connection:read');
    expect(refused.length).toBe(Object.keys(CLIENT_METHOD_ENDPOINTS).length - 2);
    for (const method of refused) {
      const res = await probe(method);
      expect(res.body.data, method).toEqual({ unscopedProbe: null });
      expect(res.body.errors?.[0]?.extensions, method).toEqual({ code: 'FORBIDDEN', requiredScopes: [CLIENT_METHOD_SCOPES[method]] });
      expect(res.body.errors?.[0]?.message, method).toContain(CLIENT_METHOD_ENDPOINTS[method]);
    }
    expect(gw.sandbox.requests.all()).toEqual([]);
  });
});
