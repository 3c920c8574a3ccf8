/**
 * Verification of signed requests (REFERENCE §2.2): `as-signature-hmac-sha256` (AES, key = API
 * secret) or `as-signature-rsa-sha256` (RSA-PSS, checked with the public key), over
 * METHOD \n MD5(body) \n content-type \n date \n as-* headers \n path?sorted-query, valid within
 * ±3 minutes of `date`.
 */
import { constants, createHash, createHmac, timingSafeEqual, verify } from 'node:crypto';

export const SIGNATURE_WINDOW_MS = 3 * 60_000;
const SIGNATURE_HEADERS = new Set(['as-signature-hmac-sha256', 'as-signature-rsa-sha256']);

export interface SignatureKeys {
  apiSecret?: string;
  apiPublicKey?: string;
}

export function signString(request: Request, body: string): string {
  const url = new URL(request.url);
  const md5 = body.length ? createHash('md5').update(body).digest('hex').toUpperCase() : '';
  const contentType = body.length ? 'application/json' : '';
  const headers: string[] = [];
  request.headers.forEach((value, name) => {
    const n = name.toLowerCase();
    if (n.startsWith('as-') && !SIGNATURE_HEADERS.has(n)) headers.push(`${n}:${value.trim()}`);
  });
  headers.sort();
  const params = [...url.searchParams.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k.trim()}=${encodeURIComponent(v.trim())}`);
  const resource = params.length ? `${url.pathname}?${params.join('&')}` : url.pathname;
  return [request.method.toUpperCase(), md5, contentType, request.headers.get('date') ?? '', headers.join('\n'), resource].join('\n');
}

/** undefined when the request carries no signature; otherwise null (valid) or the reason it is not. */
export function checkSignature(request: Request, body: string, keys: SignatureKeys, nowMs: number): string | null | undefined {
  const hmac = request.headers.get('as-signature-hmac-sha256');
  const rsa = request.headers.get('as-signature-rsa-sha256');
  if (hmac === null && rsa === null) return undefined;
  const date = Date.parse(request.headers.get('date') ?? '');
  if (Number.isNaN(date)) return 'the date header is missing or invalid';
  if (Math.abs(nowMs - date) > SIGNATURE_WINDOW_MS) return 'the date header is more than 3 minutes off';
  const message = signString(request, body);
  if (hmac !== null) {
    if (!keys.apiSecret) return 'AES signatures are not enabled for this key';
    const expected = Buffer.from(createHmac('sha256', keys.apiSecret).update(message).digest('base64'));
    const given = Buffer.from(hmac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'the signature does not match';
  }
  if (!keys.apiPublicKey) return 'RSA signatures are not enabled for this key';
  const ok = verify('RSA-SHA256', Buffer.from(message), {
    key: keys.apiPublicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  }, Buffer.from(rsa ?? '', 'base64'));
  return ok ? null : 'the signature does not match';
}
