/**
 * AfterShip request signing (REFERENCE §2.2, same algorithm as `@aftership/tracking-sdk` 17
 * `lib/authentication.ts`): `as-signature-hmac-sha256 = base64(HMAC-SHA256(secret, SignString))`.
 *
 * SignString = METHOD \n CONTENT-MD5 \n CONTENT-TYPE \n DATE \n CANONICAL-HEADERS \n CANONICAL-RESOURCE
 * (no trailing newline). The query string we send is built by `canonicalQuery` too, so what is
 * signed is byte-for-byte what travels.
 */
import { createHash, createHmac } from 'node:crypto';

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Readonly<Record<string, QueryValue>>;

/**
 * Keys sorted (ASCII), values trimmed and percent-encoded like Node's `querystring.escape`
 * (= encodeURIComponent), null/undefined dropped (the SDK would sign them as `key=` but not
 * send them, so we never produce them). Returns '' when nothing is left.
 */
export function canonicalQuery(query: QueryParams | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value === null || value === undefined) continue;
    parts.push(`${key.trim()}=${encodeURIComponent(String(value).trim())}`);
  }
  return parts.join('&');
}

/** `path?query` with the canonical query; just `path` without one. */
export function canonicalResource(path: string, query: QueryParams | undefined): string {
  const q = canonicalQuery(query);
  return q ? `${path}?${q}` : path;
}

/** Every `as-*` header, lower-cased name, trimmed value, sorted by name, `name:value` joined by \n. */
export function canonicalHeaders(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers)
    .map(([name, value]) => [name.trim().toLowerCase(), value.trim()] as const)
    .filter(([name]) => name.startsWith('as-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}`)
    .join('\n');
}

/** Upper-case hex MD5 of the exact body bytes; '' without a body. */
export function contentMd5(body: string | undefined): string {
  if (body === undefined || body.length === 0) return '';
  return createHash('md5').update(body, 'utf8').digest('hex').toUpperCase();
}

/** RFC 1123 date as AfterShip expects in the `date` header, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
export function rfc1123(ms: number): string {
  return new Date(ms).toUTCString();
}

export interface SignInput {
  method: string;
  /** URL path, e.g. `/tracking/2026-07/trackings`. */
  path: string;
  query?: QueryParams;
  /** Exact body bytes as sent; undefined for no body. */
  body?: string;
  /** Value of the `date` header. */
  date: string;
  /** Request headers (the `as-*` ones are signed; the signature header itself must not be present yet). */
  headers: Readonly<Record<string, string>>;
  /** @default 'application/json' (ignored when there is no body) */
  contentType?: string;
}

export function signString(input: SignInput): string {
  const hasBody = input.body !== undefined && input.body.length > 0;
  return [
    input.method.toUpperCase(),
    contentMd5(input.body),
    hasBody ? (input.contentType ?? 'application/json') : '',
    input.date,
    canonicalHeaders(input.headers),
    canonicalResource(input.path, input.query),
  ].join('\n');
}

/** base64 HMAC-SHA256 of the sign string, keyed with the API secret. */
export function signHmacSha256(input: SignInput, apiSecret: string): string {
  return createHmac('sha256', apiSecret).update(signString(input), 'utf8').digest('base64');
}
