/**
 * The few date facts analytics needs from AfterShip's wire dates. Instants (`created_at`) carry an
 * offset; carrier dates (`shipment_pickup_date`, `shipment_delivery_date`) are local times, usually
 * with their offset; estimates are plain `YYYY-MM-DD` days.
 */

export const DAY_MS = 86_400_000;

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})/;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Epoch ms of a wire date; null when absent or unreadable. A local time without an offset is read
 * as UTC: JavaScript would read it in the server's own zone, so figures would change with the host.
 */
export function instantOf(text: string | null | undefined): number | null {
  if (!text || !DATE_PREFIX.test(text)) return null;
  const ms = Date.parse(text.length > 10 && !HAS_OFFSET.test(text) ? `${text}Z` : text);
  return Number.isNaN(ms) ? null : ms;
}

/** The calendar day a wire date names, as written (a local time's own day): `YYYY-MM-DD`, or null. */
export function dayOf(text: string | null | undefined): string | null {
  const m = text ? DATE_PREFIX.exec(text) : null;
  return m ? m[0] : null;
}

/** Whole days from day `a` to day `b` (both `YYYY-MM-DD`): positive when `b` is later. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** `YYYY-MM-DD` (UTC) of an instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The Monday (UTC) starting the ISO week of an instant, as `YYYY-MM-DD`. */
export function utcWeek(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
  const monday = day - (((day + 3) % 7) + 7) % 7;
  return utcDay(monday * DAY_MS);
}
