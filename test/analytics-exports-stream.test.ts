/**
 * The export routes as a yoga plugin over a real socket, with sources made here: rows parse as
 * NDJSON and CSV (one per matching tracking), the filter is the query string, scopes and limits are
 * enforced, and a reader that stops reading stops the scan (back-pressure), a reader that leaves ends it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import { compileFilter, type AnalyticsSource, type Coverage } from '../src/analytics/index.js';
import { CSV_COLUMNS } from '../src/analytics/export-rows.js';
import type { Viewer } from '../src/auth/viewer.js';
import { useExports } from '../src/http/use-exports.js';
import { createSandbox } from '../src/sandbox/index.js';
import { schema } from '../src/schema/index.js';
import { maskError } from '../src/schema/error-mapping.js';

const COVERAGE: Coverage = { complete: false, trackings: 300, from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', asOf: '2026-03-01T00:00:01.000Z' };
const trackings = createSandbox({ apiKey: 'k', seed: 300, randomSeed: 3, newShipmentsPerHour: 0 }).store.list();

/** A source over a fixed list, or an endless one (ids `endless-<n>`) that counts what it made. */
function listSource(list: Tracking[]): AnalyticsSource {
  return {
    coverage: () => COVERAGE,
    async *scan() {
      yield* list;
    },
  };
}
const endless = { made: 0, finished: false };
const endlessSource: AnalyticsSource = {
  coverage: () => COVERAGE,
  async *scan({ signal } = {}) {
    try {
      for (let n = 0; !signal?.aborted; n++) {
        endless.made++;
        yield { ...trackings[n % trackings.length], id: `endless-${n}` };
      }
    } finally {
      endless.finished = true;
    }
  },
};

/** Viewers by bearer token (stands in for access control, which runs before the plugin). */
const VIEWERS: Record<string, Viewer> = {
  reader: { name: 'reader', accountId: 'list', kind: 'api-token', scopes: new Set(['aftership:tracking:read']) },
  other: { name: 'other', accountId: 'list', kind: 'api-token', scopes: new Set(['aftership:tracking:read']) },
  endless: { name: 'endless', accountId: 'endless', kind: 'api-token', scopes: new Set(['aftership:tracking:read']) },
  courierOnly: { name: 'courier-only', accountId: 'list', kind: 'api-token', scopes: new Set(['aftership:courier:read']) },
};
const fakeAccessControl: Plugin<{}, { viewer?: Viewer }> = {
  onRequest({ request, serverContext }) {
    serverContext.viewer = VIEWERS[(request.headers.get('authorization') ?? '').replace(/^Bearer /, '')];
  },
};

let server: Server;
let base: string;
beforeAll(async () => {
  const yoga = createYoga({
    schema,
    logging: false,
    maskedErrors: { maskError },
    plugins: [fakeAccessControl, useExports({ replicaOf: (id) => (id === 'list' ? listSource(trackings) : id === 'endless' ? endlessSource : undefined), maxPerClient: 1 })],
  });
  server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = (path: string, token = 'reader') => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

/** RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      (row = []), (cell = ''), i++;
    } else cell += c;
  }
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('GET /exports/trackings.{ndjson,csv}', () => {
  it('NDJSON: one AfterShip tracking per line, checkpoints only when asked, the coverage in a header', async () => {
    const res = await get('/exports/trackings.ndjson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('x-coverage')).toBe('complete=?0, trackings=300, from="2026-01-01T00:00:00.000Z", to="2026-03-01T00:00:00.000Z", as-of="2026-03-01T00:00:01.000Z"');
    const lines = (await res.text()).split('\n');
    expect(lines.pop()).toBe('');
    const rows = lines.map((l) => JSON.parse(l) as Tracking);
    expect(rows.map((r) => r.id)).toEqual(trackings.map((t) => t.id));
    expect(rows.every((r) => r.checkpoints === undefined)).toBe(true);
    expect(rows[5]).toEqual({ ...trackings[5], checkpoints: undefined });

    const full = (await (await get('/exports/trackings.ndjson?checkpoints=true')).text()).trim().split('\n').map((l) => JSON.parse(l) as Tracking);
    expect(full).toEqual(trackings);
  });

  it('CSV: a header, then one row per tracking, cells escaped (quotes, commas, line breaks, formulas)', async () => {
    const res = await get('/exports/trackings.csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await res.text());
    expect(header).toEqual(CSV_COLUMNS);
    expect(rows).toHaveLength(trackings.length);
    const col = (name: string) => header.indexOf(name);
    expect(rows.map((r) => r[col('id')])).toEqual(trackings.map((t) => t.id));
    expect(rows.map((r) => r[col('tag')])).toEqual(trackings.map((t) => t.tag));
    for (const r of rows) expect(r).toHaveLength(header.length);

    const odd = { ...trackings[0], id: 'odd', title: 'say "hi", then\r\nleave', order_id: '=HYPERLINK("http://evil")' };
    const yoga = createYoga({ schema, logging: false, maskedErrors: { maskError }, plugins: [{ onRequest: ({ serverContext }) => void ((serverContext as { viewer?: Viewer }).viewer = VIEWERS.reader) }, useExports({ replicaOf: () => listSource([odd]) })] });
    const [, row] = parseCsv(await (await yoga.fetch('http://x/exports/trackings.csv')).text());
    expect(row[col('title')]).toBe('say "hi", then\r\nleave');
    expect(row[col('order_id')]).toBe(`'=HYPERLINK("http://evil")`);
  });

  it('the query string is the deliveryStats filter', async () => {
    const query = 'slugs=ups,fedex&slugs=usps&tags=DELIVERED,EXCEPTION&createdAtFrom=2026-01-01T00:00:00Z&shipmentDirection=FORWARD';
    const ids = (await (await get(`/exports/trackings.ndjson?${query}`)).text()).trim().split('\n').map((l) => (JSON.parse(l) as Tracking).id);
    const keep = compileFilter({ slugs: ['ups', 'fedex', 'usps'], tags: ['Delivered', 'Exception'], createdAt: { from: Date.parse('2026-01-01T00:00:00Z') }, shipmentDirection: 'forward' });
    const expected = trackings.filter(keep).map((t) => t.id);
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThan(trackings.length);
    expect(ids).toEqual(expected);
  });

  it('refuses before streaming: bad parameters 400, missing scope 403, other methods 405', async () => {
    for (const [query, field] of [
      ['tags=ON_THE_MOON', 'tags'],
      ['destinationCountryRegions=usa', 'destinationCountryRegions'],
      ['createdAtFrom=yesterday', 'createdAtFrom'],
      ['slug=ups', 'slug'],
      [`slugs=${Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')}`, 'slugs'],
      ['shipmentDirection=SIDEWAYS', 'shipmentDirection'],
    ]) {
      const res = await get(`/exports/trackings.csv?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    const forbidden = await get('/exports/trackings.csv', 'courierOnly');
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect((await fetch(`${base}/exports/trackings.csv`, { method: 'POST', headers: { authorization: 'Bearer reader' } })).status).toBe(405);
  });

  it('back-pressure: a reader that stops reading stops the scan; one that leaves ends it and frees its slot', async () => {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(`${base}/exports/trackings.ndjson?checkpoints=true`, { headers: { authorization: 'Bearer endless' } }, resolve);
      req.on('error', reject);
      req.end();
    });
    expect(res.statusCode).toBe(200);
    // Read a little, then stop reading.
    let received = 0;
    await new Promise<void>((resolve) => {
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > 1_000_000) {
          res.pause();
          resolve();
        }
      });
    });
    // Wait until the producer stalls: the socket buffers fill, then nothing more is made.
    let last = -1;
    while (endless.made !== last) {
      last = endless.made;
      await new Promise((r) => setTimeout(r, 300));
    }
    // An unbounded producer would be in the hundreds of thousands by now; the stall is at what the
    // socket buffers hold (a few MB of ~5 KB rows) plus one slice.
    expect(endless.made).toBeLessThan(5_000);
    expect(endless.finished).toBe(false);
    // Only one export at a time for this client.
    expect((await get('/exports/trackings.ndjson', 'endless')).status).toBe(429);
    res.destroy();
    await expect.poll(() => endless.finished, { timeout: 10_000 }).toBe(true);
    const again = await get('/exports/trackings.ndjson', 'endless');
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });
});
