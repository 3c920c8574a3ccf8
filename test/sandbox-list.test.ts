/** GET /trackings filters, their validation (400 on malformed dates, >50 numbers...) and paging. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import { api, startSandbox, type Harness } from './helpers/sandbox-harness.js';

let h: Harness;
let all: Tracking[];
beforeAll(async () => {
  h = await startSandbox({ seed: 40, enforceRateLimits: false });
  all = h.sandbox.store.list();
});
afterAll(() => h.close());

async function list(query: string): Promise<{ status: number; body: { meta: { code: number; message?: string }; data: { pagination: { total: number }; trackings: Tracking[] } } }> {
  const res = await api(h, `/trackings?${query}`);
  return { status: res.status, body: await res.json() };
}

const ids = (ts: Tracking[]) => ts.map((t) => t.id).sort();

describe('GET /trackings filters', () => {
  it('filters by tracking numbers, slugs, tags, countries, order ids, shipment tags and return_to_sender', async () => {
    const some = all.slice(0, 3);
    const byNumber = await list(`tracking_numbers=${some.map((t) => t.tracking_number).join(',')}`);
    expect(ids(byNumber.body.data.trackings)).toEqual(ids(some));

    const slugs = [all[0].slug!, all[1].slug!];
    const bySlug = await list(`slug=${slugs.join(',')}&limit=200`);
    expect(ids(bySlug.body.data.trackings)).toEqual(ids(all.filter((t) => slugs.includes(t.slug!))));

    const byTag = await list('tag=InTransit&limit=200');
    expect(ids(byTag.body.data.trackings)).toEqual(ids(all.filter((t) => t.tag === 'InTransit')));

    const dest = all[2].destination_country_region!;
    const byDest = await list(`destination=${dest}&limit=200`);
    expect(ids(byDest.body.data.trackings)).toEqual(ids(all.filter((t) => t.destination_country_region === dest)));
    const origin = all[4].origin_country_region!;
    expect(ids((await list(`origin=${origin}&limit=200`)).body.data.trackings)).toEqual(ids(all.filter((t) => t.origin_country_region === origin)));

    const byOrder = await list(`order_id=${all[5].order_id}`);
    expect(byOrder.body.data.trackings.map((t) => t.id)).toContain(all[5].id);

    const tagged = all.find((t) => t.shipment_tags!.length)!;
    const byShipmentTag = await list(`shipment_tags=${tagged.shipment_tags![0]}&limit=200`);
    expect(ids(byShipmentTag.body.data.trackings)).toEqual(ids(all.filter((t) => t.shipment_tags!.includes(tagged.shipment_tags![0]))));

    const rts = await list('return_to_sender=true&limit=200');
    expect(rts.body.data.trackings.length).toBeGreaterThan(0);
    expect(rts.body.data.trackings.every((t) => t.return_to_sender)).toBe(true);

    const withTransit = all.find((t) => t.transit_time !== null)!;
    const byTransit = await list(`transit_time=${withTransit.transit_time}&limit=200`);
    expect(byTransit.body.data.trackings.every((t) => t.transit_time === withTransit.transit_time)).toBe(true);

    const cdc = all.find((t) => t.courier_destination_country_region)!.courier_destination_country_region!;
    const byCdc = await list(`courier_destination_country_region=${cdc}&limit=200`);
    expect(byCdc.body.data.trackings.every((t) => t.courier_destination_country_region === cdc)).toBe(true);
  });

  it('searches keywords in numbers, titles, order ids, customers and custom fields', async () => {
    const t = all.find((x) => x.customers!.length)!;
    const email = t.customers![0].email!;
    const res = await list(`keyword=${encodeURIComponent(email.toUpperCase())}`);
    expect(res.body.data.trackings.map((x) => x.id)).toContain(t.id);
    const partial = await list(`keyword=${t.tracking_number!.slice(2, 9)}`);
    expect(partial.body.data.trackings.map((x) => x.id)).toContain(t.id);
  });

  it('filters created/updated ranges given in the strict format', async () => {
    const sorted = [...all].sort((a, b) => Date.parse(a.created_at!) - Date.parse(b.created_at!));
    const pivot = sorted[20].created_at!;
    const res = await list(`created_at_min=${encodeURIComponent(pivot)}&limit=200`);
    expect(res.status).toBe(200);
    expect(ids(res.body.data.trackings)).toEqual(ids(all.filter((t) => Date.parse(t.created_at!) >= Date.parse(pivot))));
    const upd = await list(`updated_at_max=${encodeURIComponent(pivot)}&limit=200`);
    expect(upd.body.data.trackings.every((t) => Date.parse(t.updated_at!) <= Date.parse(pivot))).toBe(true);
  });

  it('refuses malformed values with 400', async () => {
    const cases = [
      'created_at_min=2026-01-01', // date only
      'created_at_min=2026-01-01T00:00:00+00:00', // unescaped "+" arrives as a space
      'updated_at_max=2026-13-01T00:00:00Z',
      'created_at_min=2026-02-01T00:00:00Z&created_at_max=2026-01-01T00:00:00Z',
      'limit=0', 'limit=201', 'limit=ten', 'tag=Flying', 'origin=us', 'return_to_sender=maybe', 'cursor=%%%', 'fields=secret',
      `tracking_numbers=${Array.from({ length: 51 }, (_, i) => `NUM${1000 + i}`).join(',')}`,
    ];
    for (const q of cases) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body.meta.code, q).toBe(4008);
    }
    const fifty = await list(`tracking_numbers=${Array.from({ length: 50 }, (_, i) => `NUM${1000 + i}`).join(',')}`);
    expect(fifty.status).toBe(200);
  });

  it('limits the returned fields and defaults to 100 per page', async () => {
    const res = await list('fields=title,tag');
    expect(res.body.data.trackings.length).toBe(40);
    for (const t of res.body.data.trackings) expect(Object.keys(t).sort()).toEqual(['id', 'tag', 'title']);
  });

  it('keeps cursor pages stable while new trackings arrive', async () => {
    const first = await list('limit=10');
    const cursor = (first.body.data as unknown as { pagination: { next_cursor: string } }).pagination.next_cursor;
    await api(h, '/trackings', { method: 'POST', body: JSON.stringify({ tracking_number: '1Z12345E0205271688' }) });
    const second = await list(`limit=10&cursor=${encodeURIComponent(cursor)}`);
    const expected = [...all].sort((a, b) => Date.parse(b.created_at!) - Date.parse(a.created_at!) || (b.id! < a.id! ? -1 : 1)).slice(10, 20);
    expect(second.body.data.trackings.map((t) => t.id)).toEqual(expected.map((t) => t.id));
    expect(second.body.data.pagination.total).toBe(41);
  });
});
