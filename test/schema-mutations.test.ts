/**
 * Every mutation end to end over HTTP against the sandbox, including every typed error a client
 * can switch on, and the shared cache following the writes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AddNotificationReceiversDocument,
  CarrierConnectionDocument,
  CarrierConnectionsDocument,
  CreateCarrierConnectionDocument,
  CreateTrackingDocument,
  DeleteCarrierConnectionDocument,
  DeleteTrackingDocument,
  MarkTrackingCompletedDocument,
  NodeDocument,
  RemoveNotificationReceiversDocument,
  RetrackTrackingDocument,
  TrackingDetailsDocument,
  TrackingDocument,
  UpdateCarrierConnectionDocument,
  UpdateTrackingDocument,
  type CreateTrackingInput,
} from './generated/graphql.js';
import { startSchemaGateway, type SchemaGateway } from './helpers/schema-gateway.js';

let gw: SchemaGateway;
let serial = 0;
/** A fresh, valid UPS number: 1Z + 16 characters. */
const upsNumber = () => `1ZSCHEMA${String(++serial).padStart(10, '0')}`;

beforeAll(async () => {
  gw = await startSchemaGateway({ sandbox: { seed: 8 } });
});
afterAll(() => gw?.close());
beforeEach(() => gw.sandbox.requests.reset());

async function create(input: Partial<CreateTrackingInput> = {}) {
  const r = await gw.graphql(CreateTrackingDocument, { input: { trackingNumber: upsNumber(), slug: 'ups', ...input } });
  expect(r.errors).toBeUndefined();
  const result = r.data!.createTracking;
  if (result.__typename !== 'CreateTrackingSuccess') throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.tracking;
}

describe('createTracking', () => {
  it('creates with every kind of field and caches the result', async () => {
    const trackingNumber = upsNumber();
    const r = await gw.graphql(CreateTrackingDocument, {
      input: {
        trackingNumber,
        slug: 'ups',
        title: 'Order #42',
        orderId: 'order-42',
        orderNumber: '#42',
        customFields: { store: 'north' },
        shipmentTags: ['vip'],
        origin: { countryRegion: 'USA', state: 'TX', city: 'Austin', postalCode: '78701' },
        destination: { countryRegion: 'USA', state: 'OR', city: 'Portland', postalCode: '97214' },
        orderPromisedDeliveryDate: { datetime: '2026-12-01' },
        notificationReceivers: [{ role: 'buyer', name: 'Ada', email: 'ada@example.com', phoneNumber: '+14155550100', language: 'en' }],
      },
    });
    expect(r.errors).toBeUndefined();
    const result = r.data!.createTracking;
    expect(result.__typename).toBe('CreateTrackingSuccess');
    if (result.__typename !== 'CreateTrackingSuccess') return;
    const t = result.tracking;
    expect(t).toMatchObject({
      trackingNumber,
      slug: 'ups',
      title: 'Order #42',
      orderId: 'order-42',
      customFields: { store: 'north' },
      shipmentTags: ['vip'],
      origin: { countryRegion: 'USA', city: 'Austin' },
      destination: { postalCode: '97214' },
      courier: { slug: 'ups' },
      notificationReceivers: [{ name: 'Ada', email: 'ada@example.com', phoneNumber: '+14155550100' }],
    });
    expect(t.estimatedDelivery).toMatchObject({ fromField: 'ORDER_PROMISED_DELIVERY_DATE', datetime: '2026-12-01' });
    expect(gw.sandbox.requests.count({ endpoint: 'POST /trackings' })).toBe(1);

    gw.sandbox.requests.reset();
    const read = await gw.graphql(TrackingDocument, { id: t.id });
    expect(read.data?.tracking?.trackingNumber).toBe(trackingNumber);
    expect(gw.sandbox.requests.count()).toBe(0);
  });

  it('AlreadyExists for a duplicate number + slug', async () => {
    const t = await create();
    const r = await gw.graphql(CreateTrackingDocument, { input: { trackingNumber: t.trackingNumber, slug: 'ups' } });
    expect(r.data!.createTracking).toMatchObject({ __typename: 'AlreadyExists', code: 'ALREADY_EXISTS' });
  });

  it('InvalidTrackingNumber when the number does not fit the courier', async () => {
    const r = await gw.graphql(CreateTrackingDocument, { input: { trackingNumber: 'ABCD1234', slug: 'ups' } });
    expect(r.data!.createTracking).toMatchObject({ __typename: 'InvalidTrackingNumber', code: 'INVALID_TRACKING_NUMBER' });
  });

  it('CourierNotDetected when no slug is given and nothing matches', async () => {
    const r = await gw.graphql(CreateTrackingDocument, { input: { trackingNumber: 'QQQQ99999999QQ' } });
    expect(r.data!.createTracking).toMatchObject({ __typename: 'CourierNotDetected', code: 'COURIER_NOT_DETECTED' });
  });

  it('InvalidInput with the field, from AfterShip (unknown slug) and from the gateway (too many receivers, bad number)', async () => {
    const upstream = await gw.graphql(CreateTrackingDocument, { input: { trackingNumber: upsNumber(), slug: 'no-such-courier' } });
    expect(upstream.data!.createTracking).toMatchObject({ __typename: 'InvalidInput', code: 'BAD_USER_INPUT', field: 'slug' });

    gw.sandbox.requests.reset();
    const receivers = Array.from({ length: 4 }, (_, i) => ({ email: `r${i}@example.com` }));
    const local = await gw.graphql(CreateTrackingDocument, { input: { trackingNumber: upsNumber(), slug: 'ups', notificationReceivers: receivers } });
    expect(local.data!.createTracking).toMatchObject({ __typename: 'InvalidInput', field: 'notificationReceivers' });
    const badNumber = await gw.graphql(CreateTrackingDocument, { input: { trackingNumber: 'a b', slug: 'ups' } });
    expect(badNumber.data!.createTracking).toMatchObject({ __typename: 'InvalidInput', field: 'trackingNumber' });
    const badFields = await gw.graphql(CreateTrackingDocument, { input: { trackingNumber: upsNumber(), customFields: { n: 1 } } });
    expect(badFields.data!.createTracking).toMatchObject({ __typename: 'InvalidInput', field: 'customFields' });
    expect(gw.sandbox.requests.count()).toBe(0);
  });
});

describe('updateTracking, deleteTracking', () => {
  it('updates and keeps the cache current; NotFound for an unknown id', async () => {
    const t = await create();
    const r = await gw.graphql(UpdateTrackingDocument, { input: { id: t.id, title: 'Renamed', note: 'fragile', orderNumber: '#7' } });
    expect(r.data!.updateTracking).toMatchObject({ __typename: 'UpdateTrackingSuccess', tracking: { title: 'Renamed' } });
    gw.sandbox.requests.reset();
    const read = await gw.graphql(TrackingDocument, { id: t.aftershipId });
    expect(read.data?.tracking?.title).toBe('Renamed');
    expect(gw.sandbox.requests.count()).toBe(0);

    const missing = await gw.graphql(UpdateTrackingDocument, { input: { id: 'ffffffffffffffffffffffffffffffff', title: 'x' } });
    expect(missing.data!.updateTracking).toMatchObject({ __typename: 'NotFound', code: 'NOT_FOUND' });
    const nothing = await gw.graphql(UpdateTrackingDocument, { input: { id: t.id } });
    expect(nothing.data!.updateTracking).toMatchObject({ __typename: 'InvalidInput' });
  });

  it('deletes, forgets the cached copy, and answers NotFound the second time', async () => {
    const t = await create();
    const r = await gw.graphql(DeleteTrackingDocument, { input: { id: t.id } });
    expect(r.data!.deleteTracking).toMatchObject({ __typename: 'DeleteTrackingSuccess', tracking: { aftershipId: t.aftershipId } });
    const read = await gw.graphql(TrackingDocument, { id: t.id });
    expect(read.errors).toBeUndefined();
    expect(read.data?.tracking).toBeNull();
    const again = await gw.graphql(DeleteTrackingDocument, { input: { id: t.aftershipId } });
    expect(again.data!.deleteTracking).toMatchObject({ __typename: 'NotFound' });
  });
});

describe('markTrackingCompleted, retrackTracking', () => {
  it('RetrackNotAllowed while active; completes, then retracks; NotFound for unknown ids', async () => {
    const t = await create();
    const early = await gw.graphql(RetrackTrackingDocument, { input: { id: t.id } });
    expect(early.data!.retrackTracking).toMatchObject({ __typename: 'RetrackNotAllowed', code: 'RETRACK_NOT_ALLOWED' });

    const done = await gw.graphql(MarkTrackingCompletedDocument, { input: { id: t.id, reason: 'LOST', eventDatetime: '2026-11-20T10:00:00Z' } });
    expect(done.data!.markTrackingCompleted).toMatchObject({
      __typename: 'MarkTrackingCompletedSuccess',
      tracking: { active: false, tag: 'EXCEPTION', subtag: 'Exception_013' },
    });

    const retracked = await gw.graphql(RetrackTrackingDocument, { input: { id: t.id } });
    expect(retracked.data!.retrackTracking).toMatchObject({ __typename: 'RetrackTrackingSuccess', tracking: { aftershipId: t.aftershipId, active: true } });

    const ghost = 'ffffffffffffffffffffffffffffffff';
    const m = await gw.graphql(MarkTrackingCompletedDocument, { input: { id: ghost, reason: 'DELIVERED' } });
    expect(m.data!.markTrackingCompleted).toMatchObject({ __typename: 'NotFound' });
    const rt = await gw.graphql(RetrackTrackingDocument, { input: { id: ghost } });
    expect(rt.data!.retrackTracking).toMatchObject({ __typename: 'NotFound' });
  });
});

describe('notification receivers', () => {
  it('adds (merging by e-mail) and removes receivers through PUT customers[]', async () => {
    const t = await create({ notificationReceivers: [{ name: 'Ada', email: 'ada@example.com' }] });
    gw.sandbox.requests.reset();
    const added = await gw.graphql(AddNotificationReceiversDocument, {
      input: { trackingId: t.id, receivers: [{ name: 'Bob', phoneNumber: '+447700900123' }, { name: 'Ada L.', email: 'ADA@example.com' }] },
    });
    expect(added.errors).toBeUndefined();
    const result = added.data!.addNotificationReceivers;
    if (result.__typename !== 'AddNotificationReceiversSuccess') throw new Error(JSON.stringify(result));
    expect(result.tracking.notificationReceivers.map((r) => r.name).sort()).toEqual(['Ada L.', 'Bob']);
    expect(gw.sandbox.requests.count({ endpoint: 'PUT /trackings/:id' })).toBe(1);

    const tooMany = await gw.graphql(AddNotificationReceiversDocument, {
      input: { trackingId: t.id, receivers: [{ email: 'c@example.com' }, { email: 'd@example.com' }] },
    });
    expect(tooMany.data!.addNotificationReceivers).toMatchObject({ __typename: 'InvalidInput', field: 'receivers' });

    // AfterShip is sent [Ada L., Bob, then the new one]: its customers[2].email is the client's receivers[0].email.
    const badEmail = await gw.graphql(AddNotificationReceiversDocument, {
      input: { trackingId: t.id, receivers: [{ email: 'not-an-address' }] },
    });
    expect(badEmail.data!.addNotificationReceivers).toMatchObject({
      __typename: 'InvalidInput',
      field: 'receivers[0].email',
      message: 'The value of receivers[0].email is invalid.',
    });

    const removed = await gw.graphql(RemoveNotificationReceiversDocument, { input: { trackingId: t.aftershipId, phoneNumbers: ['+447700900123'] } });
    const r2 = removed.data!.removeNotificationReceivers;
    if (r2.__typename !== 'RemoveNotificationReceiversSuccess') throw new Error(JSON.stringify(r2));
    expect(r2.tracking.notificationReceivers.map((r) => r.email)).toEqual(['ADA@example.com']);
    const read = await gw.graphql(TrackingDocument, { id: t.id });
    expect(read.data?.tracking?.notificationReceivers.map((c) => c.email)).toEqual(['ADA@example.com']);

    const missing = await gw.graphql(RemoveNotificationReceiversDocument, { input: { trackingId: 'ffffffffffffffffffffffffffffffff', emails: ['a@b.c'] } });
    expect(missing.data!.removeNotificationReceivers).toMatchObject({ __typename: 'NotFound' });
    const empty = await gw.graphql(RemoveNotificationReceiversDocument, { input: { trackingId: t.id } });
    expect(empty.data!.removeNotificationReceivers).toMatchObject({ __typename: 'InvalidInput' });
  });
});

describe('carrier connections', () => {
  const secret = 'S3cret-never-returned';

  it('lists, reads, creates, updates and deletes, never returning credential values', async () => {
    const list = await gw.graphql(CarrierConnectionsDocument, {});
    expect(list.errors).toBeUndefined();
    const before = list.data!.carrierConnections.totalCount;

    const created = await gw.graphql(CreateCarrierConnectionDocument, {
      input: { courierSlug: 'ups-api', credentials: [{ name: 'user_id', value: 'me' }, { name: 'password', value: secret }, { name: 'access_license_number', value: 'L1' }] },
    });
    expect(JSON.stringify(created)).not.toContain(secret);
    const c = created.data!.createCarrierConnection;
    if (c.__typename !== 'CreateCarrierConnectionSuccess') throw new Error(JSON.stringify(c));
    expect(c.carrierConnection).toMatchObject({ courierSlug: 'ups-api', courier: { slug: 'ups-api' }, credentialNames: ['access_license_number', 'password', 'user_id'] });

    // A tracking created through the connection links to it.
    const tracked = await create({ carrierConnectionId: c.carrierConnection.id });
    const details = await gw.graphql(TrackingDetailsDocument, { id: tracked.id });
    expect(details.errors).toBeUndefined();
    expect(details.data?.tracking?.carrierConnection).toMatchObject({ id: c.carrierConnection.id, courierSlug: 'ups-api' });

    const byId = await gw.graphql(CarrierConnectionDocument, { id: c.carrierConnection.id });
    expect(byId.data?.carrierConnection?.aftershipId).toBe(c.carrierConnection.aftershipId);
    const asNode = await gw.graphql(NodeDocument, { id: c.carrierConnection.id });
    expect(asNode.data?.node).toMatchObject({ __typename: 'CarrierConnection', courierSlug: 'ups-api' });
    const filtered = await gw.graphql(CarrierConnectionsDocument, { courierSlug: 'ups-api', first: 1 });
    expect(filtered.data!.carrierConnections.totalCount).toBeGreaterThanOrEqual(1);
    expect(filtered.data!.carrierConnections.edges).toHaveLength(1);
    const after = await gw.graphql(CarrierConnectionsDocument, {});
    expect(after.data!.carrierConnections.totalCount).toBe(before + 1);
    expect(JSON.stringify(after)).not.toContain(secret);

    const updated = await gw.graphql(UpdateCarrierConnectionDocument, {
      input: { id: c.carrierConnection.aftershipId, credentials: [{ name: 'user_id', value: 'me2' }, { name: 'password', value: secret }, { name: 'access_license_number', value: 'L2' }] },
    });
    expect(updated.data!.updateCarrierConnection.__typename).toBe('UpdateCarrierConnectionSuccess');
    expect(JSON.stringify(updated)).not.toContain(secret);

    const deleted = await gw.graphql(DeleteCarrierConnectionDocument, { input: { id: c.carrierConnection.id } });
    expect(deleted.data!.deleteCarrierConnection).toMatchObject({ __typename: 'DeleteCarrierConnectionSuccess' });
    const gone = await gw.graphql(CarrierConnectionDocument, { id: c.carrierConnection.id });
    expect(gone.errors).toBeUndefined();
    expect(gone.data?.carrierConnection).toBeNull();
  });

  it('typed errors: NotFound for unknown ids, InvalidInput for an unknown courier or empty credentials', async () => {
    const ghost = 'ffffffffffffffffffffffffffffffff';
    const upd = await gw.graphql(UpdateCarrierConnectionDocument, { input: { id: ghost, credentials: [{ name: 'api_key', value: 'x' }] } });
    expect(upd.data!.updateCarrierConnection).toMatchObject({ __typename: 'NotFound' });
    const del = await gw.graphql(DeleteCarrierConnectionDocument, { input: { id: ghost } });
    expect(del.data!.deleteCarrierConnection).toMatchObject({ __typename: 'NotFound' });
    const bad = await gw.graphql(CreateCarrierConnectionDocument, { input: { courierSlug: 'no-such-carrier', credentials: [{ name: 'api_key', value: 'x' }] } });
    expect(bad.data!.createCarrierConnection).toMatchObject({ __typename: 'InvalidInput', field: 'slug' });
    const empty = await gw.graphql(CreateCarrierConnectionDocument, { input: { courierSlug: 'ups-api', credentials: [] } });
    expect(empty.data!.createCarrierConnection).toMatchObject({ __typename: 'InvalidInput', field: 'credentials' });
  });
});

describe('RateLimited and unexpected failures', () => {
  it('RateLimited (with retryAfterSeconds) when AfterShip keeps answering 429 beyond the queue timeout', async () => {
    const limited = await startSchemaGateway({ sandbox: { seed: 2 }, budget: { queueTimeoutMs: 50 } });
    try {
      limited.sandbox.faults.set({ force429Count: 5, endpoints: ['POST /trackings'] });
      const r = await limited.graphql(CreateTrackingDocument, { input: { trackingNumber: upsNumber(), slug: 'ups' } });
      expect(r.errors).toBeUndefined();
      const result = r.data!.createTracking;
      expect(result).toMatchObject({ __typename: 'RateLimited', code: 'RATE_LIMITED' });
      if (result.__typename === 'RateLimited') expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(1);

      limited.sandbox.faults.set({ force429Count: 5, endpoints: ['GET /trackings/:id'] });
      const q = await limited.graphql(TrackingDocument, { id: 'abcdefabcdefabcdefabcdefabcdefab' });
      expect(q.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(q.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });

  it('an AfterShip outage during a mutation is a GraphQL error with UPSTREAM_UNAVAILABLE, not a typed result', async () => {
    gw.sandbox.faults.set({ errorRate: 1, errorStatus: 503, endpoints: ['PUT /trackings/:id'] });
    try {
      const t = await create();
      const r = await gw.graphql(UpdateTrackingDocument, { input: { id: t.id, title: 'x' } });
      expect(r.data).toBeNull();
      expect(r.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(r.errors?.[0]?.path).toEqual(['updateTracking']);
    } finally {
      gw.sandbox.faults.reset();
    }
  });
});
