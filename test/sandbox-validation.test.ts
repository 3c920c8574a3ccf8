/** Request validation of create/update bodies, with AfterShip's meta codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startSandbox, type Harness } from './helpers/sandbox-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox({ seed: 2, enforceRateLimits: false });
});
afterAll(() => h.close());

async function send(method: string, path: string, body: unknown): Promise<{ status: number; code: number; message: string; data: Record<string, unknown> }> {
  const res = await api(h, path, { method, body: JSON.stringify(body) });
  const json = await res.json();
  return { status: res.status, code: json.meta.code, message: json.meta.message, data: json.data };
}

let n = 0;
const ups = (): string => `1Z12345E02052${String(70000 + n++).padStart(5, '0')}`;

describe('create validation', () => {
  it.each([
    ['more than 3 customers', { customers: [{}, {}, {}, {}] }, 4008, 'customers'],
    ['a phone number without +', { customers: [{ phone_number: '4155550123' }] }, 4008, 'phone_number'],
    ['a malformed email', { customers: [{ email: 'nope' }] }, 4008, 'email'],
    ['non-string custom fields', { custom_fields: { a: 1 } }, 4008, 'custom_fields'],
    ['too many shipment tags', { shipment_tags: Array(51).fill('x') }, 4008, 'shipment_tags'],
    ['slug with slug_group', { slug: 'ups', slug_group: 'fedex-group' }, 4008, 'slug_group'],
    ['an unknown slug group', { slug_group: 'nope-group' }, 4008, 'slug_group'],
    ['a bad custom id', { id: 'has spaces' }, 4015, 'id'],
    ['last_mile without slug', { last_mile: { tracking_number: '9400111899562000123456' } }, 4009, 'last_mile.slug'],
    ['an unknown connection', { courier_connection_id: 'f'.repeat(32) }, 4008, 'courier_connection_id'],
    ['a bad delivery type', { delivery_type: 'drone' }, 4008, 'delivery_type'],
    ['a 2-letter country', { destination_country_region: 'US' }, 4008, 'destination_country_region'],
    ['a bad order date', { order_date: '2026-13-01T00:00:00Z' }, 4008, 'order_date'],
    ['a bad promised date', { order_promised_delivery_date: { promised_delivery_date: 'soon' } }, 4008, 'promised_delivery_date'],
    ['location with origin address', { location_id: 'loc_1', origin_city: 'Austin' }, 4008, 'location_id'],
    ['a bad ship date', { tracking_ship_date: '2026-02-30' }, 4008, 'tracking_ship_date'],
  ])('refuses %s', async (_name, extra, code, field) => {
    const res = await send('POST', '/trackings', { tracking_number: ups(), ...extra });
    expect(res.status).toBe(400);
    expect(res.code).toBe(code);
    expect(res.message).toContain(field);
    expect(res.data).toEqual({});
  });

  it('keeps a custom id, refuses it twice, and uses the earliest connection of the courier', async () => {
    const a = await send('POST', '/trackings', { id: 'order-77-box-1', tracking_number: ups(), slug: 'ups-api' });
    expect(a.status).toBe(201);
    expect(a.data.id).toBe('order-77-box-1');
    expect(a.data.courier_connection_id).toMatch(/^[0-9a-f]{32}$/); // the seeded ups-api connection
    expect((await send('POST', '/trackings', { id: 'order-77-box-1', tracking_number: ups() })).code).toBe(4003);
    expect((await send('GET', '/trackings/order-77-box-1', undefined)).status).toBe(200);
  });
});

describe('update validation', () => {
  it('refuses fields that cannot change and a slug the number does not fit', async () => {
    const t = await send('POST', '/trackings', { tracking_number: ups() });
    for (const field of ['tracking_number', 'shipment_tags', 'slug_group', 'courier_connection_id']) {
      const res = await send('PUT', `/trackings/${t.data.id}`, { [field]: field === 'shipment_tags' ? ['x'] : 'x' });
      expect(res.code, field).toBe(4008);
      expect(res.message).toContain(`${field} cannot be updated`);
    }
    expect((await send('PUT', `/trackings/${t.data.id}`, { slug: 'fedex' })).code).toBe(4017);
    expect((await send('PUT', `/trackings/${t.data.id}`, { slug: 'ups-api' })).data.slug).toBe('ups-api');
    const cleared = await send('PUT', `/trackings/${t.data.id}`, { note: 'x' });
    expect(cleared.data.note).toBe('x');
    expect((await send('PUT', `/trackings/${t.data.id}`, { note: '' })).data.note).toBeNull();
    expect((await send('PUT', '/trackings/ffffffffffffffffffffffffffffffff', { title: 'x' })).code).toBe(4004);
  });

  it('checks lang and fields on GET by id', async () => {
    const id = h.sandbox.store.list()[0].id!;
    expect((await api(h, `/trackings/${id}?lang=xx`)).status).toBe(400);
    expect((await api(h, `/trackings/${id}?lang=de&fields=checkpoints,tracking_key`)).status).toBe(200);
    expect((await api(h, `/trackings/${id}?fields=customers`)).status).toBe(400);
  });
});
