/**
 * The example tracking page's pure parts (examples/tracking-page/src), without a browser: times stay in
 * the scan's local time, data never becomes a dangerous link, problems read as sentences, and the
 * live connection backs off; and the gateway's route for it. test/example-page-browser.test.ts runs the page itself.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PAGE_CSP, useExamplePage } from '../src/http/use-example-page.js';
import { schema } from '../src/schema/index.js';
import { maskError } from '../src/schema/error-mapping.js';
import { startGateway } from './helpers/gateway.js';
import { retryDelayMs, RETRY_ATTEMPTS } from '../examples/tracking-page/src/gateway.js';
import { deliveryEstimate, parseLocal, safeWebUrl, sentenceFor, statusOf, telHref } from '../examples/tracking-page/src/present.js';

describe('the tracking page, in words', () => {
  it("keeps a checkpoint's time as the courier gave it (the local time of the scan), with a valid datetime", () => {
    const t = parseLocal('2026-03-02T16:03:27-05:00')!;
    expect(t.machine).toBe('2026-03-02T16:03:27-05:00');
    // Not moved to UTC or to the reader's zone: 16:03 where the scan happened.
    expect(t.wall.toISOString()).toBe('2026-03-02T16:03:27.000Z');
    expect(t.offset).toBe('-05:00');
    expect(parseLocal('2026-03-02 08:15:00')).toMatchObject({ machine: '2026-03-02T08:15:00', hasTime: true, offset: undefined });
    expect(parseLocal('20260302')).toMatchObject({ machine: '2026-03-02', hasTime: false });
    expect(parseLocal('2026-03-02T16:03:27+0530')?.machine).toBe('2026-03-02T16:03:27+05:30');
    for (const bad of [null, '', 'yesterday', '2026-13-45T99:99:99', '<script>']) {
      const parsed = parseLocal(bad);
      expect(parsed === undefined || !Number.isNaN(parsed.wall.getTime())).toBe(true);
    }
    expect(parseLocal('<script>')).toBeUndefined();
  });

  it('says what it knows of the delivery estimate', () => {
    expect(deliveryEstimate(null)).toBeUndefined();
    expect(deliveryEstimate({ datetime: null, datetimeMin: null, datetimeMax: null })).toBeUndefined();
    expect(deliveryEstimate({ datetime: '2026-03-05', datetimeMin: null, datetimeMax: null })).toMatch(/^Expected \S/);
    expect(deliveryEstimate({ datetime: null, datetimeMin: '2026-03-05', datetimeMax: '2026-03-07' })).toMatch(/^Expected between .+ and .+/);
  });

  it('links only to http(s) and dialable numbers', () => {
    expect(safeWebUrl('https://www.ups.com')).toBe('https://www.ups.com/');
    expect(safeWebUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeWebUrl('data:text/html,<script>alert(1)</script>')).toBeUndefined();
    expect(safeWebUrl('not a url')).toBeUndefined();
    expect(telHref('+1 (800) 742-5877')).toBe('tel:+18007425877');
    expect(telHref('1-800-PICK-UPS')).toBe('tel:1800PICKUPS');
    expect(telHref('call us')).toBeUndefined();
  });

  it('puts every problem into a sentence, rate limits with their wait', () => {
    const lookup = { trackingNumber: '1Z999', slug: 'ups' };
    expect(sentenceFor({ kind: 'not-found' }, lookup)).toBe('We could not find tracking number 1Z999 with the courier "ups". Check both, or leave the courier empty.');
    expect(sentenceFor({ kind: 'not-found' }, { trackingNumber: '1Z999' })).toMatch(/^We could not find tracking number 1Z999\./);
    expect(sentenceFor({ kind: 'courier-not-detected' }, lookup)).toMatch(/could not tell which courier carries 1Z999/);
    expect(sentenceFor({ kind: 'rate-limited', retryAfterSeconds: 7 }, lookup)).toBe('There are too many lookups right now. Please try again in 7 s.');
    expect(sentenceFor({ kind: 'rate-limited', retryAfterSeconds: 7 }, lookup, 3)).toBe('There are too many lookups right now. Please try again in 3 s.');
    expect(sentenceFor({ kind: 'rate-limited', retryAfterSeconds: 7 }, lookup, 0)).toBe('You can try again now.');
    expect(sentenceFor({ kind: 'rate-limited', retryAfterSeconds: null }, lookup)).toBe('There are too many lookups right now. Please try again in a moment.');
    expect(sentenceFor({ kind: 'network' }, lookup)).toMatch(/cannot reach the tracking service/);
    for (const kind of ['refused', 'unavailable'] as const) expect(sentenceFor({ kind }, lookup)).toMatch(/^[A-Z].*\.$/);
    expect(statusOf('OUT_FOR_DELIVERY')).toBe('Out for delivery');
    expect(statusOf(null)).toBe('Status unknown');
  });

  it('backs off between reconnection attempts: 0.5 s doubling, at most 8 s, with jitter', () => {
    expect(retryDelayMs(0, () => 0.5)).toBe(500);
    expect(retryDelayMs(3, () => 0.5)).toBe(4_000);
    expect(retryDelayMs(10, () => 0.5)).toBe(8_000);
    expect(retryDelayMs(10, () => 0)).toBe(6_000);
    expect(retryDelayMs(10, () => 1)).toBe(10_000);
    const total = Array.from({ length: RETRY_ATTEMPTS }, (_, i) => retryDelayMs(i, () => 0.5)).reduce((a, b) => a + b, 0);
    expect(total / 60_000).toBeGreaterThan(2);
  });
});

describe("the gateway's /examples/tracking/ route", () => {
  it('serves the three built files, says how to build them when missing, and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'asgw-example-page-'));
    try {
      const yoga = createYoga({ schema, logging: false, maskedErrors: { maskError }, plugins: [useExamplePage({ dir })] });
      const get = (path: string, method = 'GET') => yoga.fetch(`http://gateway.test${path}`, { method });
      const missing = await get('/examples/tracking/');
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('npm run example:build');

      await writeFile(join(dir, 'index.html'), '<!doctype html><title>page</title>');
      await writeFile(join(dir, 'app.js'), 'console.log(1)');
      await writeFile(join(dir, 'secret.txt'), 'not served');
      const page = await get('/examples/tracking/');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(EXAMPLE_PAGE_CSP);
      expect(await page.text()).toBe('<!doctype html><title>page</title>');
      expect((await get('/examples/tracking/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await get('/examples/tracking/style.css')).status).toBe(404);
      for (const path of ['/examples/tracking/secret.txt', '/examples/tracking/%2e%2e/%2e%2e/package.json', '/examples/tracking/constructor']) {
        expect((await get(path)).status, path).toBe(404);
      }
      expect((await get('/examples/tracking/', 'POST')).status).toBe(405);
      const bare = await get('/examples/tracking?number=1Z');
      expect(bare.status).toBe(308);
      expect(bare.headers.get('location')).toBe('/examples/tracking/?number=1Z');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is not mounted with a real AfterShip account: a real deployment serves its own page', async () => {
    const gw = await startGateway({ env: { GATEWAY_AUTH: 'none' } });
    try {
      const res = await fetch(`${gw.url}/examples/tracking/`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toBeNull();
    } finally {
      await gw.close();
    }
  });
});
