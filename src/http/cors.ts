/**
 * yoga's `cors` option from `CORS_ORIGINS`: which browser origins may call the gateway from another
 * origin. Same-origin pages (GraphiQL on the gateway itself) need no CORS at all.
 *
 * - a list of origins: exactly those get CORS headers, any other origin gets none (the browser then
 *   refuses to hand the answer to the page);
 * - `*`: any origin (the embedded sandbox's open demo);
 * - empty: same-origin only.
 *
 * Never `Access-Control-Allow-Credentials`: callers authenticate with a bearer token, not cookies, so a
 * page gains nothing a token holder would not send anyway. Preflights are answered (204) either way.
 */
import type { YogaServerOptions } from 'graphql-yoga';

export type CorsOrigins = '*' | readonly string[];

/** Headers a cross-origin page may read: the request id (for support), why a token was refused, an export's coverage. */
const EXPOSED_HEADERS = ['x-request-id', 'www-authenticate', 'retry-after', 'x-coverage'];

type YogaCors = NonNullable<YogaServerOptions<Record<string, unknown>, Record<string, unknown>>['cors']>;

export function corsOptions(origins: CorsOrigins): YogaCors {
  const allowed = new Set(origins === '*' ? [] : origins);
  // yoga reflects the request's origin (with `Vary: Origin`) when given '*' or several origins.
  const options = { origin: origins === '*' ? ['*'] : [...origins], credentials: false, exposedHeaders: EXPOSED_HEADERS };
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || (origins !== '*' && !allowed.has(origin))) return false;
    return options;
  };
}

/** `https://shop.example.com` as browsers send it in `Origin`: scheme, host and port, nothing else. */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}
