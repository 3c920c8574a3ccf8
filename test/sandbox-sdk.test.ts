/**
 * The sandbox driven by AfterShip's own SDK: every tracking, courier, EDD and courier-connection
 * method, with results and error codes as the real API gives them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterShip, AftershipError } from '@aftership/tracking-sdk';
import { API_KEY, api, startSandbox, type Harness } from './helpers/sandbox-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox({ seed: 20, enforceRateLimits: false });
});
afterAll(() => h.close());

/** Runs a call that must fail and returns the SDK error. */
async function failure(call: () => Promise<unknown>): Promise<AftershipError> {
  try {
    await call();
  } catch (e) {
    expect(e).toBeInstanceOf(AftershipError);
    return e as AftershipError;
  }
  throw new Error('expected the call to fail');
}

describe('trackings through the SDK', () => {
  it('lists the seeded world newest first, pages with the cursor and filters', async () => {
    const first = await h.sdk.tracking.getTrackings({ limit: 7 });
    expect(first.data.pagination).toMatchObject({ total: 20, has_next_page: true });
    const created = first.data.trackings!.map((t) => Date.parse(t.created_at!));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    const seen = new Set(first.data.trackings!.map((t) => t.id));
    let cursor = first.data.pagination!.next_cursor!;
    for (;;) {
      const page = await h.sdk.tracking.getTrackings({ limit: 7, cursor });
      page.data.trackings!.forEach((t) => seen.add(t.id));
      if (!page.data.pagination!.has_next_page) {
        expect(page.data.pagination!.next_cursor).toBe('');
        break;
      }
      cursor = page.data.pagination!.next_cursor!;
    }
    expect(seen.size).toBe(20);
    const delivered = await h.sdk.tracking.getTrackings({ tag: 'Delivered' });
    expect(delivered.data.trackings!.length).toBeGreaterThan(0);
    expect(delivered.data.trackings!.every((t) => t.tag === 'Delivered' && t.active === false)).toBe(true);
    expect(first.response_headers['as-api-version']).toBe('2026-07');
  });

  it('creates (201, auto-detected slug), reads by id and legacy id, updates, deletes', async () => {
    const raw = await api(h, '/trackings', { method: 'POST', body: JSON.stringify({ tracking_number: '1Z12345E0205271688' }) });
    expect(raw.status).toBe(201);
    expect((await raw.json()).meta).toEqual({ code: 201 });

    const created = await h.sdk.tracking.createTracking({
      tracking_number: '9400111899562000999999',
      title: 'Order #5001',
      order_id: '5001',
      customers: [{ name: 'Ana Lima', email: 'ana@example.com', phone_number: '+14155550123', role: 'buyer' }],
      custom_fields: { store: 'north' },
      destination_country_region: 'USA',
      destination_city: 'Portland',
    });
    const t = created.data;
    expect(t).toMatchObject({ slug: 'usps', tag: 'Pending', subtag: 'Pending_001', active: true, title: 'Order #5001', subscribed_emails: ['ana@example.com'] });
    expect(t.id).toMatch(/^[0-9a-f]{32}$/);
    expect(t.legacy_id).toMatch(/^[a-z0-9]{24}$/);
    expect(t.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);

    expect((await h.sdk.tracking.getTrackingById(t.id!)).data.tracking_number).toBe('9400111899562000999999');
    expect((await h.sdk.tracking.getTrackingById(t.legacy_id!)).data.id).toBe(t.id);
    const few = await h.sdk.tracking.getTrackingById(t.id!, { fields: 'title,tag' });
    expect(Object.keys(few.data).sort()).toEqual(['id', 'tag', 'title']);

    const updated = await h.sdk.tracking.updateTrackingById(t.id!, { title: 'Renamed', note: 'ring twice', customers: [] });
    expect(updated.data).toMatchObject({ title: 'Renamed', note: 'ring twice', customers: [], subscribed_emails: [] });
    const tooMany = await failure(() => h.sdk.tracking.updateTrackingById(t.id!, { customers: [{}, {}, {}, {}] }));
    expect(tooMany.meta_code).toBe(4008);

    const deleted = await h.sdk.tracking.deleteTrackingById(t.id!);
    expect(deleted.data.id).toBe(t.id);
    const gone = await failure(() => h.sdk.tracking.getTrackingById(t.id!));
    expect([gone.meta_code, Number(gone.status_code), gone.code]).toEqual([4004, 404, 'TRACKING_DOES_NOT_EXIST']);
  });

  it('refuses duplicates, bad numbers, bad slugs, missing courier fields and undetectable numbers', async () => {
    await h.sdk.tracking.createTracking({ tracking_number: '784512369874', slug: 'fedex' });
    expect((await failure(() => h.sdk.tracking.createTracking({ tracking_number: '784512369874', slug: 'fedex' }))).meta_code).toBe(4003);
    expect((await failure(() => h.sdk.tracking.createTracking({ tracking_number: 'ABC123', slug: 'ups' }))).meta_code).toBe(4017);
    expect((await failure(() => h.sdk.tracking.createTracking({ tracking_number: 'bad number!!' }))).meta_code).toBe(4005);
    expect((await failure(() => h.sdk.tracking.createTracking({ tracking_number: '' }))).meta_code).toBe(4007);
    expect((await failure(() => h.sdk.tracking.createTracking({ tracking_number: '1Z12345E0205271699', slug: 'no-such-courier' }))).meta_code).toBe(4010);
    const missing = await failure(() => h.sdk.tracking.createTracking({ tracking_number: 'RB123456785DE', slug: 'deutsch-post' }));
    expect(missing.meta_code).toBe(4011);
    expect(missing.message).toContain('tracking_ship_date');
    const ok = await h.sdk.tracking.createTracking({ tracking_number: 'RB123456785DE', slug: 'deutsch-post', tracking_ship_date: '20260510' });
    expect(ok.data.tracking_ship_date).toBe('20260510');
    const unknown = await failure(() => h.sdk.tracking.createTracking({ tracking_number: 'QQQQ-0000-ZZZZ' }));
    expect(unknown.meta_code).toBe(4012);
    const notInGroup = await failure(() => h.sdk.tracking.createTracking({ tracking_number: '1Z12345E0205271777', slug_group: 'fedex-group' }));
    expect(notInGroup.meta_code).toBe(4012);
    expect((await failure(() => h.sdk.tracking.getTrackingById('not a valid id!'))).meta_code).toBe(4015);
  });

  it('retracks only inactive trackings, at most 3 times', async () => {
    const inactive = h.sandbox.store.list().find((t) => t.tag === 'Delivered')!;
    const active = h.sandbox.store.list().find((t) => t.active)!;
    expect((await failure(() => h.sdk.tracking.retrackTrackingById(active.id!))).meta_code).toBe(4013);
    for (let i = 0; i < 3; i++) {
      const r = await h.sdk.tracking.retrackTrackingById(inactive.id!);
      expect(r.data.active).toBe(true);
      expect((await failure(() => h.sdk.tracking.retrackTrackingById(inactive.id!))).meta_code).toBe(4013);
      await h.sandbox.advance(5 * 60_000); // the re-check finds nothing new and deactivates it
      expect(h.sandbox.store.get(inactive.id!)!.active).toBe(false);
    }
    expect((await failure(() => h.sdk.tracking.retrackTrackingById(inactive.id!))).meta_code).toBe(4016);
  });

  it('marks as completed with the documented tag and a user checkpoint', async () => {
    const cases = [['DELIVERED', 'Delivered', 'Delivered_001'], ['LOST', 'Exception', 'Exception_013'], ['RETURNED_TO_SENDER', 'Exception', 'Exception_011']] as const;
    const candidates = h.sandbox.store.list().filter((t) => t.active);
    for (const [i, [reason, tag, subtag]] of cases.entries()) {
      const done = await h.sdk.tracking.markTrackingCompletedById(candidates[i].id!, { reason: reason as never });
      const last = done.data.checkpoints!.at(-1)!;
      expect(done.data).toMatchObject({ tag, subtag, active: false });
      expect(last).toMatchObject({ tag, subtag, source: 'user' });
      expect(done.data.subtag_message).toBe(last.subtag_message);
    }
    expect((await failure(() => h.sdk.tracking.markTrackingCompletedById(candidates[3].id!, { reason: 'MAYBE' as never }))).meta_code).toBe(4008);
    expect((await failure(() => h.sdk.tracking.markTrackingCompletedById(candidates[3].id!, {} as never))).meta_code).toBe(4009);
  });

  it('rejects a wrong API key with 401 Unauthorized', async () => {
    const wrong = new AfterShip({ api_key: 'wrong-key', domain: h.url, max_retry: 0 });
    const e = await failure(() => wrong.tracking.getTrackings());
    expect([e.meta_code, Number(e.status_code), e.code]).toEqual([401, 401, 'API_KEY_INVALID']);
    expect(JSON.parse(e.response_body as string).meta.type).toBe('Unauthorized');
  });
});

describe('couriers through the SDK', () => {
  it('lists couriers, the account-selected ones, and by slug', async () => {
    const all = await h.sdk.courier.getCouriers();
    expect(all.data.total).toBe(51);
    expect(all.data.couriers![0]).not.toHaveProperty('tracking_number_patterns');
    const active = await h.sdk.courier.getCouriers({ active: true });
    expect(active.data.total).toBeLessThan(51);
    expect(active.data.total! + (await h.sdk.courier.getCouriers({ active: false })).data.total!).toBe(51);
    const one = await h.sdk.courier.getCouriers({ slug: 'ups-api' });
    expect(one.data.couriers![0].credentials!.fields!.map((f) => f.name)).toEqual(['user_id', 'password', 'access_license_number']);
  });

  it('detects several couriers for ambiguous numbers, none for unknown ones, and honours slug / slug_group', async () => {
    const twelve = await h.sdk.courier.detectCourier({ tracking_number: '906587618687' });
    expect(twelve.data.couriers!.map((c) => c.slug)).toEqual(['fedex', 'dhl-germany', 'purolator']);
    const none = await h.sdk.courier.detectCourier({ tracking_number: 'ZZZZ9' });
    expect(none.data).toEqual({ total: 0, couriers: [] });
    const restricted = await h.sdk.courier.detectCourier({ tracking_number: '906587618687', slug: ['purolator', 'japan-post'] });
    expect(restricted.data.couriers!.map((c) => c.slug)).toEqual(['purolator', 'japan-post']);
    const group = await h.sdk.courier.detectCourier({ tracking_number: '906587618687', slug_group: 'fedex-group' });
    expect(group.data.couriers!.map((c) => c.slug)).toEqual(['fedex', 'fedex-uk']);
    expect((await failure(() => h.sdk.courier.detectCourier({} as never))).meta_code).toBe(4007);
  });
});

describe('estimated delivery dates through the SDK', () => {
  const item = {
    slug: 'ups',
    origin_address: { country_region: 'USA', state: 'IL', postal_code: '60638' },
    destination_address: { country_region: 'USA', state: 'NY', city: 'Brooklyn', postal_code: '11201' },
    estimated_pickup: { order_time: '2026-03-16 19:25:00', order_cutoff_time: '18:00:00', business_days: [1, 2, 3, 4, 5], order_processing_time: { unit: 'day', value: 1 } },
  };

  it('predicts deterministically, honouring the cut-off and business days', async () => {
    const a = await h.sdk.estimatedDeliveryDate.predict(item as never);
    const b = await h.sdk.estimatedDeliveryDate.predict(item as never);
    expect(a.data).toEqual(b.data);
    expect(a.data.id).toMatch(/^[0-9a-f]{32}$/);
    // Ordered Monday after the cut-off, one processing day -> pickup Wednesday at the cut-off.
    expect(a.data.estimated_pickup!.pickup_time).toBe('2026-03-18 18:00:00');
    expect(a.data.estimated_delivery_date! > '2026-03-18').toBe(true);
    expect(a.data.estimated_delivery_date_min! <= a.data.estimated_delivery_date!).toBe(true);
    expect(a.data.estimated_delivery_date_max! >= a.data.estimated_delivery_date!).toBe(true);
  });

  it('takes at most 5 in a batch and fails the whole batch on one bad item', async () => {
    const intl = { ...item, destination_address: { country_region: 'DEU', postal_code: '10115' }, estimated_pickup: undefined, pickup_time: '2026-03-16 15:00:00', slug: 'usps' };
    const batch = await h.sdk.estimatedDeliveryDate.predictBatch({ estimated_delivery_dates: [item, intl] } as never);
    const [dom, abroad] = batch.data.estimated_delivery_dates!;
    expect(abroad.estimated_delivery_date! > dom.estimated_delivery_date!).toBe(true);
    const six = await failure(() => h.sdk.estimatedDeliveryDate.predictBatch({ estimated_delivery_dates: Array(6).fill(item) } as never));
    expect(six.meta_code).toBe(4008);
    const bad = await failure(() => h.sdk.estimatedDeliveryDate.predictBatch({ estimated_delivery_dates: [item, { ...item, origin_address: { country_region: 'USA' } }] } as never));
    expect(bad.meta_code).toBe(4009);
    expect(bad.message).toContain('estimated_delivery_dates[1].origin_address');
  });
});

describe('courier connections through the SDK', () => {
  it('creates, lists (cursor + courier_slug), reads, patches and deletes', async () => {
    const created = await h.sdk.courierConnection.postCourierConnections({
      courier_slug: 'ups-api', credentials: { user_id: 'acme', password: 'pw', access_license_number: 'ABC' },
    });
    const id = created.data.id!;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const page1 = await h.sdk.courierConnection.getCourierConnections({ limit: '1' } as never);
    expect(page1.data.pagination).toMatchObject({ total: 2, has_next_page: true });
    const page2 = await h.sdk.courierConnection.getCourierConnections({ limit: '1', cursor: page1.data.pagination!.next_cursor } as never);
    expect(page2.data.pagination).toMatchObject({ has_next_page: false, next_cursor: '' });
    expect(page2.data.courier_connections![0].id).not.toBe(page1.data.courier_connections![0].id);
    expect((await h.sdk.courierConnection.getCourierConnections({ courier_slug: 'fedex' })).data.pagination!.total).toBe(0);
    expect((await h.sdk.courierConnection.getCourierConnectionsById(id)).data.courier_slug).toBe('ups-api');
    const patched = await h.sdk.courierConnection.putCourierConnectionsById(id, { credentials: { password: 'new' } });
    expect(patched.data.credentials).toMatchObject({ user_id: 'acme', password: 'new' });
    expect((await h.sdk.courierConnection.deleteCourierConnectionsById(id)).data.id).toBe(id);
    expect(Number((await failure(() => h.sdk.courierConnection.getCourierConnectionsById(id))).status_code)).toBe(404);
  });

  it('validates credentials against the courier', async () => {
    const missing = await failure(() => h.sdk.courierConnection.postCourierConnections({ courier_slug: 'ups-api', credentials: { user_id: 'x' } }));
    expect(missing.meta_code).toBe(4009);
    const unknownKey = await failure(() => h.sdk.courierConnection.postCourierConnections({ courier_slug: 'ups-api', credentials: { user_id: 'x', password: 'y', access_license_number: 'z', pin: '1' } }));
    expect(unknownKey.meta_code).toBe(4008);
    const noConnections = await failure(() => h.sdk.courierConnection.postCourierConnections({ courier_slug: 'usps', credentials: {} }));
    expect(noConnections.meta_code).toBe(4008);
  });
});

describe('raw HTTP edge cases', () => {
  it('answers invalid JSON with 4001, unknown routes with 404, and always as-api-version', async () => {
    const bad = await api(h, '/trackings', { method: 'POST', body: '{"tracking_number":' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).meta).toEqual({ code: 4001, message: 'Invalid JSON data.', type: 'BadRequest' });
    const nowhere = await api(h, '/nowhere');
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('as-api-version')).toBe('2026-07');
    expect((await nowhere.json()).meta.code).toBe(404);
    const noKey = await fetch(`${h.url}/tracking/2026-07/couriers`);
    expect(noKey.status).toBe(401);
    expect(API_KEY).toBeTruthy();
  });
});
