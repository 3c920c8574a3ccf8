/**
 * HTTP validators for GraphQL over GET, so a browser (or a CDN passing conditional requests through)
 * revalidates an unchanged answer with a 304 instead of downloading it again.
 *
 * - Only a GET's single JSON answer (yoga runs only queries over GET: a mutation is 405, and a
 *   subscription or an incremental answer is a stream, left alone), with status 200.
 * - `ETag`: a strong hash of the representation (its content type and its bytes), so a 304 says
 *   exactly "the copy you hold is what you would get now". It is computed from the answer made for
 *   this request's own token, so a token is never told another's different answer is current; two
 *   tokens that would get the same bytes may share a validator, which is correct by construction.
 * - `If-None-Match` naming it (weak comparison, lists and `*`, RFC 9110 §13.1.2): 304, no body.
 * - `Cache-Control: private, no-cache`: the answer depends on the caller's token, so no shared cache
 *   stores it, and a browser revalidates every time (answers change with every webhook).
 *   `Vary: authorization, accept` (the token, and the content type yoga negotiates).
 *
 * The operation still runs (or is answered by the response cache): what a 304 saves is the bytes.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export interface HttpCachingOptions {
  /** @default "/graphql" */
  endpoint?: string;
}

const JSON_ANSWER = /^application\/(graphql-response\+)?json\b/i;
const VARY = ['authorization', 'accept'];

/** A strong ETag of one representation: its content type and body. */
export function etagOf(contentType: string, body: Uint8Array): string {
  return `"${createHash('sha1').update(contentType).update('\n').update(body).digest('base64url')}"`;
}

/** Whether `If-None-Match` names `etag` (weak comparison: `W/` ignored), or is `*`. */
export function noneMatchHits(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  // Bounded: a client's header list is read up to 8 KiB (Node caps headers at 16 KiB anyway).
  return ifNoneMatch
    .slice(0, 8192)
    .split(',')
    .some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}

/** Adds `names` to the response's `Vary` header, keeping what is there. */
function addVary(headers: Headers, names: readonly string[]): void {
  const present = (headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);
  if (present.includes('*')) return;
  const missing = names.filter((n) => !present.includes(n));
  if (missing.length) headers.set('vary', [...present, ...missing].join(', '));
}

export function useHttpCaching(options: HttpCachingOptions = {}): Plugin {
  const endpoint = options.endpoint ?? '/graphql';
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method !== 'GET' || response.status !== 200 || !response.body) return;
      const contentType = response.headers.get('content-type') ?? '';
      if (!JSON_ANSWER.test(contentType) || new URL(request.url).pathname !== endpoint) return;
      const body = new Uint8Array(await response.arrayBuffer());
      const headers = new fetchAPI.Headers(response.headers);
      const etag = etagOf(contentType, body);
      headers.set('etag', etag);
      headers.set('cache-control', 'private, no-cache');
      addVary(headers, VARY);
      if (noneMatchHits(request.headers.get('if-none-match'), etag)) {
        headers.delete('content-type');
        headers.delete('content-length');
        setResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      setResponse(new fetchAPI.Response(body, { status: 200, headers }));
    },
  };
}
