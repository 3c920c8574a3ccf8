/** Date formats AfterShip uses on the wire. */

const pad = (n: number, w = 2): string => String(Math.abs(Math.trunc(n))).padStart(w, '0');

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
/** `YYYY-MM-DD` by day number: a world's timestamps fall on a few hundred days, and this runs for every checkpoint. */
const DAYS = new Map<number, string>();

/** `YYYY-MM-DDTHH:mm:ss` of an instant in UTC. */
function parts(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let date = DAYS.get(day);
  if (date === undefined) {
    if (DAYS.size >= 10_000) DAYS.clear();
    DAYS.set(day, (date = new Date(day * 86_400_000).toISOString().slice(0, 10)));
  }
  const sec = Math.floor((ms - day * 86_400_000) / 1000);
  return `${date}T${TWO_DIGITS[Math.floor(sec / 3600)]}:${TWO_DIGITS[Math.floor(sec / 60) % 60]}:${TWO_DIGITS[sec % 60]}`;
}

/** `created_at` / `updated_at`: UTC as `YYYY-MM-DDTHH:mm:ss+00:00`. */
export function utcIso(ms: number): string {
  return `${parts(ms)}+00:00`;
}

/** Carrier-local time with its offset, e.g. `2026-03-02T10:14:00-06:00`. */
export function localIso(ms: number, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  return `${parts(ms + offsetMinutes * 60_000)}${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}

/** `YYYY-MM-DD` of an instant seen at a UTC offset. */
export function dateOnly(ms: number, offsetMinutes = 0): string {
  return parts(ms + offsetMinutes * 60_000).slice(0, 10);
}

export const DAY_MS = 86_400_000;

/** Strict `YYYY-MM-DDTHH:mm:ss±HH:MM` (or `Z`), as GET /trackings demands since 2025-01. */
const STRICT_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})$/;

/** Parses a strict datetime into epoch ms, or undefined when malformed or not a real date. */
export function parseStrictDatetime(text: string): number | undefined {
  const m = STRICT_DATETIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  // Reject dates that JavaScript rolls over (e.g. Feb 30).
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCDate() !== d) return undefined;
  return ms;
}

/** `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss`, or that with `Z`/offset: the forms AfterShip accepts for date fields. */
const LOOSE_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})?)?$/;

export function isLooseDate(text: string): boolean {
  if (!LOOSE_DATE.test(text)) return false;
  const [y, mo, d] = text.slice(0, 10).split('-').map(Number);
  const check = new Date(Date.UTC(y, mo - 1, d));
  return check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d;
}

/** `tracking_ship_date`: `YYYYMMDD` (detect, OAS example) or any loose date form. */
export function isShipDate(text: string): boolean {
  if (/^\d{8}$/.test(text)) return isLooseDate(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`);
  return isLooseDate(text);
}

/** Whole days between two instants, rounded up (at least 0). */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.max(0, Math.ceil((toMs - fromMs) / DAY_MS));
}
