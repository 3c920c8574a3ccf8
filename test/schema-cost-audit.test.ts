/**
 * Declared costs hold: every operation in test/operations and every README example runs against
 * the sandbox with cold caches, each AfterShip call attributed to the field that made it
 * (helpers/cost-audit.ts). A field that calls AfterShip without declaring a `cost` fails here, as
 * does an operation that makes more calls than the cost guard estimated. Every field with its own
 * resolver must be resolved by some operation, so a new field cannot escape by not being run.
 */
import { readFileSync, readdirSync } from 'node:fs';
import SchemaBuilder from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { Kind, isObjectType, parse, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAfterShipClient } from '../src/aftership/client.js';
import { createRateBudget } from '../src/aftership/rate-budget.js';
import type { AfterShipClient } from '../src/aftership/types.js';
import type { Tracking } from '../src/aftership/wire-types.js';
import { createGatewayCache } from '../src/cache/index.js';
import { createContext } from '../src/context.js';
import { silentLogger } from '../src/lib/logger.js';
import { createRealtime, type Realtime } from '../src/realtime/index.js';
import CostPlugin from '../src/schema/cost-plugin.js';
import { schema } from '../src/schema/index.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createReplicaStore, type ReplicaStore } from '../src/replica/index.js';
import { systemClock } from '../src/lib/clock.js';
import { attributeResolvers, auditOperation, type AuditSetup } from './helpers/cost-audit.js';

const KEY = 'asat_cost_audit_key';
const ACCOUNT = 'account-audit';

// ---------------------------------------------------------------------------------------------
// The operations: test/operations/*.graphql (each with the fragments it uses) and README examples.

const opsDir = new URL('./operations/', import.meta.url);
const opDefinitions: DefinitionNode[] = readdirSync(opsDir)
  .filter((f) => f.endsWith('.graphql'))
  .flatMap((f) => parse(readFileSync(new URL(f, opsDir), 'utf8')).definitions);
const fragments = new Map(
  opDefinitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
);
const operations = new Map(
  opDefinitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION).map((o) => [o.name!.value, o]),
);

/** The operation with the fragments it spreads, transitively. */
function documentOf(name: string): DocumentNode {
  const operation = operations.get(name);
  if (!operation) throw new Error(`no operation ${name} in test/operations`);
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: OperationDefinitionNode | FragmentDefinitionNode): void => {
    visit(node, {
      FragmentSpread(spread) {
        const f = fragments.get(spread.name.value);
        if (f && !used.has(f.name.value)) {
          used.set(f.name.value, f);
          collect(f);
        }
      },
    });
  };
  collect(operation);
  return { kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] };
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const readmeExamples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => parse(m[1]));

// ---------------------------------------------------------------------------------------------
// The world the operations run in: a seeded sandbox, answered in-process.

let sandbox: Sandbox;
const budget = createRateBudget();
let live: Realtime | undefined;
let serial = 0;
/** The account's replica, holding the seeded world (what deliveryStats reads). */
let replica: ReplicaStore;

interface World {
  trackings: Tracking[];
  /** A tracking tracked through a carrier connection. */
  connected: Tracking;
  /** One with a linked forward or return shipment. */
  linked: Tracking;
  /** One with a first or last mile on another courier. */
  legged: Tracking;
  connectionId: string;
  /** Set by CreateCarrierConnection, for the update and delete that follow. */
  createdConnectionId?: string;
}
let world: World;

const upstream = ((input: RequestInfo | URL, init?: RequestInit) => sandbox.handle(new Request(input, init))) as typeof fetch;

const setup: AuditSetup = {
  upstream,
  context(fetch, track) {
    const client: AfterShipClient = track(createAfterShipClient({
      baseUrl: 'http://sandbox.invalid',
      auth: { kind: 'api-key', apiKey: KEY },
      fetch,
      retry: { maxRetries: 0 },
      // Shared across operations, so the sandbox's per-second limits are never hit.
      budget,
    }));
    const cache = createGatewayCache();
    // No webhook secret: subscriptions are kept live by polling, so watching fetches a baseline.
    const realtime = createRealtime({ cache, client, accountId: ACCOUNT, logger: silentLogger, polling: { intervalMs: 3_600_000 } });
    live = realtime;
    return { contextValue: createContext({ client, cache, accountId: ACCOUNT, logger: silentLogger, pubsub: realtime.pubsub, replica }), close: () => realtime.stop() };
  },
  async trigger() {
    // A webhook-style change of the tracking the subscriptions below watch.
    const t = sandbox.store.get(world.trackings[0].id!)!;
    const later = new Date(Date.parse(t.updated_at!) + 3_600_000).toISOString();
    await live!.updates.apply({
      eventId: `audit-${++serial}`,
      source: 'webhook',
      webhookEvent: 'tracking_update',
      ts: Math.floor(Date.parse(later) / 1000),
      isFirstTag: true,
      tracking: {
        ...t,
        tag: 'OutForDelivery',
        subtag: 'OutForDelivery_001',
        updated_at: later,
        checkpoints: [...(t.checkpoints ?? []), { tag: 'OutForDelivery', subtag: 'OutForDelivery_001', message: 'Out for delivery', checkpoint_time: later, created_at: later }],
      },
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Variables per operation, in the order they run (mutations change the world for later ones).

interface Scenario {
  operation: string;
  /** Tells apart several runs of one operation. */
  label?: string;
  variables?: (w: World) => Record<string, unknown>;
  /** Reads what later scenarios need from this one's result. */
  after?: (data: Record<string, unknown>, w: World) => void;
  /** Answered without AfterShip (from the replica): it must make no call at all. */
  noCalls?: true;
}

const upsNumber = () => `1ZAUDIT${String(++serial).padStart(11, '0')}`;
const eddInput = (state: string) => ({
  slug: 'fedex',
  originAddress: { countryRegion: 'USA', state: 'CA' },
  destinationAddress: { countryRegion: 'USA', state },
  pickupTime: '2026-01-05 10:00:00',
});
const ups = (user: string) => [
  { name: 'user_id', value: user },
  { name: 'password', value: 'secret-1' },
  { name: 'access_license_number', value: 'L1' },
];
const active = (w: World, n: number) => w.trackings.filter((t) => t.active && t.id !== w.connected.id)[n];

const scenarios: Scenario[] = [
  { operation: 'Tracking', variables: (w) => ({ id: encodeGlobalID('Tracking', w.connected.id!) }) },
  { operation: 'TrackingDetails', label: 'through a carrier connection', variables: (w) => ({ id: w.connected.id }) },
  { operation: 'TrackingDetails', label: 'with a linked return', variables: (w) => ({ id: w.linked.id }) },
  { operation: 'TrackingDetails', label: 'with a first or last mile', variables: (w) => ({ id: w.legged.id }) },
  { operation: 'TrackingCheckpoints', variables: (w) => ({ id: w.trackings[1].id, last: 2, tags: null }) },
  { operation: 'TrackingByNumber', variables: (w) => ({ trackingNumber: w.trackings[2].tracking_number }) },
  { operation: 'Trackings', variables: () => ({ first: 20 }) },
  { operation: 'Node', variables: (w) => ({ id: encodeGlobalID('CarrierConnection', w.connectionId) }) },
  { operation: 'Nodes', variables: (w) => ({ ids: w.trackings.slice(0, 3).map((t) => encodeGlobalID('Tracking', t.id!)) }) },
  { operation: 'Couriers', variables: () => ({ active: true }) },
  { operation: 'Courier', variables: () => ({ slug: 'ups' }) },
  { operation: 'DetectCouriers', variables: (w) => ({ input: { trackingNumber: w.connected.tracking_number } }) },
  // Seven inputs: two predict-batch calls of at most 5.
  {
    operation: 'PredictEstimatedDeliveries',
    variables: () => ({
      inputs: [
        ...['NY', 'TX', 'WA', 'FL', 'IL', 'MA'].map(eddInput),
        {
          ...eddInput('OR'),
          pickupTime: null,
          weight: { unit: 'kg', value: 2 },
          packageCount: 1,
          estimatedPickup: { orderTime: '2026-01-05 09:00:00', businessDays: [1, 2, 3, 4, 5], orderProcessingTime: { unit: 'day', value: 1 } },
        },
      ],
    }),
  },
  { operation: 'CarrierConnections', variables: () => ({ first: 5 }) },
  { operation: 'CarrierConnection', variables: (w) => ({ id: w.connectionId }) },
  { operation: 'TrackingUpdated', variables: (w) => ({ id: w.trackings[0].id }) },
  // The trigger below moves the first tracking to OutForDelivery: the tag filter must let it through.
  { operation: 'TrackingEvents', variables: (w) => ({ filter: { trackingIds: w.trackings.slice(0, 3).map((t) => t.id), tags: ['OUT_FOR_DELIVERY'] } }) },
  // Resuming reads the event log, never AfterShip: only the watched ids cost (their baselines).
  { operation: 'TrackingEventsResume', variables: (w) => ({ filter: { trackingIds: w.trackings.slice(0, 2).map((t) => t.id) }, after: `${Date.now()}-0` }) },
  { operation: 'CreateTracking', variables: (w) => ({ input: { trackingNumber: upsNumber(), slug: 'ups', carrierConnectionId: w.connectionId } }) },
  { operation: 'CarrierComparison', noCalls: true },
  {
    operation: 'DeliveryStats',
    noCalls: true,
    variables: () => ({ groupBy: ['COURIER', 'ORIGIN_COUNTRY', 'DESTINATION_COUNTRY', 'TAG', 'SHIPMENT_TAG', 'DAY', 'WEEK'], filter: { createdAt: { from: '2020-01-01T00:00:00Z' } }, first: 5 }),
  },
  { operation: 'UpdateTracking', variables: (w) => ({ input: { id: active(w, 0).id, title: 'Audited' } }) },
  { operation: 'AddNotificationReceivers', variables: (w) => ({ input: { trackingId: active(w, 0).id, receivers: [{ email: 'audit@example.com' }] } }) },
  { operation: 'RemoveNotificationReceivers', variables: (w) => ({ input: { trackingId: active(w, 0).id, emails: ['audit@example.com'] } }) },
  { operation: 'MarkTrackingCompleted', variables: (w) => ({ input: { id: active(w, 1).id, reason: 'DELIVERED' } }) },
  { operation: 'RetrackTracking', variables: (w) => ({ input: { id: active(w, 1).id } }) },
  { operation: 'DeleteTracking', variables: (w) => ({ input: { id: active(w, 2).id } }) },
  {
    operation: 'CreateCarrierConnection',
    variables: () => ({ input: { courierSlug: 'ups-api', credentials: ups('audit') } }),
    after: (data, w) => {
      w.createdConnectionId = (data.createCarrierConnection as { carrierConnection: { aftershipId: string } }).carrierConnection.aftershipId;
    },
  },
  { operation: 'UpdateCarrierConnection', variables: (w) => ({ input: { id: w.createdConnectionId, credentials: ups('audit-2') } }) },
  { operation: 'DeleteCarrierConnection', variables: (w) => ({ input: { id: w.createdConnectionId } }) },
];

const resolved = attributeResolvers(schema);

beforeAll(() => {
  sandbox = createSandbox({ apiKey: KEY, seed: 24, logger: silentLogger });
  const trackings = sandbox.store.list();
  const find = (what: string, test: (t: Tracking) => unknown): Tracking => {
    const found = trackings.find(test);
    if (!found) throw new Error(`the seeded sandbox has no tracking ${what}`);
    return found;
  };
  const connected = find('with a carrier connection', (t) => t.courier_connection_id);
  const linked = find('with a linked return', (t) => t.return_shipment?.id);
  const legged = find('with a first or last mile', (t) => t.first_mile?.slug || t.last_mile?.slug);
  world = { trackings, connected, linked, legged, connectionId: connected.courier_connection_id! };
  replica = createReplicaStore({ accountId: ACCOUNT, clock: systemClock, windowMs: 120 * 86_400_000 });
  for (const t of trackings) replica.put(t);
  replica.passCompleted(Date.now(), true);
});
afterAll(() => sandbox?.close());

describe('every operation stays within its declared costs (cold caches, against the sandbox)', () => {
  it('has variables for every operation in test/operations', () => {
    expect([...operations.keys()].filter((name) => !scenarios.some((s) => s.operation === name))).toEqual([]);
  });

  it.each(scenarios.map((s) => [s.label ? `${s.operation} (${s.label})` : s.operation, s] as const))('%s', async (_name, scenario) => {
    const run = await auditOperation(schema, documentOf(scenario.operation), scenario.variables?.(world), setup);
    expect(run.result.errors).toBeUndefined();
    const data = run.result.data as Record<string, unknown>;
    if (operations.get(scenario.operation)!.operation === 'mutation') {
      for (const value of Object.values(data)) expect((value as { __typename: string }).__typename).toMatch(/Success$/);
    }
    scenario.after?.(data, world);
    expect(run.estimate.errors).toEqual([]);
    expect(run.uncosted, 'fields that called AfterShip without declaring a cost').toEqual([]);
    expect(run.calls.length, `AfterShip calls vs the guard's estimate ${JSON.stringify(run.estimate.breakdown)}`).toBeLessThanOrEqual(
      run.estimate.cost + run.estimate.backgroundCost,
    );
    if (scenario.noCalls) expect(run.calls).toEqual([]);
    else expect(run.calls.length).toBeGreaterThan(0);
  });

  it.each(readmeExamples.map((doc, i) => [i + 1, doc] as const))('README example %i', async (_i, document) => {
    const run = await auditOperation(schema, document, undefined, setup);
    expect(run.result.errors).toBeUndefined();
    expect(run.estimate.errors).toEqual([]);
    expect(run.uncosted).toEqual([]);
    expect(run.overEstimate).toBe(0);
  });

  it('resolved every field that has its own resolver (add an operation for a new one)', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        // Exposed fields read a property of their parent: they cannot call anything.
        if (field.extensions?.pothosExposedField !== undefined) continue;
        const coordinate = `${type.name}.${field.name}`;
        if (!resolved.has(coordinate)) missing.push(coordinate);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the audit itself', () => {
  // A throwaway schema with fields that call the client: one declares its cost, one forgets it,
  // one declares less than it makes. The audit must flag the last two.
  // (scope-auth's options are required of every builder once its types are loaded; no field uses it.)
  const b = new SchemaBuilder<{ Context: { client: AfterShipClient } }>({ plugins: [ScopeAuthPlugin, CostPlugin], scopeAuth: { authScopes: () => ({}) } });
  b.queryType({
    fields: (t) => ({
      costed: t.string({ cost: { calls: 1 }, args: { id: t.arg.string({ required: true }) }, resolve: async (_r, a, ctx) => (await ctx.client.getTracking(a.id)).id ?? null }),
      uncosted: t.string({ args: { id: t.arg.string({ required: true }) }, resolve: async (_r, a, ctx) => (await ctx.client.getTracking(a.id)).id ?? null }),
      understated: t.string({
        cost: { calls: 1 },
        args: { id: t.arg.string({ required: true }) },
        resolve: async (_r, a, ctx) => {
          await ctx.client.getTracking(a.id);
          return (await ctx.client.updateTracking(a.id, { note: 'x' })).id ?? null;
        },
      }),
    }),
  });
  const throwaway = b.toSchema();
  const clientOnly: AuditSetup = {
    upstream,
    context: (fetch, track) => ({
      contextValue: { client: track(createAfterShipClient({ baseUrl: 'http://sandbox.invalid', auth: { kind: 'api-key', apiKey: KEY }, fetch, retry: { maxRetries: 0 }, budget })) },
      close: async () => {},
    }),
  };
  const run = (field: string) => auditOperation(throwaway, parse(`query($id: String!) { ${field}(id: $id) }`), { id: world.trackings[0].id }, clientOnly);

  it('passes a field that declares what it calls', async () => {
    const r = await run('costed');
    expect(r.result.errors).toBeUndefined();
    expect(r.calls.map((c) => c.coordinate)).toEqual(['Query.costed']);
    expect(r.uncosted).toEqual([]);
    expect(r.overEstimate).toBe(0);
  });

  it('flags a field that calls AfterShip with no cost declared', async () => {
    const r = await run('uncosted');
    expect(r.result.errors).toBeUndefined();
    expect(r.uncosted).toEqual(['Query.uncosted']);
    expect(r.overEstimate).toBe(1);
  });

  it('flags a field that makes more calls than it declares', async () => {
    const r = await run('understated');
    expect(r.uncosted).toEqual([]);
    expect(r.overEstimate).toBe(1);
  });
});
