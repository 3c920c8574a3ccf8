/**
 * The figures of one group of trackings. Each is computed when first asked for, then kept: a query
 * that selects only `count` never reads a checkpoint. Definitions (the README repeats them):
 *
 * - delivered: current tag `Delivered`.
 * - transitDays: for delivered trackings with a pickup date, days (fractional) from
 *   `shipment_pickup_date` to `shipment_delivery_date`; percentiles by nearest rank.
 * - onTimeRate: share of delivered trackings that arrived on or before the first promise: the
 *   merchant's `order_promised_delivery_date` when given (its date, or the end of its range), else
 *   the first estimate AfterShip recorded, `first_estimated_delivery` (its date, or the end of its
 *   range). Days are compared as written (the delivery's local day). Deliveries with neither are not measured.
 * - eddAccuracy: share of delivered trackings whose delivery day is within ±1 day of AfterShip's
 *   own estimate, `aftership_estimated_delivery_date.estimated_delivery_date` (the latest it made).
 * - exceptions: trackings that went through each Exception subtag (in their checkpoints, or as their
 *   current status); a tracking counts once per subtag.
 * - failedAttempts: the sum of AfterShip's `failed_delivery_attempts`.
 * - slowestStretches: stretches between consecutive checkpoints of delivered trackings, from pickup
 *   to delivery, by (from subtag, to subtag), slowest mean first.
 */
import type { TagName, Tracking } from '../aftership/wire-types.js';
import { TAGS } from '../aftership/wire-types.js';
import { dayOf, daysBetween, instantOf, DAY_MS } from './dates.js';

export interface Percentiles {
  /** How many values were measured. */
  measured: number;
  p50: number | null;
  p90: number | null;
  max: number | null;
}

export interface Count<K extends string> {
  key: K;
  count: number;
}

export interface Stretch {
  fromSubtag: string;
  toSubtag: string;
  count: number;
  meanHours: number;
  maxHours: number;
}

/** Nearest-rank percentile of values sorted ascending: the smallest value with at least p% of them at or below it. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { measured: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted.length ? sorted[sorted.length - 1] : null };
}

const isDelivered = (t: Tracking): boolean => t.tag === 'Delivered';

/** Days from pickup to delivery of a delivered tracking; null when either date is missing. */
export function transitDaysOf(t: Tracking): number | null {
  if (!isDelivered(t)) return null;
  const from = instantOf(t.shipment_pickup_date);
  const to = instantOf(t.shipment_delivery_date);
  return from === null || to === null ? null : (to - from) / DAY_MS;
}

/** The first promise a delivery is held to (see the module comment), as `YYYY-MM-DD`; null when none. */
export function promisedDayOf(t: Tracking): string | null {
  const order = t.order_promised_delivery_date;
  const promised = dayOf(order?.promised_delivery_date) ?? dayOf(order?.promised_delivery_date_max);
  if (promised) return promised;
  const first = t.first_estimated_delivery;
  return dayOf(first?.datetime) ?? dayOf(first?.datetime_max);
}

/** On time (true), late (false), or not measurable (null). */
export function onTimeOf(t: Tracking): boolean | null {
  const delivered = isDelivered(t) ? dayOf(t.shipment_delivery_date) : null;
  const promised = promisedDayOf(t);
  return delivered && promised ? delivered <= promised : null;
}

/** Within ±1 day of AfterShip's estimate (true), further (false), or not measurable (null). */
export function eddAccurateOf(t: Tracking): boolean | null {
  const delivered = isDelivered(t) ? dayOf(t.shipment_delivery_date) : null;
  const edd = dayOf(t.aftership_estimated_delivery_date?.estimated_delivery_date);
  return delivered && edd ? Math.abs(daysBetween(edd, delivered)) <= 1 : null;
}

/** The Exception subtags a tracking went through, each once. */
export function exceptionSubtagsOf(t: Tracking): Set<string> {
  const out = new Set<string>();
  for (const c of t.checkpoints ?? []) if (c.tag === 'Exception' && c.subtag) out.add(c.subtag);
  if (t.tag === 'Exception' && t.subtag) out.add(t.subtag);
  return out;
}

/** Share of `true` among measured outcomes; null when none was measured. */
function rate(outcomes: Iterable<boolean | null>): { rate: number | null; measured: number } {
  let yes = 0;
  let measured = 0;
  for (const o of outcomes) {
    if (o === null) continue;
    measured++;
    if (o) yes++;
  }
  return { rate: measured ? yes / measured : null, measured };
}

/** Consecutive checkpoint stretches of one delivered tracking, from pickup on; none otherwise. */
export function stretchesOf(t: Tracking): { key: string; from: string; to: string; hours: number }[] {
  if (!isDelivered(t)) return [];
  const pickup = instantOf(t.shipment_pickup_date);
  const out: { key: string; from: string; to: string; hours: number }[] = [];
  let prev: { subtag: string; at: number } | null = null;
  for (const c of t.checkpoints ?? []) {
    const at = instantOf(c.checkpoint_time);
    if (at === null || !c.subtag) continue;
    if (pickup !== null && at < pickup) continue;
    if (prev) out.push({ key: `${prev.subtag}>${c.subtag}`, from: prev.subtag, to: c.subtag, hours: (at - prev.at) / 3_600_000 });
    prev = { subtag: c.subtag, at };
    if (c.tag === 'Delivered') break;
  }
  return out;
}

/** What the figures need of one tracking, derived once per tracking version. */
export interface TrackingFacts {
  delivered: boolean;
  transitDays: number | null;
  onTime: boolean | null;
  eddAccurate: boolean | null;
  exceptions: readonly string[];
  failedAttempts: number;
}

/**
 * Facts by tracking object. The replica replaces a tracking with a new object on every change and
 * never mutates one it holds, so a fact computed for an object stays true for its lifetime: this is
 * a memo of a pure function (the entry goes when the version does), and what keeps a repeated
 * query from re-reading every date and checkpoint of the account.
 */
const FACTS = new WeakMap<Tracking, TrackingFacts>();
const STRETCHES = new WeakMap<Tracking, ReturnType<typeof stretchesOf>>();

export function factsOf(t: Tracking): TrackingFacts {
  let f = FACTS.get(t);
  if (!f) {
    f = {
      delivered: isDelivered(t),
      transitDays: transitDaysOf(t),
      onTime: onTimeOf(t),
      eddAccurate: eddAccurateOf(t),
      exceptions: [...exceptionSubtagsOf(t)],
      failedAttempts: t.failed_delivery_attempts ?? 0,
    };
    FACTS.set(t, f);
  }
  return f;
}

function stretchesMemo(t: Tracking): ReturnType<typeof stretchesOf> {
  let s = STRETCHES.get(t);
  if (!s) STRETCHES.set(t, (s = stretchesOf(t)));
  return s;
}

/** Lazily computed figures of one group. */
export class GroupFigures {
  private cache = new Map<string, unknown>();
  constructor(readonly trackings: readonly Tracking[]) {}

  private once<T>(name: string, compute: () => T): T {
    if (!this.cache.has(name)) this.cache.set(name, compute());
    return this.cache.get(name) as T;
  }

  get count(): number {
    return this.trackings.length;
  }

  get countByTag(): Count<TagName>[] {
    return this.once('countByTag', () => {
      const counts = new Map<string, number>();
      for (const t of this.trackings) if (t.tag) counts.set(t.tag, (counts.get(t.tag) ?? 0) + 1);
      return TAGS.filter((tag) => counts.has(tag)).map((tag) => ({ key: tag, count: counts.get(tag) ?? 0 }));
    });
  }

  get delivered(): number {
    return this.once('delivered', () => this.trackings.filter((t) => factsOf(t).delivered).length);
  }

  get transitDays(): Percentiles {
    return this.once('transitDays', () => percentiles(this.trackings.map((t) => factsOf(t).transitDays).filter((d): d is number => d !== null)));
  }

  get onTime(): { rate: number | null; measured: number } {
    return this.once('onTime', () => rate(this.trackings.map((t) => factsOf(t).onTime)));
  }

  get eddAccuracy(): { rate: number | null; measured: number } {
    return this.once('eddAccuracy', () => rate(this.trackings.map((t) => factsOf(t).eddAccurate)));
  }

  /** By subtag, most frequent first (ties by subtag). */
  get exceptions(): Count<string>[] {
    return this.once('exceptions', () => {
      const counts = new Map<string, number>();
      for (const t of this.trackings) for (const s of factsOf(t).exceptions) counts.set(s, (counts.get(s) ?? 0) + 1);
      return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
    });
  }

  get failedAttempts(): { attempts: number; trackings: number } {
    return this.once('failedAttempts', () => {
      let attempts = 0;
      let trackings = 0;
      for (const t of this.trackings) {
        const n = factsOf(t).failedAttempts;
        attempts += n;
        if (n > 0) trackings++;
      }
      return { attempts, trackings };
    });
  }

  /** Every stretch kind, slowest mean first (ties: longest max, then names). */
  get stretches(): Stretch[] {
    return this.once('stretches', () => {
      const acc = new Map<string, Stretch & { total: number }>();
      for (const t of this.trackings) {
        for (const s of stretchesMemo(t)) {
          let a = acc.get(s.key);
          if (!a) acc.set(s.key, (a = { fromSubtag: s.from, toSubtag: s.to, count: 0, total: 0, meanHours: 0, maxHours: 0 }));
          a.count++;
          a.total += s.hours;
          if (s.hours > a.maxHours) a.maxHours = s.hours;
        }
      }
      return [...acc.values()]
        .map(({ total, ...s }) => ({ ...s, meanHours: total / s.count }))
        .sort((a, b) => b.meanHours - a.meanHours || b.maxHours - a.maxHours || `${a.fromSubtag}>${a.toSubtag}`.localeCompare(`${b.fromSubtag}>${b.toSubtag}`));
    });
  }
}
