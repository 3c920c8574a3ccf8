/**
 * GraphiQL from our own origin: a browser GETting the GraphQL endpoint (Accept: text/html) gets the page
 * (which reads ?query= itself), under a strict CSP; its script and stylesheet are served with an ETag
 * (304 when unchanged). API clients on the same path go on to GraphQL. The bundle is built in graphiql.ts.
 * Its header editor starts with `x-cost-report: 1`, so every result shows its cost report.
 */
import type { Plugin } from 'graphql-yoga';
import { COST_REPORT_HEADER } from '../observability/index.js';
import { CARRIER_COMPARISON_QUERY, EXAMPLE_QUERY } from './example-query.js';
import { createGraphiQLBundle, GRAPHIQL_ASSET_PREFIX, GRAPHIQL_CSP, type GraphiQLBundle } from './graphiql.js';

export interface GraphiQLPluginOptions {
  /** @default "/graphql" */
  endpoint?: string;
  /** @default the gateway's title, example query and WebSocket subscriptions */
  bundle?: GraphiQLBundle;
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
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET') return;
      if (url.pathname === endpoint && (request.headers.get('accept') ?? '').includes('text/html')) {
        endResponse(
          new fetchAPI.Response(graphiql().page, { headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': GRAPHIQL_CSP } }),
        );
        return;
      }
      if (!url.pathname.startsWith(GRAPHIQL_ASSET_PREFIX)) return;
      const asset = graphiql().assets.get(url.pathname.slice(GRAPHIQL_ASSET_PREFIX.length));
      if (!asset) return endResponse(fetchAPI.Response.json({ error: 'not found' }, { status: 404 }));
      if (request.headers.get('if-none-match') === asset.etag) return endResponse(new fetchAPI.Response(null, { status: 304 }));
      endResponse(
        new fetchAPI.Response(asset.body, { headers: { 'content-type': asset.contentType, etag: asset.etag, 'cache-control': 'public, max-age=3600' } }),
      );
    },
  };
}
