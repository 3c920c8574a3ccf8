/**
 * The example tracking page (examples/tracking-page), served from its built files at
 * `/examples/tracking/` so a demo needs no second server and no CORS. app.ts mounts it only when no
 * real AfterShip account is configured (the embedded sandbox, or a standalone sandbox's key): a real
 * deployment serves its own storefront. Three fixed files, read on each request (a rebuild shows on
 * reload); before access control, since a page is public (its API calls carry the page's token).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plugin } from 'graphql-yoga';

export const EXAMPLE_PAGE_PATH = '/examples/tracking';

/** What the page may load: its own script and stylesheet, and its API on the same origin. */
export const EXAMPLE_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

const NOT_BUILT =
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Example page not built</title>' +
  '<main><h1>The example tracking page is not built yet</h1><p>Run <code>npm run example:build</code> in the gateway\'s folder, then reload this page.</p></main></html>';

export interface ExamplePageOptions {
  /** The build's output folder (examples/tracking-page/dist). */
  dir: string;
}

export function useExamplePage(options: ExamplePageOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== EXAMPLE_PAGE_PATH && !url.pathname.startsWith(`${EXAMPLE_PAGE_PATH}/`)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
      }
      // The page links its files relatively: it must be served from the folder's URL.
      if (url.pathname === EXAMPLE_PAGE_PATH) {
        return endResponse(new fetchAPI.Response(null, { status: 308, headers: { location: `${EXAMPLE_PAGE_PATH}/${url.search}` } }));
      }
      const name = url.pathname.slice(EXAMPLE_PAGE_PATH.length + 1) || 'index.html';
      const type = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
      if (!type) return endResponse(new fetchAPI.Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
      const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
      if (name === 'index.html') headers['content-security-policy'] = EXAMPLE_PAGE_CSP;
      let body: Buffer;
      try {
        body = await readFile(join(options.dir, name));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        const page = name === 'index.html';
        return endResponse(new fetchAPI.Response(page ? NOT_BUILT : 'Not built: run npm run example:build\n', {
          status: 404,
          headers: { 'content-type': page ? FILES['index.html'] : 'text/plain; charset=utf-8', 'content-security-policy': EXAMPLE_PAGE_CSP },
        }));
      }
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), { headers }));
    },
  };
}
