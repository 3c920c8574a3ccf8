import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { canonicalHeaders, canonicalQuery, contentMd5, rfc1123, signHmacSha256, signString } from '../src/aftership/signing.js';
import { createAfterShipClient } from '../src/aftership/client.js';
import { AfterShipError } from '../src/aftership/errors.js';
import { createFakeAfterShip } from './helpers/fake-aftership.js';
import { settle } from './helpers/fake-time.js';

const SECRET = 'example-api-secret';
const KEY = 'asat_example_key';
const DATE = 'Mon, 16 Mar 2026 08:30:00 GMT';

describe('AES request signing (REFERENCE §2.2)', () => {
  it('matches the hand-computed GET vector (query sorted, no body)', () => {
    const input = { method: 'GET', path: '/tracking/2026-07/trackings', query: { tag: 'InTransit', limit: 2 }, date: DATE, headers: { 'as-api-key': KEY } };
    expect(signString(input)).toBe(`GET\n\n\n${DATE}\nas-api-key:${KEY}\n/tracking/2026-07/trackings?limit=2&tag=InTransit`);
    expect(signHmacSha256(input, SECRET)).toBe('dh6mJt8ngWYO9JVgjXdDUS/KUQqfDu62tk6Yzn86EiY=');
  });

  it('matches the hand-computed POST vector (uppercase hex MD5, content type)', () => {
    const body = '{"tracking_number":"906587618687"}';
    expect(contentMd5(body)).toBe('92A9044C9C34850E1D5F7D08F021E998');
    const input = { method: 'POST', path: '/tracking/2026-07/couriers/detect', body, date: DATE, headers: { 'as-api-key': KEY } };
    expect(signString(input)).toBe(`POST\n92A9044C9C34850E1D5F7D08F021E998\napplication/json\n${DATE}\nas-api-key:${KEY}\n/tracking/2026-07/couriers/detect`);
    expect(signHmacSha256(input, SECRET)).toBe('wpVc/VZuUU1mjPxYD39UVCtbBAnA/RpleXtGAF5vxso=');
  });

  it('canonicalizes headers and query like the SDK', () => {
    expect(canonicalHeaders({ 'AS-Z': ' z ', 'as-api-key': 'k', 'content-type': 'x', date: 'd' })).toBe('as-api-key:k\nas-z:z');
    expect(canonicalQuery({ b: ' x y ', a: 'c,d', n: null, u: undefined, plus: '2026-01-01T00:00:00+08:00' })).toBe(
      'a=c%2Cd&b=x%20y&plus=2026-01-01T00%3A00%3A00%2B08%3A00',
    );
    expect(rfc1123(Date.UTC(1994, 10, 6, 8, 49, 37))).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });
});

describe('client authentication', () => {
  it('signs real requests so that an upstream verifying the signature accepts them (GET with query, POST with body)', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 16, 8, 30));
    const fake = createFakeAfterShip({ clock, apiKey: KEY, apiSecret: SECRET });
    const client = createAfterShipClient({ baseUrl: 'http://aftership.test', auth: { kind: 'api-key', apiKey: KEY, apiSecret: SECRET }, fetch: fake.fetch, clock });
    const created = await settle(clock, client.createTracking({ tracking_number: 'AB123456', slug: 'dhl' }));
    expect(created.ok).toBe(true);
    const list = await settle(clock, client.listTrackings({ tracking_numbers: 'AB123456', limit: 10 }));
    expect(list.ok && list.value.trackings.map((t) => t.tracking_number)).toEqual(['AB123456']);
    const req = fake.requests[1];
    expect(req.headers.get('date')).toBe(DATE);
    expect(req.headers.get('as-signature-hmac-sha256')).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(req.query.toString()).toBe('limit=10&tracking_numbers=AB123456');
  });

  it('a wrong secret is refused (401 → UPSTREAM_UNAUTHENTICATED) and neither key nor secret leak into errors or logs', async () => {
    const clock = new ManualClock();
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void lines.push(l) } });
    const fake = createFakeAfterShip({ clock, apiKey: KEY, apiSecret: SECRET });
    const client = createAfterShipClient({ baseUrl: 'http://aftership.test', auth: { kind: 'api-key', apiKey: KEY, apiSecret: 'wrong-secret-value' }, fetch: fake.fetch, clock, logger });
    const r = await settle(clock, client.getTracking('t1'));
    expect(r.ok).toBe(false);
    const e = (r as { error: AfterShipError }).error;
    expect(e).toBeInstanceOf(AfterShipError);
    expect(e.code).toBe('UPSTREAM_UNAUTHENTICATED');
    expect(e.httpStatus).toBe(401);
    expect(e.endpoint).toBe('GET /trackings/:id');
    const everything = JSON.stringify({ message: e.message, stack: e.stack, lines, stats: client.stats() });
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain('wrong-secret-value');
  });

  it('bearer: sends Authorization: Bearer, and on a 401 refreshes once and re-sends the same request', async () => {
    const clock = new ManualClock();
    const fake = createFakeAfterShip({ clock, bearerTokens: ['fresh-token'] });
    let token = 'expired-token';
    let refreshes = 0;
    const client = createAfterShipClient({
      baseUrl: 'http://aftership.test',
      fetch: fake.fetch,
      clock,
      auth: {
        kind: 'bearer',
        getAccessToken: async () => token,
        onUnauthorized: async () => {
          refreshes++;
          token = 'fresh-token';
        },
      },
    });
    const r = await settle(clock, client.createTracking({ tracking_number: 'BEARER01', slug: 'ups' }));
    expect(r.ok).toBe(true);
    expect(refreshes).toBe(1);
    expect(fake.requests.map((q) => [q.headers.get('authorization'), q.status])).toEqual([
      ['Bearer expired-token', 401],
      ['Bearer fresh-token', 201],
    ]);
    expect(fake.requests[1].body).toBe(fake.requests[0].body);
    expect(fake.trackings.size).toBe(1);

    // A token that stays bad: refreshed once, then the 401 surfaces.
    fake.faults.unauthorized = 5;
    const bad = await settle(clock, client.getTracking('t1'));
    expect(bad.ok).toBe(false);
    expect((bad as { error: AfterShipError }).error.code).toBe('UPSTREAM_UNAUTHENTICATED');
    expect(refreshes).toBe(2);
  });

  it('bearer: a token provider that cannot refresh (token endpoint down) fails the call as UPSTREAM_UNAVAILABLE, not as refused credentials', async () => {
    const clock = new ManualClock();
    const fake = createFakeAfterShip({ clock, bearerTokens: ['fresh-token'] });
    const client = createAfterShipClient({
      baseUrl: 'http://aftership.test',
      fetch: fake.fetch,
      clock,
      auth: {
        kind: 'bearer',
        getAccessToken: async () => {
          throw new AfterShipError({ code: 'UPSTREAM_UNAVAILABLE', message: 'Could not refresh the AfterShip OAuth token of account shop: token endpoint timed out' });
        },
      },
    });
    const r = await settle(clock, client.getTracking('t1'));
    expect(r.ok).toBe(false);
    const e = (r as { error: AfterShipError }).error;
    expect(e.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(e.message).toMatch(/token endpoint timed out/);
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects bad configuration with clear errors', () => {
    expect(() => createAfterShipClient({ baseUrl: 'api.aftership.com', auth: { kind: 'api-key', apiKey: 'k' } })).toThrow(/baseUrl must be an http/);
    expect(() => createAfterShipClient({ baseUrl: 'http://x', auth: { kind: 'api-key', apiKey: 'k' }, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
