/**
 * Delivery analytics over the replica: `deliveryStats` (filter → groups → figures) and the rows of
 * the exports. Reads an AnalyticsSource only, never the AfterShip client.
 */
import type { Tracking } from '../aftership/wire-types.js';
import { compileFilter, type DeliveryStatsFilter } from './filter.js';
import { checkGroupBy, groupTrackings, type Dimension, type Group } from './groups.js';
import type { AnalyticsSource, Coverage } from './source.js';

export interface DeliveryStats {
  coverage: Coverage;
  /** Trackings that matched the filter. */
  matched: number;
  groups: Group[];
}

/** One pass over the source: filter, then group. Figures are computed as they are read. */
export async function deliveryStats(
  source: AnalyticsSource,
  filter: DeliveryStatsFilter | null | undefined,
  groupBy: readonly Dimension[] | null | undefined,
  signal?: AbortSignal,
): Promise<DeliveryStats> {
  const keep = compileFilter(filter);
  const dims = checkGroupBy(groupBy);
  // Coverage first: a tracking arriving during the pass only makes the answer newer than it says.
  const coverage = source.coverage();
  const matched: Tracking[] = [];
  for await (const t of source.scan({ signal })) if (keep(t)) matched.push(t);
  signal?.throwIfAborted();
  return { coverage, matched: matched.length, groups: groupTrackings(matched, dims) };
}

export { checkFilter, compileFilter, MAX_FILTER_VALUES, type DeliveryStatsFilter, type TimeRange, type ShipmentDirection } from './filter.js';
export { checkGroupBy, DIMENSIONS, type Dimension, type Group, type GroupKey } from './groups.js';
export { GroupFigures, type Count, type Percentiles, type Stretch } from './figures.js';
export { InvalidAnalyticsInputError } from './errors.js';
export type { AnalyticsSource, Coverage } from './source.js';
