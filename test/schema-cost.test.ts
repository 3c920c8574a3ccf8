/**
 * The cost guard: worst-case AfterShip calls per operation, depth and list limits, estimated
 * from the document (fragments and variables included) and enforced before execution.
 */
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { getIntrospectionQuery, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LIST_LIMIT } from '../src/aftership/endpoints.js';
import { estimateCost } from '../src/schema/cost-guard.js';
import CostPlugin, { costOf } from '../src/schema/cost-plugin.js';
import { MAX_WATCHED_TRACKINGS } from '../src/schema/limits.js';
import { schema } from '../src/schema/index.js';
import { TrackingsDocument } from './generated/graphql.js';
import { startSchemaGateway, type SchemaGateway } from './helpers/schema-gateway.js';

const estimate = (source: string, variables?: Record<string, unknown>, options = {}) =>
  estimateCost(schema, parse(source), { variables, ...options });

const lookups = (n: number, fields = 'aftershipId courier { slug }') =>
  `{ ${Array.from({ length: n }, (_, i) => `t${i}: trackingByNumber(trackingNumber: "N${i}") { ${fields} }`).join(' ')} }`;

describe('estimateCost', () => {
  it('counts batched number lookups per 50 and the courier list once', () => {
    const fifty = estimate(lookups(50));
    expect(fifty.cost).toBe(2);
    expect(fifty.breakdown).toEqual({ 'GET /trackings?tracking_numbers': 1, 'GET /couriers': 1 });
    expect(fifty.errors).toEqual([]);
    expect(estimate(lookups(51)).cost).toBe(3);
  });

  it('counts a 50-row page with courier and latest checkpoint as 2', () => {
    const r = estimate('{ trackings(first: 50) { edges { node { courier { name } latestCheckpoint { message } } } } }');
    expect(r.cost).toBe(2);
  });

  it('counts direct calls, multiplied by list arguments', () => {
    expect(estimate('{ a: tracking(id: "x") { id } b: tracking(id: "y") { id } }').cost).toBe(2);
    expect(estimate('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] }).cost).toBe(3);
    const predict = (n: number) =>
      estimate('query($inputs: [EstimatedDeliveryPredictionInput!]!) { predictEstimatedDeliveries(inputs: $inputs) { aftershipId courier { slug } } }', {
        inputs: Array.from({ length: n }, () => ({ slug: 'ups', originAddress: { countryRegion: 'USA', state: 'CA' }, destinationAddress: { countryRegion: 'USA', state: 'NY' }, pickupTime: '2026-01-01 10:00:00' })),
      });
    expect(predict(5).cost).toBe(2);
    expect(predict(12).cost).toBe(4);
    expect(estimate('mutation { addNotificationReceivers(input: { trackingId: "x", receivers: [] }) { __typename } }').cost).toBe(2);
  });

  it('follows fragments and inline fragments', () => {
    const r = estimate(`
      query { ...Q ... on Query { c: tracking(id: "c") { ...T } } }
      fragment Q on Query { a: trackingByNumber(trackingNumber: "1") { ...T } }
      fragment T on Tracking { courier { slug } }
    `);
    expect(r.cost).toBe(3);
  });

  it('rejects an operation over the maximum, saying the estimate and the maximum', () => {
    const source = `{ ${Array.from({ length: 60 }, (_, i) => `t${i}: tracking(id: "id${i}") { id }`).join(' ')} }`;
    const r = estimate(source);
    expect(r.cost).toBe(60);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', estimatedCost: 60, maxCost: 50 });
    expect(r.errors[0].message).toMatch(/60 AfterShip API calls.*maximum is 50/);
    expect(estimate(source, undefined, { maxCost: 60 }).errors).toEqual([]);
  });

  it('bounds depth (introspection excluded) and list sizes', () => {
    const deep = '{ trackings { edges { node { checkpoints { events { code } } } } } }';
    expect(estimate(deep).depth).toBe(5);
    const tooDeep = estimate(deep, undefined, { maxDepth: 4 });
    expect(tooDeep.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 5, maxDepth: 4 });
    expect(estimate(getIntrospectionQuery()).errors).toEqual([]);

    const big = estimate('query($n: Int) { trackings(first: $n) { totalCount } }', { n: 500 });
    expect(big.errors.map((e) => e.extensions.code)).toContain('BAD_USER_INPUT');
    const ids = estimate('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, (_, i) => String(i)) });
    expect(ids.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', max: 100 });
    const numbers = estimate('{ trackings(filter: { trackingNumbers: [' + Array.from({ length: 51 }, (_, i) => `"n${i}"`).join(',') + '] }) { totalCount } }');
    expect(numbers.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    // Every id a subscription filters on is watched (and polled without webhooks).
    const watch = (n: number) =>
      estimate('subscription($ids: [ID!]) { trackingEvents(filter: { trackingIds: $ids }) { eventId } }', { ids: Array.from({ length: n }, (_, i) => `id${i}`) });
    expect(watch(100).errors).toEqual([]);
    expect(watch(101).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', max: 100 });
  });

  it('refuses a fragment bomb (each fragment spreads the next twice) instead of expanding it 2^30 times', () => {
    const levels = 30;
    let source = 'query { ...F0 }\n';
    for (let i = 0; i < levels; i++) source += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }\n`;
    source += `fragment F${levels} on Query { a: tracking(id: "x") { id } }\n`;
    const r = estimate(source);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', maxSelections: 20_000 });
    // The same shape a few levels deep is an ordinary document.
    expect(estimate('query { ...A }\nfragment A on Query { ...B ...B }\nfragment B on Query { a: tracking(id: "x") { id } }').cost).toBe(2);
  });
});

describe('costs declared on fields', () => {
  it('every root field declares its cost (they all reach AfterShip)', () => {
    const undeclared = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.values(type!.getFields())
        .filter((f) => !costOf(f))
        .map((f) => `${type!.name}.${f.name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('reads costs and limits from the schema', () => {
    expect(costOf(schema.getQueryType()!.getFields().trackings)).toMatchObject({ calls: 1, limits: { first: MAX_LIST_LIMIT } });
    expect(estimate(`{ trackings(first: ${MAX_LIST_LIMIT + 1}) { totalCount } }`).errors[0].extensions).toMatchObject({ max: MAX_LIST_LIMIT });
  });

  it('keeps subscription baselines apart from the maximum', () => {
    const r = estimate('subscription($ids: [ID!]) { trackingEvents(filter: { trackingIds: $ids }) { eventId } }', {
      ids: Array.from({ length: MAX_WATCHED_TRACKINGS }, (_, i) => `id${i}`),
    });
    expect(r).toMatchObject({ cost: 0, backgroundCost: MAX_WATCHED_TRACKINGS, errors: [] });
  });

  it('refuses, when the schema is built, a cost that names an argument the field does not have', () => {
    const b = new SchemaBuilder<{ Context: object }>({ plugins: [ScopeAuthPlugin, CostPlugin], scopeAuth: { authScopes: () => ({}) } });
    b.queryType({
      fields: (t) => ({ list: t.string({ args: { ids: t.arg.stringList() }, cost: { callsPerItem: 'idz' }, resolve: () => null }) }),
    });
    expect(() => b.toSchema()).toThrow(/cost of Query\.list: idz does not start with an argument/);
  });
});

describe('useCostGuard over HTTP', () => {
  let gw: SchemaGateway;
  beforeAll(async () => {
    gw = await startSchemaGateway({ sandbox: { seed: 3 }, costGuard: { maxCost: 10 } });
  });
  afterAll(() => gw?.close());

  it('refuses an expensive operation before any AfterShip call', async () => {
    gw.sandbox.requests.reset();
    const source = `{ ${Array.from({ length: 11 }, (_, i) => `t${i}: tracking(id: "id${i}") { id }`).join(' ')} }`;
    const r = await gw.graphqlText(source);
    expect(r.data ?? null).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', estimatedCost: 11, maxCost: 10 });
    expect(gw.sandbox.requests.count()).toBe(0);
  });

  it('lets affordable operations through', async () => {
    const r = await gw.graphql(TrackingsDocument, { first: 3 });
    expect(r.errors).toBeUndefined();
    expect(r.data?.trackings.edges).toHaveLength(3);
  });
});
