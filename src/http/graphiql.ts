/**
 * GraphiQL served entirely by the gateway: no CDN, so it works offline, behind firewalls and
 * under a strict Content-Security-Policy. `@graphql-yoga/render-graphiql` bundles GraphiQL as one
 * ~9 MB HTML page with inline <style> and <script>; we split it once into a small HTML page plus a
 * stylesheet and a script served from our own origin, so the page needs no 'unsafe-inline' script.
 */
import { createHash } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/';

/** The CSP the GraphiQL page is served with (and works under). Workers are started from blob: URLs. */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface GraphiQLAsset {
  body: string;
  contentType: string;
  etag: string;
}

export interface GraphiQLBundle {
  /** The HTML page for GET /graphql from a browser. */
  page: string;
  /** Assets by path under GRAPHIQL_ASSET_PREFIX. */
  assets: Map<string, GraphiQLAsset>;
}

function between(text: string, open: string, close: string, from = 0, last = false): [string, number, number] {
  const start = text.indexOf(open, from);
  const end = last ? text.lastIndexOf(close) : text.indexOf(close, start + open.length);
  if (start < 0 || end < 0 || end < start) {
    throw new Error(`GraphiQL bundle has an unexpected shape (looked for ${open}...${close})`);
  }
  return [text.slice(start + open.length, end), start, end + close.length];
}

function asset(body: string, contentType: string): GraphiQLAsset {
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  return { body, contentType, etag };
}

/** Renders GraphiQL once with these options and splits it into a page and same-origin assets. */
export function createGraphiQLBundle(options: GraphiQLOptions): GraphiQLBundle {
  const html = renderGraphiQL(options);
  const [css] = between(html, '<style>', '</style>');
  const rootAt = html.indexOf('<div id="root">');
  const [js] = between(html, '<script>', '</script>', rootAt, true);
  const cssAsset = asset(css, 'text/css; charset=utf-8');
  const jsAsset = asset(js, 'text/javascript; charset=utf-8');
  const title = (options.title ?? 'GraphiQL').replace(/[<>&"]/g, '');
  const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="stylesheet" href="${GRAPHIQL_ASSET_PREFIX}app.css?v=${cssAsset.etag.slice(1, 9)}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script src="${GRAPHIQL_ASSET_PREFIX}app.js?v=${jsAsset.etag.slice(1, 9)}"></script>
  </body>
</html>
`;
  return {
    page,
    assets: new Map([
      ['app.css', cssAsset],
      ['app.js', jsAsset],
    ]),
  };
}
