/**
 * GraphiQL from our own origin: a browser GETting the GraphQL endpoint (Accept: text/html) gets the page
 * (which reads ?query= itself), under a strict CSP; its script and stylesheet are served with an ETag
 * (304 when unchanged), compressed (brotli or gzip, as the browser accepts; computed once per asset in
 * zlib's thread pool, never on the event loop), and `/favicon.ico` answers 204 so no console shows a 404.
 * API clients on the same path go on to GraphQL. The bundle is built in graphiql.ts.
 * Its header editor starts with `x-cost-report: 1`, so every result shows its cost report.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import { COST_REPORT_HEADER } from '../observability/index.js';
import { CARRIER_COMPARISON_QUERY, EXAMPLE_QUERY } from './example-query.js';
import { createGraphiQLBundle, GRAPHIQL_ASSET_PREFIX, GRAPHIQL_CSP, type GraphiQLBundle } from './graphiql.js';
import { noneMatchHits } from './use-http-caching.js';

export interface GraphiQLPluginOptions {
  /** @default "/graphql" */
  endpoint?: string;
  /** @default the gateway's title, example query and WebSocket subscriptions */
  bundle?: GraphiQLBundle;
}

type Encoding = 'br' | 'gzip';
const compress: Record<Encoding, (body: string) => Promise<Buffer>> = {
  // Quality 5: within a few % of 11 for this bundle at a fraction of the time.
  br: (body) => promisify(brotliCompress)(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }),
  gzip: (body) => promisify(gzip)(body),
};

/** The same bytes as a Uint8Array (fetch's body type), without copying them. */
// zlib hands back Buffers over a plain ArrayBuffer (never shared memory).
const view = (b: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);

/** The best encoding the client accepts (`q=0` refuses one), brotli first; undefined: identity. */
export function preferredEncoding(acceptEncoding: string | null): Encoding | undefined {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').slice(0, 256).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

export function useGraphiQL(options: GraphiQLPluginOptions = {}): Plugin {
  const endpoint = options.endpoint ?? '/graphql';
  // Rendered once, lazily: the bundle is ~9 MB and many apps (tests, benchmarks) never serve it.
  let bundle = options.bundle;
  // Every result then shows what it cost (extensions.cost); delete the header to leave it out.
  const headers = JSON.stringify({ [COST_REPORT_HEADER]: '1' }, null, 2);
  const graphiql = (): GraphiQLBundle =>
    (bundle ??= createGraphiQLBundle({
      title: 'AfterShip GraphQL gateway',
      defaultQuery: EXAMPLE_QUERY,
      // The example opens first; a carrier comparison (deliveryStats) waits in the second tab.
      defaultTabs: [
        { query: EXAMPLE_QUERY, headers },
        { query: CARRIER_COMPARISON_QUERY, headers },
      ],
      subscriptionsProtocol: 'WS',
      headers,
    }));
  // Each asset's compressed forms, made on first request and kept (the bundle never changes).
  const compressed = new Map<string, Promise<Buffer>>();
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET') return;
      if (url.pathname === '/favicon.ico') {
        return endResponse(new fetchAPI.Response(null, { status: 204, headers: { 'cache-control': 'public, max-age=86400' } }));
      }
      if (url.pathname === endpoint && (request.headers.get('accept') ?? '').includes('text/html')) {
        endResponse(
          new fetchAPI.Response(graphiql().page, { headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': GRAPHIQL_CSP } }),
        );
        return;
      }
      if (!url.pathname.startsWith(GRAPHIQL_ASSET_PREFIX)) return;
      const asset = graphiql().assets.get(url.pathname.slice(GRAPHIQL_ASSET_PREFIX.length));
      if (!asset) return endResponse(fetchAPI.Response.json({ error: 'not found' }, { status: 404 }));
      const encoding = preferredEncoding(request.headers.get('accept-encoding'));
      // One ETag per representation, so a cache never hands gzip bytes to a client that asked for br.
      const etag = encoding ? `${asset.etag.slice(0, -1)}-${encoding}"` : asset.etag;
      const headers: Record<string, string> = { etag, vary: 'accept-encoding', 'cache-control': 'public, max-age=3600' };
      if (noneMatchHits(request.headers.get('if-none-match'), etag)) return endResponse(new fetchAPI.Response(null, { status: 304, headers }));
      if (!encoding) return endResponse(new fetchAPI.Response(asset.body, { headers: { ...headers, 'content-type': asset.contentType } }));
      const key = `${url.pathname}\u0000${encoding}`;
      let body = compressed.get(key);
      if (!body) compressed.set(key, (body = compress[encoding](asset.body)));
      endResponse(new fetchAPI.Response(view(await body), { headers: { ...headers, 'content-type': asset.contentType, 'content-encoding': encoding } }));
    },
  };
}
