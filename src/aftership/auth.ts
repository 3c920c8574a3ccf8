/**
 * How the client authenticates to AfterShip (REFERENCE §2).
 * - `api-key`: `as-api-key` on every request; with `apiSecret`, also AES request signing
 *   (`date` + `as-signature-hmac-sha256`, §2.2).
 * - `bearer`: OAuth 2.0 access token of an AfterShip app. AfterShip does not document the header;
 *   we send `Authorization: Bearer <token>` (REFERENCE §2.3 "unknown", our choice). On a 401 the
 *   client calls `onUnauthorized()` (refresh) and sends the request once more.
 */
import { rfc1123, signHmacSha256, type QueryParams } from './signing.js';

export type AfterShipAuth =
  | { kind: 'api-key'; apiKey: string; apiSecret?: string }
  | { kind: 'bearer'; getAccessToken(): Promise<string>; onUnauthorized?(): Promise<void> };

export interface AuthRequest {
  method: string;
  /** Full URL path as sent, e.g. `/tracking/2026-07/trackings`. */
  path: string;
  query?: QueryParams;
  body?: string;
  /** Milliseconds since the epoch, from the client's clock (becomes the `date` header). */
  now: number;
}

export interface AuthResult {
  headers: Record<string, string>;
  /** Secret values used for this request, so error text and logs can be scrubbed of them. */
  secrets: string[];
}

/** Headers that authenticate one request. Validates the credentials' shape (never echoes them). */
export async function authenticate(auth: AfterShipAuth, req: AuthRequest): Promise<AuthResult> {
  if (auth.kind === 'bearer') {
    const token = await auth.getAccessToken();
    if (typeof token !== 'string' || token.trim() === '') {
      throw new Error('AfterShip bearer auth: getAccessToken() returned an empty token');
    }
    return { headers: { authorization: `Bearer ${token}` }, secrets: [token] };
  }
  if (typeof auth.apiKey !== 'string' || auth.apiKey.trim() === '') {
    throw new Error('AfterShip api-key auth: apiKey is empty');
  }
  const headers: Record<string, string> = { 'as-api-key': auth.apiKey };
  const secrets = [auth.apiKey];
  if (auth.apiSecret !== undefined) {
    if (auth.apiSecret === '') throw new Error('AfterShip api-key auth: apiSecret is empty');
    const date = rfc1123(req.now);
    headers['date'] = date;
    // Signed with exactly the as-* headers that are sent (only as-api-key today).
    headers['as-signature-hmac-sha256'] = signHmacSha256(
      { method: req.method, path: req.path, query: req.query, body: req.body, date, headers: { 'as-api-key': auth.apiKey } },
      auth.apiSecret,
    );
    secrets.push(auth.apiSecret);
  }
  return { headers, secrets };
}

/** Replaces every secret occurrence in a text (last line of defence for error messages). */
export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('[redacted]'), text);
}
