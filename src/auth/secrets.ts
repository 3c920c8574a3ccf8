/**
 * Small primitives for handling secrets: hashing, constant-time comparison, random tokens,
 * and redaction so objects that hold secrets print as "[redacted]" in logs, JSON and inspect.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time equality of two strings (hashes first, so lengths never leak either). */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** A URL-safe random string with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export const REDACTED = '[redacted]';

/**
 * Makes `JSON.stringify(obj)` and `util.inspect(obj)` replace the named keys by "[redacted]".
 * The properties stay readable in code; only their printed forms are hidden.
 */
export function redactKeys<T extends object>(obj: T, keys: readonly (keyof T & string)[]): T {
  const printable = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      out[k] = (keys as readonly string[]).includes(k) && v !== undefined ? REDACTED : v;
    }
    return out;
  };
  Object.defineProperty(obj, 'toJSON', { value: printable, enumerable: false });
  Object.defineProperty(obj, inspect.custom, {
    value: (_depth: number, options: object) => inspect(printable(), options),
    enumerable: false,
  });
  return obj;
}
