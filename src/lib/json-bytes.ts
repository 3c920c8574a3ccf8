/**
 * The size of a value's JSON in UTF-8 bytes, for memory accounting (cache entries, the replica, the
 * event log). A caller that already holds the JSON text (a webhook's body) passes its length along
 * instead (`putTracking(..., bytes)`, `TrackingUpdate.trackingBytes`), so a tracking that arrives by
 * webhook is never serialised just to be weighed. (A WeakMap from objects to sizes did this before:
 * one ephemeron per tracking cost the garbage collector about 9% of the webhook ingest, #15.)
 */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
