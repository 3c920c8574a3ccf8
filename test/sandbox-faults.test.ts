/** Fault injection through code and through the /__sandbox control routes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AftershipError } from '@aftership/tracking-sdk';
import { api, startSandbox, type Harness } from './helpers/sandbox-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startSandbox({ seed: 3, enforceRateLimits: false });
});
afterEach(() => h.close());

const control = (path: string, init: RequestInit = {}) => fetch(`${h.url}/__sandbox${path}`, init);

describe('faults', () => {
  it('adds latency', async () => {
    h.sandbox.faults.set({ latencyMs: 120 });
    const started = performance.now();
    expect((await api(h, '/couriers')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('answers a share of requests with 5xx, reproducibly', async () => {
    h.sandbox.faults.set({ errorRate: 1, errorStatus: 503 });
    const res = await api(h, '/couriers');
    expect(res.status).toBe(503);
    expect((await res.json()).meta).toMatchObject({ code: 503, type: 'InternalError' });
    const e = await h.sdk.courier.getCouriers().catch((err: unknown) => err);
    expect((e as AftershipError).meta_code).toBe(503);

    h.sandbox.faults.reset();
    h.sandbox.faults.set({ errorRate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await api(h, '/couriers')).status);
    const errors = statuses.filter((s) => s === 500).length;
    expect(errors).toBeGreaterThan(5);
    expect(errors).toBeLessThan(35);
  });

  it('forces 429s by count, then recovers', async () => {
    h.sandbox.faults.set({ force429Count: 2 });
    expect((await api(h, '/trackings')).status).toBe(429);
    const second = await api(h, '/trackings');
    expect(second.status).toBe(429);
    expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await api(h, '/trackings')).status).toBe(200);
  });

  it('limits faults to chosen endpoints', async () => {
    h.sandbox.faults.set({ errorRate: 1, endpoints: ['GET /couriers'] });
    expect((await api(h, '/couriers')).status).toBe(500);
    expect((await api(h, '/trackings')).status).toBe(200);
  });

  it('drops connections without an answer (also in-process)', async () => {
    h.sandbox.faults.set({ dropCount: 1 });
    await expect(api(h, '/couriers')).rejects.toThrow();
    expect(h.sandbox.requests.all().at(-1)).toMatchObject({ endpoint: 'GET /couriers', status: 0 });
    expect((await api(h, '/couriers')).status).toBe(200);
    h.sandbox.faults.set({ dropRate: 1 });
    await expect(h.sandbox.handle(new Request('http://sandbox/tracking/2026-07/couriers'))).rejects.toThrow(TypeError);
  });

  it('is driven by the control routes', async () => {
    expect((await control('/faults', { method: 'POST', body: JSON.stringify({ force429Count: 1 }) })).status).toBe(200);
    expect((await api(h, '/couriers')).status).toBe(429);
    const bad = await control('/faults', { method: 'POST', body: JSON.stringify({ errorRate: 7 }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('errorRate');
    await control('/faults', { method: 'POST', body: JSON.stringify({ errorRate: 1 }) });
    expect((await api(h, '/couriers')).status).toBe(500);
    await control('/faults', { method: 'DELETE' });
    expect((await api(h, '/couriers')).status).toBe(200);

    const log = await (await control('/requests?endpoint=GET%20/couriers&status=500')).json();
    expect(log.count).toBe(1);
    const info = await (await control('')).json();
    expect(info).toMatchObject({ api_base_path: '/tracking/2026-07', trackings: 3 });
    expect((await control('/nope')).status).toBe(404);
  });
});
