/**
 * The HTTP surface of the real gateway, route by route (each a yoga plugin, src/http/README.md):
 * liveness, readiness, request ids, webhooks by account and size, GraphiQL assets with ETags, unknown
 * paths, and the plain 500 a failing route answers without leaking its stack.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/lib/logger.js';
import { serveAfterShipWebhooks } from '../src/http/webhook-route.js';
import { startGateway, TEST_WEBHOOK_SECRET, type TestGateway } from './helpers/gateway.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HTTP routes of the gateway', () => {
  let gw: TestGateway;
  const logged: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void logged.push(JSON.parse(l)) } });
    gw = await startGateway({ sandbox: { seed: 2 }, env: { WEBHOOK_MAX_BYTES: '2048', CORS_ORIGINS: 'https://shop.example.com' }, deps: { logger } });
  });
  afterAll(() => gw?.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('/healthz answers 200 while the process is up', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });

  it('/readyz answers 200 with what it checked (test/operations-readiness.test.ts has the rest)', async () => {
    const res = await fetch(`${gw.url}/readyz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ ready: true, draining: false, aftership: { account: 'default', status: expect.any(String) } });
  });

  it('echoes a well-formed x-request-id, replaces a malformed one, and logs the request with it', async () => {
    const given = await post('/graphql', JSON.stringify({ query: '{ __typename }' }), { 'x-request-id': 'req-42.abc:1' });
    expect(given.headers.get('x-request-id')).toBe('req-42.abc:1');
    expect(logged.some((l) => l.msg === 'GraphQL request' && l.requestId === 'req-42.abc:1')).toBe(true);

    for (const bad of ['has spaces in it', 'x'.repeat(129), 'semi;colon', '']) {
      const res = await post('/graphql', JSON.stringify({ query: '{ __typename }' }), { 'x-request-id': bad });
      expect(res.headers.get('x-request-id')).toMatch(UUID);
    }
    const generated = await fetch(`${gw.url}/healthz`);
    expect(generated.headers.get('x-request-id')).toMatch(UUID);
  });

  it('lets cross-origin pages read the request id', async () => {
    const res = await post('/graphql', JSON.stringify({ query: '{ __typename }' }), { origin: 'https://shop.example.com' });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('x-request-id');
  });

  it('answers a webhook for an unknown account 404, and a path below one as not found', async () => {
    const res = await post('/webhooks/aftership/nobody', '{}');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'UNKNOWN_ACCOUNT' } });
    expect((await post('/webhooks/aftership/default/extra', '{}')).status).toBe(404);
  });

  it('refuses webhook bodies over WEBHOOK_MAX_BYTES with 413, declared or streamed', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(4096) });
    const declared = await post('/webhooks/aftership', big, { 'aftership-hmac-sha256': 'x' });
    expect(declared.status).toBe(413);

    const { hostname, port } = new URL(gw.url);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ hostname, port, path: '/webhooks/aftership', method: 'POST', headers: { 'aftership-hmac-sha256': 'x' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write('x'.repeat(1024)); // chunked: no Content-Length
      req.end();
    });
    expect(streamed).toBe(413);
  });

  it('still takes a signed webhook for the default account at both its paths', async () => {
    for (const path of ['/webhooks/aftership', '/webhooks/aftership/default']) {
      // Unsigned: the receiver (not the router) refuses it, so the route reached the default account.
      const res = await post(path, '{}', { 'aftership-hmac-sha256': 'not-the-signature' });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    }
    expect(TEST_WEBHOOK_SECRET).toBeTruthy();
  });

  it('serves GraphiQL to browsers, its assets with an ETag and 304, and GraphQL to API clients', async () => {
    const page = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const script = /src="(\/graphiql\/app\.js)\?v=[^"]+"/.exec(html)?.[1];
    expect(script).toBeDefined();

    const asset = await fetch(`${gw.url}${script}`);
    expect(asset.status).toBe(200);
    const etag = asset.headers.get('etag');
    expect(etag).toBeTruthy();
    // GraphiQL asks for the cost report by default (its header editor starts with x-cost-report: 1).
    expect(await asset.text()).toContain('\\"x-cost-report\\": \\"1\\"');
    expect((await fetch(`${gw.url}${script}`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    expect((await fetch(`${gw.url}/graphiql/nothing.js`)).status).toBe(404);

    const api = await fetch(`${gw.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json' } });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('compresses GraphiQL assets as the browser accepts (one ETag per encoding) and answers /favicon.ico without credentials', async () => {
    const html = await (await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    const script = /src="(\/graphiql\/app\.js)\?v=[^"]+"/.exec(html)![1];
    // node:http, not fetch: fetch would decompress (and ask for gzip) on its own.
    const get = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; headers: import('node:http').IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const req = httpRequest(`${gw.url}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });
    const identity = await get(script, {});
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    const br = await get(script, { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await get(script, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
    expect(gunzipSync(gz.body).equals(identity.body)).toBe(true);
    expect(br.body.length).toBeLessThan(identity.body.length / 3);
    for (const r of [identity, br, gz]) expect(r.headers.vary).toBe('accept-encoding');
    const etags = new Set([identity, br, gz].map((r) => r.headers.etag));
    expect(etags.size).toBe(3);
    expect((await get(script, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag! })).status).toBe(304);
    // Another encoding's ETag is not this representation's.
    expect((await get(script, { 'accept-encoding': 'br', 'if-none-match': gz.headers.etag! })).status).toBe(200);

    const favicon = await fetch(`${gw.url}/favicon.ico`);
    expect(favicon.status).toBe(204);
  });

  it('answers an unknown path 404', async () => {
    expect((await fetch(`${gw.url}/nowhere`)).status).toBe(404);
  });
});

describe('a route that throws', () => {
  it('answers a plain 500 and logs the error, without sending its stack to the client', async () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (l: string) => void lines.push(l) } });
    const receiver = async (): Promise<never> => {
      throw new Error('receiver exploded at a secret place');
    };
    const server = createServer(serveAfterShipWebhooks(receiver, { logger })((_req, res) => void res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/aftership`, { method: 'POST', body: '{}', headers: { 'x-request-id': 'req-throws-1' } });
      expect(res.status).toBe(500);
      expect(res.headers.get('x-request-id')).toBe('req-throws-1');
      expect(await res.text()).not.toContain('secret place');
      expect(lines.join('\n')).toContain('receiver exploded at a secret place');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
