/**
 * Splitting trackings into groups by dimension values. A tracking with several shipment tags is in
 * one group per tag (grouped by SHIPMENT_TAG); a missing value is a group of its own (key null).
 */
import type { Tracking } from '../aftership/wire-types.js';
import { instantOf, utcDay, utcWeek } from './dates.js';
import { InvalidAnalyticsInputError } from './errors.js';
import { destinationOf } from './filter.js';
import { GroupFigures } from './figures.js';

export const DIMENSIONS = ['COURIER', 'ORIGIN_COUNTRY', 'DESTINATION_COUNTRY', 'TAG', 'SHIPMENT_TAG', 'DAY', 'WEEK'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The value of each grouped dimension (absent: not grouped by it; null: the tracking has none). */
export type GroupKey = Partial<Record<Dimension, string | null>>;

export interface Group {
  key: GroupKey;
  figures: GroupFigures;
}

/** A tracking's values for one dimension (several for SHIPMENT_TAG). Time buckets are of `created_at`, UTC. */
function valuesOf(t: Tracking, d: Dimension): (string | null)[] {
  switch (d) {
    case 'COURIER':
      return [t.slug || null];
    case 'ORIGIN_COUNTRY':
      return [t.origin_country_region || null];
    case 'DESTINATION_COUNTRY':
      return [destinationOf(t)];
    case 'TAG':
      return [t.tag || null];
    case 'SHIPMENT_TAG': {
      const tags = [...new Set(t.shipment_tags ?? [])];
      return tags.length ? tags : [null];
    }
    case 'DAY':
    case 'WEEK': {
      const ms = instantOf(t.created_at);
      return [ms === null ? null : d === 'DAY' ? utcDay(ms) : utcWeek(ms)];
    }
  }
}

/** Each dimension once; an empty list is one group of everything. */
export function checkGroupBy(groupBy: readonly Dimension[] | null | undefined, field = 'groupBy'): readonly Dimension[] {
  const dims = groupBy ?? [];
  for (const d of dims) if (!(DIMENSIONS as readonly string[]).includes(d)) throw new InvalidAnalyticsInputError(`${field}: unknown dimension ${JSON.stringify(d)}.`, field);
  if (new Set(dims).size !== dims.length) throw new InvalidAnalyticsInputError(`${field} names a dimension twice.`, field);
  return dims;
}

/** Every combination of a tracking's dimension values (one unless it has several shipment tags). */
function keysOf(t: Tracking, dims: readonly Dimension[]): GroupKey[] {
  let keys: GroupKey[] = [{}];
  for (const d of dims) {
    const values = valuesOf(t, d);
    keys = values.length === 1 ? keys.map((k) => ({ ...k, [d]: values[0] })) : keys.flatMap((k) => values.map((v) => ({ ...k, [d]: v })));
  }
  return keys;
}

const keyText = (key: GroupKey, dims: readonly Dimension[]): string => JSON.stringify(dims.map((d) => key[d] ?? null));

/**
 * The groups of the trackings, largest first (ties in key order, nulls last). Group count is bounded
 * by the trackings' count (times their shipment tags), so it is bounded by the replica's size.
 */
export function groupTrackings(trackings: Iterable<Tracking>, groupBy: readonly Dimension[]): Group[] {
  const dims = checkGroupBy(groupBy);
  const members = new Map<string, { key: GroupKey; trackings: Tracking[] }>();
  for (const t of trackings) {
    for (const key of keysOf(t, dims)) {
      const k = keyText(key, dims);
      let g = members.get(k);
      if (!g) members.set(k, (g = { key, trackings: [] }));
      g.trackings.push(t);
    }
  }
  const order = (a: GroupKey, b: GroupKey): number => {
    for (const d of dims) {
      const x = a[d] ?? null;
      const y = b[d] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  };
  return [...members.values()]
    .sort((a, b) => b.trackings.length - a.trackings.length || order(a.key, b.key))
    .map((g) => ({ key: g.key, figures: new GroupFigures(g.trackings) }));
}
