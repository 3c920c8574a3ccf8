/**
 * Every root query end to end over HTTP against the sandbox, counting AfterShip calls in the
 * sandbox's request log: batching and caching keep big operations to a couple of calls.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import {
  CourierDocument,
  CouriersDocument,
  DetectCouriersDocument,
  NodeDocument,
  NodesDocument,
  PredictEstimatedDeliveriesDocument,
  TrackingByNumberDocument,
  TrackingCheckpointsDocument,
  TrackingDocument,
  TrackingsDocument,
  type EstimatedDeliveryPredictionInput,
  type Tag,
  type TrackingsQuery,
  type TrackingsQueryVariables,
} from './generated/graphql.js';
import { tagName } from '../src/schema/enums.js';
import { startSchemaGateway, type SchemaGateway } from './helpers/schema-gateway.js';

let gw: SchemaGateway;
let seeded: Tracking[];

beforeAll(async () => {
  gw = await startSchemaGateway({ sandbox: { seed: 60 } });
  seeded = gw.sandbox.store.list();
});
afterAll(() => gw?.close());
beforeEach(() => {
  gw.cache.clear();
  gw.sandbox.requests.reset();
});

const calls = (filter?: Parameters<SchemaGateway['sandbox']['requests']['count']>[0]) => gw.sandbox.requests.count(filter);

describe('trackingByNumber', () => {
  it('50 aliased lookups with courier and checkpoints cost at most 2 AfterShip calls cold and 0 warm', async () => {
    const fifty = seeded.slice(0, 50);
    expect(fifty).toHaveLength(50);
    const source = `query Fifty {\n${fifty
      .map((t, i) => `  t${i}: trackingByNumber(trackingNumber: "${t.tracking_number}") { aftershipId trackingNumber slug tag courier { slug name } checkpoints { message tag subtag checkpointTime city state postalCode countryRegion } latestCheckpoint { message } }`)
      .join('\n')}\n}`;
    type Row = { aftershipId: string; trackingNumber: string; slug: string; courier: { slug: string; name: string } | null; checkpoints: unknown[] };

    const cold = await gw.graphqlText<Record<string, Row>>(source);
    expect(cold.errors).toBeUndefined();
    fifty.forEach((t, i) => {
      const row = cold.data?.[`t${i}`];
      expect(row?.aftershipId).toBe(t.id);
      expect(row?.courier?.slug).toBe(t.slug);
      expect(row?.checkpoints).toHaveLength(t.checkpoints?.length ?? 0);
    });
    expect(calls()).toBeLessThanOrEqual(2);
    expect(calls({ endpoint: 'GET /trackings/:id' })).toBe(0);

    gw.sandbox.requests.reset();
    const warm = await gw.graphqlText<Record<string, Row>>(source);
    expect(warm.data).toEqual(cold.data);
    expect(calls()).toBe(0);
  });

  it('answers null for an unknown number, and picks by slug', async () => {
    const t = seeded[0];
    const found = await gw.graphql(TrackingByNumberDocument, { trackingNumber: t.tracking_number!, slug: t.slug });
    expect(found.data?.trackingByNumber?.aftershipId).toBe(t.id);
    const missing = await gw.graphql(TrackingByNumberDocument, { trackingNumber: '1Z999AA10000000001' });
    expect(missing.errors).toBeUndefined();
    expect(missing.data?.trackingByNumber).toBeNull();
  });
});

describe('trackings connection', () => {
  it('a 50-row page with courier and latest checkpoint costs at most 2 calls, and primes per-tracking lookups', async () => {
    const page = await gw.graphql(TrackingsDocument, { first: 50 });
    expect(page.errors).toBeUndefined();
    const conn = page.data!.trackings;
    expect(conn.edges).toHaveLength(50);
    expect(conn.totalCount).toBe(seeded.length);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    for (const { node } of conn.edges) {
      const original = seeded.find((t) => t.id === node.aftershipId)!;
      expect(node.courier?.slug).toBe(original.slug);
      expect(node.latestCheckpoint?.message ?? null).toBe(original.checkpoints?.at(-1)?.message ?? null);
    }
    expect(calls()).toBeLessThanOrEqual(2);

    gw.sandbox.requests.reset();
    const first = conn.edges[0].node;
    const again = await gw.graphql(TrackingDocument, { id: first.id });
    expect(again.data?.tracking?.aftershipId).toBe(first.aftershipId);
    const byNumber = await gw.graphql(TrackingByNumberDocument, { trackingNumber: first.trackingNumber });
    expect(byNumber.data?.trackingByNumber?.aftershipId).toBe(first.aftershipId);
    expect(calls()).toBe(0);
  });

  it('pages with AfterShip cursors and resumes from any edge cursor', async () => {
    const one = await gw.graphql(TrackingsDocument, { first: 4 });
    const edges = one.data!.trackings.edges;
    expect(one.data!.trackings.pageInfo.hasPreviousPage).toBe(false);
    const two = await gw.graphql(TrackingsDocument, { first: 3, after: one.data!.trackings.pageInfo.endCursor });
    expect(two.data!.trackings.pageInfo.hasPreviousPage).toBe(true);
    const fromMiddle = await gw.graphql(TrackingsDocument, { first: 5, after: edges[1].cursor });
    const ids = (r: typeof one) => r.data!.trackings.edges.map((e) => e.node.aftershipId);
    const all = seeded.map((t) => t.id);
    expect(ids(one)).toEqual(all.slice(0, 4));
    expect(ids(two)).toEqual(all.slice(4, 7));
    expect(ids(fromMiddle)).toEqual(all.slice(2, 7));
    const bad = await gw.graphql(TrackingsDocument, { first: 2, after: 'gw1:not-a-cursor' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('walks to the last page', async () => {
    let after: string | null | undefined = null;
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r: Awaited<ReturnType<typeof gw.graphql<TrackingsQuery, TrackingsQueryVariables>>> = await gw.graphql(TrackingsDocument, { first: 25, after });
      seen.push(...r.data!.trackings.edges.map((e) => e.node.aftershipId));
      if (!r.data!.trackings.pageInfo.hasNextPage) break;
      after = r.data!.trackings.pageInfo.endCursor;
    }
    expect(seen).toEqual(seeded.map((t) => t.id));
  });

  it('maps every filter onto AfterShip query parameters', async () => {
    const ups = seeded.filter((t) => t.slug === 'ups' || t.slug === 'usps');
    const r = await gw.graphql(TrackingsDocument, {
      first: 50,
      filter: {
        slugs: ['ups', 'usps'],
        createdAtMin: '2020-01-01T00:00:00.000Z',
        createdAtMax: '2099-12-31T23:59:59+02:00',
        updatedAtMin: '2020-01-01T00:00:00Z',
      },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.trackings.edges.map((e) => e.node.aftershipId).sort()).toEqual(ups.map((t) => t.id).sort());
    const [entry] = gw.sandbox.requests.all().filter((e) => e.endpoint === 'GET /trackings');
    expect(entry.query).toMatchObject({
      slug: 'ups,usps',
      created_at_min: '2020-01-01T00:00:00+00:00',
      created_at_max: '2099-12-31T21:59:59+00:00',
      updated_at_min: '2020-01-01T00:00:00+00:00',
      limit: '50',
    });

    gw.sandbox.requests.reset();
    const some = seeded.slice(3, 6);
    const byNumbers = await gw.graphql(TrackingsDocument, {
      filter: { trackingNumbers: some.map((t) => t.tracking_number!), tags: [tagName(some[0].tag!) as Tag], keyword: some[0].tracking_number },
    });
    expect(byNumbers.errors).toBeUndefined();
    expect(byNumbers.data!.trackings.edges.map((e) => e.node.aftershipId)).toEqual([some[0].id]);
    expect(gw.sandbox.requests.all()[0].query).toMatchObject({
      tracking_numbers: some.map((t) => t.tracking_number).join(','),
      tag: some[0].tag,
      keyword: some[0].tracking_number,
    });

    gw.sandbox.requests.reset();
    await gw.graphql(TrackingsDocument, {
      filter: {
        originCountryRegions: ['USA'],
        destinationCountryRegions: ['GBR', 'USA'],
        orderIds: ['o-1'],
        shipmentTags: ['vip'],
        returnToSender: false,
        transitTime: 3,
        courierDestinationCountryRegions: ['USA'],
      },
    });
    expect(gw.sandbox.requests.all()[0].query).toMatchObject({
      origin: 'USA',
      destination: 'GBR,USA',
      order_id: 'o-1',
      shipment_tags: 'vip',
      return_to_sender: 'false',
      transit_time: '3',
      courier_destination_country_region: 'USA',
    });
  });

  it('rejects bad filter values with BAD_USER_INPUT before calling AfterShip', async () => {
    const r = await gw.graphql(TrackingsDocument, { filter: { originCountryRegions: ['United States'] } });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = await gw.graphql(TrackingsDocument, { first: 201 });
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(big.errors?.[0]?.message).toMatch(/200/);
    expect(calls()).toBe(0);
  });
});

describe('tracking, node and nodes', () => {
  it('finds a tracking by global ID, raw id and legacy id; null when missing', async () => {
    const t = seeded.find((s) => (s.checkpoints?.length ?? 0) > 2)!;
    const byRaw = await gw.graphql(TrackingDocument, { id: t.id! });
    expect(byRaw.errors).toBeUndefined();
    const tr = byRaw.data!.tracking!;
    expect(tr.aftershipId).toBe(t.id);
    expect(tr.trackingNumber).toBe(t.tracking_number);
    expect(tr.checkpoints.map((c) => c.hash)).toEqual(t.checkpoints!.map((c) => c.hash));
    expect(tr.latestCheckpoint?.subtag).toBe(t.checkpoints!.at(-1)!.subtag);
    expect(tr.tag).toBe(tagName(t.tag!));
    expect(tr.estimatedDelivery?.fromField).toBe(tr.estimatedDeliveries[0]?.fromField);

    const byGlobal = await gw.graphql(TrackingDocument, { id: tr.id });
    expect(byGlobal.data?.tracking?.aftershipId).toBe(t.id);
    if (t.legacy_id) {
      const byLegacy = await gw.graphql(TrackingDocument, { id: t.legacy_id });
      expect(byLegacy.data?.tracking?.aftershipId).toBe(t.id);
    }
    const missing = await gw.graphql(TrackingDocument, { id: 'ffffffffffffffffffffffffffffffff' });
    expect(missing.errors).toBeUndefined();
    expect(missing.data?.tracking).toBeNull();
    const wrongType = await gw.graphql(TrackingDocument, { id: Buffer.from('CarrierConnection:abc').toString('base64') });
    expect(wrongType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('filters checkpoints by tag and keeps the newest', async () => {
    const t = seeded.find((s) => (s.checkpoints?.length ?? 0) >= 3)!;
    const r = await gw.graphql(TrackingCheckpointsDocument, { id: t.id!, last: 2 });
    expect(r.data?.tracking?.checkpoints.map((c) => c.subtag)).toEqual(t.checkpoints!.slice(-2).map((c) => c.subtag));
    const tag = t.checkpoints![0].tag!;
    const tagged = await gw.graphql(TrackingCheckpointsDocument, { id: t.id!, tags: [tagName(tag) as Tag] });
    expect(tagged.data?.tracking?.checkpoints.map((c) => c.subtag)).toEqual(t.checkpoints!.filter((c) => c.tag === tag).map((c) => c.subtag));
  });

  it('node and nodes resolve global IDs (null for missing ones) and nodes is capped at 100', async () => {
    const [a, b] = seeded;
    const ids = (await gw.graphql(TrackingsDocument, { first: 2 })).data!.trackings.edges.map((e) => e.node.id);
    const node = await gw.graphql(NodeDocument, { id: ids[0] });
    expect(node.data?.node).toMatchObject({ __typename: 'Tracking', trackingNumber: a.tracking_number });
    const ghost = Buffer.from('Tracking:ffffffffffffffffffffffffffffffff').toString('base64');
    const nodes = await gw.graphql(NodesDocument, { ids: [ids[1], ghost, ids[0]] });
    expect(nodes.errors).toBeUndefined();
    expect(nodes.data?.nodes.map((n) => (n && 'trackingNumber' in n ? n.trackingNumber : null))).toEqual([b.tracking_number, null, a.tracking_number]);
    const tooMany = await gw.graphql(NodesDocument, { ids: Array.from({ length: 101 }, () => ids[0]) });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers BAD_USER_INPUT, without calling AfterShip, for IDs that cannot name a node', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    // Not base64 "Type:id", a type without nodes, and an AfterShip id that cannot exist.
    for (const id of ['garbage', b64('Foo:abc'), b64('Tracking:../../x?y=1')]) {
      const node = await gw.graphql(NodeDocument, { id });
      expect(node.errors?.[0]?.extensions?.code, id).toBe('BAD_USER_INPUT');
      expect(node.errors?.[0]?.message, id).toMatch(/is not the global ID of a Tracking or a CarrierConnection/);
      const nodes = await gw.graphql(NodesDocument, { ids: [id] });
      expect(nodes.errors?.[0]?.extensions?.code, id).toBe('BAD_USER_INPUT');
    }
    const tracking = await gw.graphql(TrackingDocument, { id: b64('Tracking:../../x?y=1') });
    expect(tracking.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(calls()).toBe(0);
  });
});

describe('couriers, detection and predictions', () => {
  it('lists couriers once per cache lifetime and finds one by slug', async () => {
    const all = await gw.graphql(CouriersDocument, {});
    expect(all.errors).toBeUndefined();
    expect(all.data!.couriers.length).toBeGreaterThan(20);
    const upsApi = all.data!.couriers.find((c) => c.slug === 'ups-api');
    expect(upsApi?.credentialFields.map((f) => f.name)).toEqual(expect.arrayContaining(['user_id', 'password']));
    const ups = await gw.graphql(CourierDocument, { slug: 'ups' });
    expect(ups.data?.courier).toMatchObject({ slug: 'ups', name: 'UPS' });
    const none = await gw.graphql(CourierDocument, { slug: 'no-such-courier' });
    expect(none.data?.courier).toBeNull();
    expect(calls({ endpoint: 'GET /couriers' })).toBe(1);
    const active = await gw.graphql(CouriersDocument, { active: true });
    expect(active.errors).toBeUndefined();
    expect(gw.sandbox.requests.all().at(-1)?.query).toMatchObject({ active: 'true' });
  });

  it('detects couriers for a number (and none for gibberish)', async () => {
    const r = await gw.graphql(DetectCouriersDocument, { input: { trackingNumber: '1Z9X2A470312345678' } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.detectCouriers.map((c) => c.slug)).toContain('ups');
    const narrowed = await gw.graphql(DetectCouriersDocument, { input: { trackingNumber: '123456789012', slugs: ['fedex'] } });
    expect(narrowed.data!.detectCouriers.map((c) => c.slug)).toEqual(['fedex']);
    const none = await gw.graphql(DetectCouriersDocument, { input: { trackingNumber: 'QQQQ' } });
    expect(none.data!.detectCouriers).toEqual([]);
    const both = await gw.graphql(DetectCouriersDocument, { input: { trackingNumber: '123456789012', slugs: ['fedex'], slugGroup: 'fedex-group' } });
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('predicts delivery dates in input order through predict-batch, cached by input', async () => {
    const input = (i: number): EstimatedDeliveryPredictionInput => ({
      slug: i % 2 ? 'fedex' : 'ups',
      originAddress: { countryRegion: 'USA', state: 'CA', postalCode: `9000${i}` },
      destinationAddress: { countryRegion: 'USA', state: 'NY', postalCode: '10001' },
      ...(i % 3 === 0
        ? { estimatedPickup: { orderTime: '2026-11-20 09:00:00', orderCutoffTime: '18:00:00', businessDays: [1, 2, 3, 4, 5] } }
        : { pickupTime: '2026-11-20 15:00:00' }),
    });
    const inputs = Array.from({ length: 7 }, (_, i) => input(i));
    const r = await gw.graphql(PredictEstimatedDeliveriesDocument, { inputs });
    expect(r.errors).toBeUndefined();
    const out = r.data!.predictEstimatedDeliveries;
    expect(out.map((p) => [p.slug, p.originAddress.postalCode])).toEqual(inputs.map((i) => [i.slug, i.originAddress.postalCode]));
    expect(out.every((p) => p.estimatedDelivery?.datetime || p.estimatedDelivery?.datetimeMin)).toBe(true);
    expect(out[0].estimatedDelivery).toMatchObject({ fromField: null, source: 'AFTERSHIP_EDD' });
    expect(out[0].estimatedPickup?.orderTime).toBe('2026-11-20 09:00:00');
    expect(calls({ endpoint: 'POST /estimated-delivery-date/predict-batch' })).toBe(2);

    gw.sandbox.requests.reset();
    const again = await gw.graphql(PredictEstimatedDeliveriesDocument, { inputs: inputs.slice(0, 5) });
    expect(again.data!.predictEstimatedDeliveries.map((p) => p.aftershipId)).toEqual(out.slice(0, 5).map((p) => p.aftershipId));
    expect(calls({ endpoint: 'POST /estimated-delivery-date/predict-batch' })).toBe(0);

    const invalid = await gw.graphql(PredictEstimatedDeliveriesDocument, {
      inputs: [{ ...input(1), originAddress: { countryRegion: 'USA' } }],
    });
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("names the input AfterShip refused by its place in `inputs`, not AfterShip's batch path", async () => {
    const input = (i: number, countryRegion = 'USA'): EstimatedDeliveryPredictionInput => ({
      slug: 'ups',
      originAddress: { countryRegion, state: 'CA', postalCode: `9100${i}` },
      destinationAddress: { countryRegion: 'USA', state: 'NY', postalCode: '10001' },
      pickupTime: '2026-11-21 15:00:00',
    });
    // input(0) is cached, so AfterShip's batch starts at inputs[1]; inputs[7] is item 1 of the second batch of 5.
    expect((await gw.graphql(PredictEstimatedDeliveriesDocument, { inputs: [input(0)] })).errors).toBeUndefined();
    gw.sandbox.requests.reset();
    const inputs = [input(0), ...Array.from({ length: 6 }, (_, i) => input(i + 1)), input(7, 'ZZ'), input(8)];
    const r = await gw.graphql(PredictEstimatedDeliveriesDocument, { inputs });
    expect(calls({ endpoint: 'POST /estimated-delivery-date/predict-batch' })).toBe(2);
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]).toMatchObject({
      message: 'The value of inputs[7].originAddress.countryRegion is invalid.',
      extensions: { code: 'BAD_USER_INPUT', field: 'inputs[7].originAddress.countryRegion' },
    });
  });
});

describe('unexpected upstream failures', () => {
  it('become GraphQL errors with a stable extensions.code', async () => {
    gw.sandbox.faults.set({ errorRate: 1, errorStatus: 503 });
    try {
      const r = await gw.graphql(TrackingDocument, { id: seeded[0].id! });
      expect(r.data?.tracking ?? null).toBeNull();
      expect(r.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(r.errors?.[0]?.path).toEqual(['tracking']);
    } finally {
      gw.sandbox.faults.reset();
    }
  });
});
