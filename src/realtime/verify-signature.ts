/**
 * AfterShip Tracking webhook signatures: header `aftership-hmac-sha256` =
 * base64(HMAC-SHA256(key = webhook secret as UTF-8, message = the raw request body bytes)).
 * No timestamp is signed, so replays are handled by event-id de-duplication, not here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header AfterShip Tracking puts the signature in (compare case-insensitively; Headers does). */
export const SIGNATURE_HEADER = 'aftership-hmac-sha256';

/** The signature AfterShip would send for `body` (base64). */
export function signWebhookBody(secret: string, body: Uint8Array | string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * True when `signature` is the base64 HMAC of `body`. Constant-time: the compare runs over
 * equal-length buffers, and a length mismatch (which reveals nothing secret) fails early.
 */
export function verifyWebhookSignature(secret: string, body: Uint8Array | string, signature: string | null | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signWebhookBody(secret, body), 'utf8');
  const given = Buffer.from(signature.trim(), 'utf8');
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
