/** Every endpoint's answer validated against AfterShip's own 2026-07 OpenAPI response schemas. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startSandbox, type Harness } from './helpers/sandbox-harness.js';
import { responseSchema, validate } from './helpers/sandbox-openapi.js';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox({ seed: 60, enforceRateLimits: false });
  for (let i = 0; i < 12; i++) await h.sandbox.advance(6 * 3_600_000); // three days of live events too
});
afterAll(() => h.close());

async function check(method: string, oasPath: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await api(h, path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, `${method} ${path}: ${JSON.stringify(json).slice(0, 300)}`).toBeLessThan(300);
  const { schema, doc } = responseSchema(method, oasPath, res.status);
  // Real courier data has language tags like zh-Hans / zh-CN that break the schema's 2-letter pattern
  // (REFERENCE §9: "that is real data"); everything else must validate.
  const errors = validate(schema, json, doc).filter((e) => !/\.(default_language|support_languages\[\d+\]): "zh-/.test(e) && !/(default_language|support_languages\[\d+\]): longer than 2/.test(e));
  expect(errors, `${method} ${path}`).toEqual([]);
  return json.data as Record<string, unknown>;
}

describe('answers match the OpenAPI documents', () => {
  it('trackings', async () => {
    const listed = await check('GET', '/trackings', '/trackings?limit=200');
    const id = (listed.trackings as { id: string }[])[0].id;
    await check('GET', '/trackings/{id}', `/trackings/${id}`);
    const created = await check('POST', '/trackings', '/trackings', {
      tracking_number: '1Z12345E0205271688', order_id: '42', customers: [{ name: 'A B', email: 'a@example.com' }],
      order_promised_delivery_date: { promised_delivery_date: '2026-12-01' }, shipment_tags: ['gift'],
    });
    await check('PUT', '/trackings/{id}', `/trackings/${created.id}`, { title: 'New title' });
    await check('POST', '/trackings/{id}/mark-as-completed', `/trackings/${created.id}/mark-as-completed`, { reason: 'DELIVERED' });
    await check('POST', '/trackings/{id}/retrack', `/trackings/${created.id}/retrack`);
    await check('DELETE', '/trackings/{id}', `/trackings/${created.id}`);
  });

  it('couriers and detection', async () => {
    await check('GET', '/couriers', '/couriers?active=true');
    await check('POST', '/couriers/detect', '/couriers/detect', { tracking_number: '906587618687' });
  });

  it('estimated delivery dates', async () => {
    const item = {
      slug: 'fedex', origin_address: { country_region: 'USA', state: 'TX', postal_code: '78701' },
      destination_address: { country_region: 'USA', state: 'OR', postal_code: '97214' }, pickup_time: '2026-03-16 15:00:00',
    };
    await check('POST', '/estimated-delivery-date/predict', '/estimated-delivery-date/predict', item);
    await check('POST', '/estimated-delivery-date/predict-batch', '/estimated-delivery-date/predict-batch', { estimated_delivery_dates: [item] });
  });

  it('courier connections', async () => {
    const c = await check('POST', '/courier-connections', '/courier-connections', {
      courier_slug: 'ups-api', credentials: { user_id: 'u', password: 'p', access_license_number: 'a' },
    });
    await check('GET', '/courier-connections', '/courier-connections');
    await check('GET', '/courier-connections/{id}', `/courier-connections/${c.id}`);
    await check('PATCH', '/courier-connections/{id}', `/courier-connections/${c.id}`, { credentials: { password: 'q' } });
    await check('DELETE', '/courier-connections/{id}', `/courier-connections/${c.id}`);
  });
});
