/**
 * Per-endpoint rate limits in 1-second windows (ManualClock: every burst is inside one window),
 * X-RateLimit-* headers on every answer, the optional account-wide minute cap, and the request
 * log that lets gateway tests count what reached "AfterShip".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENDPOINT_KEYS, ENDPOINT_LIMITS_PER_SECOND, type EndpointKey } from '../src/aftership/endpoints.js';
import { api, startSandbox, type Harness } from './helpers/sandbox-harness.js';

let h: Harness;
afterEach(() => h.close());

function call(endpoint: EndpointKey, id: string): Promise<Response> {
  const [method, shape] = endpoint.split(' ');
  const path = shape.replace(':id', id);
  return api(h, path, { method, body: method === 'GET' || method === 'DELETE' ? undefined : '{}' });
}

describe('per-endpoint limits', () => {
  beforeEach(async () => {
    h = await startSandbox({ seed: 5 });
  });

  it('answers 429 TooManyRequests past each endpoint\'s per-second limit, with the headers', async () => {
    const id = h.sandbox.store.list()[0].id!;
    const resetAt = Math.floor(h.clock.now() / 1000) + 1;
    for (const endpoint of ENDPOINT_KEYS) {
      const limit = ENDPOINT_LIMITS_PER_SECOND[endpoint];
      for (let i = 0; i < limit; i++) {
        const res = await call(endpoint, id);
        expect(res.status, `${endpoint} #${i + 1}`).not.toBe(429);
        expect(res.headers.get('x-ratelimit-limit')).toBe(String(limit));
        expect(res.headers.get('x-ratelimit-remaining')).toBe(String(limit - i - 1));
        expect(res.headers.get('x-ratelimit-reset')).toBe(String(resetAt));
      }
      const over = await call(endpoint, id);
      expect(over.status, endpoint).toBe(429);
      expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(over.headers.get('x-ratelimit-reset')).toBe(String(resetAt));
      expect(await over.json()).toMatchObject({ meta: { code: 429, type: 'TooManyRequests' }, data: {} });
    }
    expect(h.sandbox.requests.count({ status: 429 })).toBe(ENDPOINT_KEYS.length);
    expect(h.sandbox.requests.count({ endpoint: 'POST /trackings' })).toBe(21);
    expect(h.sandbox.requests.maxInWindow({ endpoint: 'POST /trackings' })).toBe(20);
    expect(h.sandbox.requests.maxInWindow({ endpoint: 'POST /trackings', include429: true })).toBe(21);

    h.clock.advance(1000);
    const next = await call('GET /trackings', id);
    expect(next.status).toBe(200);
    expect(next.headers.get('x-ratelimit-remaining')).toBe('5');
    expect(next.headers.get('x-ratelimit-reset')).toBe(String(resetAt + 1));
  });

  it('counts windows per endpoint: one endpoint at its limit does not block another', async () => {
    for (let i = 0; i < 3; i++) await api(h, '/couriers/detect', { method: 'POST', body: '{"tracking_number":"906587618687"}' });
    expect((await api(h, '/couriers/detect', { method: 'POST', body: '{"tracking_number":"906587618687"}' })).status).toBe(429);
    expect((await api(h, '/couriers')).status).toBe(200);
  });

  it('does not spend the window on a wrong API key', async () => {
    for (let i = 0; i < 10; i++) expect((await api(h, '/couriers', { headers: { 'as-api-key': 'nope' } })).status).toBe(401);
    expect((await api(h, '/couriers')).status).toBe(200);
  });
});

describe('options', () => {
  it('takes overridden limits and an account-wide cap over any rolling minute', async () => {
    h = await startSandbox({ seed: 0, rateLimits: { 'GET /couriers': 2 }, accountLimitPerMinute: 4 });
    expect((await api(h, '/couriers')).headers.get('x-ratelimit-limit')).toBe('2');
    expect((await api(h, '/couriers')).status).toBe(200);
    expect((await api(h, '/couriers')).status).toBe(429);
    h.clock.advance(20_000);
    expect((await api(h, '/trackings')).status).toBe(200);
    expect((await api(h, '/courier-connections')).status).toBe(200);
    expect((await api(h, '/trackings')).status).toBe(429); // 4 in the last minute
    h.clock.advance(40_001);
    expect((await api(h, '/trackings')).status).toBe(200);
  });

  it('can switch enforcement off', async () => {
    h = await startSandbox({ seed: 0, enforceRateLimits: false });
    for (let i = 0; i < 12; i++) expect((await api(h, '/couriers')).status).toBe(200);
    expect(h.sandbox.requests.count({ status: 429 })).toBe(0);
  });
});
