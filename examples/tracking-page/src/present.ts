/**
 * Words and times for people: status names, checkpoint times as the courier gave them (the local time
 * where the scan happened), delivery estimates, and each problem as a sentence.
 */
import type { Tag } from './generated/graphql.js';
import type { Problem } from './gateway.js';

export const STATUS: Readonly<Record<Tag, string>> = {
  PENDING: 'Waiting for the courier',
  INFO_RECEIVED: 'Label created',
  IN_TRANSIT: 'In transit',
  OUT_FOR_DELIVERY: 'Out for delivery',
  AVAILABLE_FOR_PICKUP: 'Ready for pickup',
  ATTEMPT_FAIL: 'Delivery attempt failed',
  DELIVERED: 'Delivered',
  EXCEPTION: 'Delivery problem',
  EXPIRED: 'No recent updates',
};

export const statusOf = (tag: Tag | null): string => (tag ? STATUS[tag] : 'Status unknown');

/** A LocalDateTime split into what the courier wrote: wall-clock parts and, when given, its offset. */
interface LocalTime {
  /** Valid for `<time datetime>`: a date, a local date-time, or a date-time with offset. */
  machine: string;
  /** The wall-clock parts as if UTC, for formatting without moving them to the reader's zone. */
  wall: Date;
  hasTime: boolean;
  offset?: string;
}

const LOCAL = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export function parseLocal(text: string | null): LocalTime | undefined {
  const m = text ? LOCAL.exec(text.trim()) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, off] = m;
  const wall = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)));
  if (Number.isNaN(wall.getTime())) return undefined;
  const date = `${y}-${mo}-${d}`;
  if (h === undefined) return { machine: date, wall, hasTime: false };
  const offset = off === undefined ? undefined : off === 'Z' ? 'Z' : `${off.slice(0, 3)}:${off.slice(-2)}`;
  return { machine: `${date}T${h}:${mi}:${s ?? '00'}${offset ?? ''}`, wall, hasTime: true, offset };
}

const DAY = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const TIME = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });

/** "Tue 3 Mar, 16:03" in the checkpoint's own local time (the reader's locale decides the format). */
export function formatLocal(t: LocalTime): string {
  return t.hasTime ? `${DAY.format(t.wall)}, ${TIME.format(t.wall)}` : DAY.format(t.wall);
}

/** "Expected Thu 5 Mar", "Expected between Thu 5 Mar and Sat 7 Mar", or undefined when nothing is known. */
export function deliveryEstimate(e: { datetime: string | null; datetimeMin: string | null; datetimeMax: string | null } | null): string | undefined {
  if (!e) return undefined;
  const at = parseLocal(e.datetime);
  if (at) return `Expected ${formatLocal(at)}`;
  const min = parseLocal(e.datetimeMin);
  const max = parseLocal(e.datetimeMax);
  if (min && max) return `Expected between ${formatLocal(min)} and ${formatLocal(max)}`;
  if (max) return `Expected by ${formatLocal(max)}`;
  return undefined;
}

/** Where a checkpoint happened, e.g. "Memphis, TN, United States". */
export function placeOf(c: { city: string | null; state: string | null; countryRegionName: string | null }): string {
  return [c.city, c.state, c.countryRegionName].filter((p): p is string => Boolean(p?.trim())).join(', ');
}

/** A `tel:` link for a phone number as couriers write it ("1-800-PICK-UPS" keeps its letters). */
export function telHref(phone: string): string | undefined {
  const dial = phone.replace(/[^0-9A-Za-z+]/g, '');
  return /[0-9]/.test(dial) ? `tel:${dial}` : undefined;
}

/** Only http(s) links from data: a `javascript:` URL must never become a link. */
export function safeWebUrl(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** The sentence for a problem; `seconds` is what is left of a rate limit's wait. */
export function sentenceFor(p: Problem, lookup: { trackingNumber: string; slug?: string }, seconds?: number): string {
  switch (p.kind) {
    case 'not-found':
      return lookup.slug
        ? `We could not find tracking number ${lookup.trackingNumber} with the courier "${lookup.slug}". Check both, or leave the courier empty.`
        : `We could not find tracking number ${lookup.trackingNumber}. Check it against your shipping confirmation.`;
    case 'courier-not-detected':
      return `We could not tell which courier carries ${lookup.trackingNumber}. Enter the courier (for example ups or dhl) and try again.`;
    case 'rate-limited':
      if (seconds === undefined && p.retryAfterSeconds === null) return 'There are too many lookups right now. Please try again in a moment.';
      return (seconds ?? p.retryAfterSeconds ?? 0) > 0
        ? `There are too many lookups right now. Please try again in ${seconds ?? p.retryAfterSeconds} s.`
        : 'You can try again now.';
    case 'network':
      return 'We cannot reach the tracking service. Check your internet connection, then try again.';
    case 'refused':
      return 'This page is not allowed to look up shipments. Please tell the shop.';
    case 'invalid':
      return `Please check what you entered: ${p.message}`;
    case 'unavailable':
      return 'Tracking is not available right now. Please try again in a few minutes.';
  }
}
