/**
 * The size of a value's JSON in UTF-8 bytes, for memory accounting (cache entries, the event log):
 * measured once per object by serialising it, or told by whoever already held its JSON text (a
 * webhook's body), so a tracking that arrives by webhook is never serialised just to be weighed.
 * Objects are shared read-only once stored, so a size, once known, stays right.
 */
const known = new WeakMap<object, number>();

/** Records that `value`'s JSON is (at most) `bytes` long. */
export function noteJsonBytes(value: object, bytes: number): void {
  known.set(value, bytes);
}

export function jsonBytes(value: unknown): number {
  if (typeof value !== 'object' || value === null) return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  let bytes = known.get(value);
  if (bytes === undefined) known.set(value, (bytes = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8')));
  return bytes;
}
