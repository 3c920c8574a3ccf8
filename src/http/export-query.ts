/**
 * The export routes' query parameters as a `deliveryStats` filter: the same fields, flattened.
 *
 *   ?slugs=ups,fedex&destinationCountryRegions=USA&tags=DELIVERED&createdAtFrom=2026-01-01T00:00:00Z
 *
 * Lists take commas or repeated parameters; tags and the direction use the GraphQL enum names;
 * instants are ISO 8601 with an offset. An unknown parameter is refused (a typo must not silently
 * export everything).
 */
import { TAGS, type TagName } from '../aftership/wire-types.js';
import { checkFilter, InvalidAnalyticsInputError, type DeliveryStatsFilter, type TimeRange } from '../analytics/index.js';

export interface ExportQuery {
  filter: DeliveryStatsFilter;
  /** NDJSON only: keep each tracking's checkpoints. */
  checkpoints: boolean;
}

const LISTS = ['slugs', 'originCountryRegions', 'destinationCountryRegions', 'shipmentTags', 'tags'] as const;
const RANGES = ['createdAt', 'shippedAt', 'deliveredAt'] as const;
const KNOWN = new Set<string>([...LISTS, ...RANGES.flatMap((r) => [`${r}From`, `${r}To`]), 'shipmentDirection', 'checkpoints']);

/** `IN_TRANSIT` → `InTransit`, as the GraphQL Tag enum maps them. */
const TAG_BY_NAME = new Map<string, TagName>(TAGS.map((tag) => [tag.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase(), tag]));
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(params: URLSearchParams, name: string): number | null {
  const text = params.get(name);
  if (text === null || text === '') return null;
  const ms = INSTANT.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new InvalidAnalyticsInputError(`${name} must be an ISO 8601 date-time with offset, e.g. 2026-03-02T16:03:27Z.`, name);
  return ms;
}

export function parseExportQuery(params: URLSearchParams): ExportQuery {
  for (const name of new Set(params.keys())) {
    if (!KNOWN.has(name)) throw new InvalidAnalyticsInputError(`Unknown query parameter ${JSON.stringify(name.slice(0, 64))}.`, name.slice(0, 64));
  }
  const list = (name: string): string[] | undefined => {
    const values = params.getAll(name).flatMap((v) => v.split(','));
    return values.length ? values.map((v) => v.trim()) : undefined;
  };
  const filter: DeliveryStatsFilter = {
    slugs: list('slugs'),
    originCountryRegions: list('originCountryRegions'),
    destinationCountryRegions: list('destinationCountryRegions'),
    shipmentTags: list('shipmentTags'),
  };
  const tags = list('tags');
  if (tags) {
    filter.tags = tags.map((name) => {
      const tag = TAG_BY_NAME.get(name);
      if (!tag) throw new InvalidAnalyticsInputError(`tags: ${JSON.stringify(name.slice(0, 64))} is not a tag (e.g. IN_TRANSIT, DELIVERED).`, 'tags');
      return tag;
    });
  }
  for (const r of RANGES) {
    const range: TimeRange = { from: instant(params, `${r}From`), to: instant(params, `${r}To`) };
    if (range.from !== null || range.to !== null) filter[r] = range;
  }
  const direction = params.get('shipmentDirection');
  if (direction !== null) {
    if (direction !== 'FORWARD' && direction !== 'RETURN') throw new InvalidAnalyticsInputError('shipmentDirection must be FORWARD or RETURN.', 'shipmentDirection');
    filter.shipmentDirection = direction === 'RETURN' ? 'return' : 'forward';
  }
  const checkpoints = params.get('checkpoints');
  if (checkpoints !== null && checkpoints !== 'true' && checkpoints !== 'false') throw new InvalidAnalyticsInputError('checkpoints must be true or false.', 'checkpoints');
  checkFilter(filter);
  return { filter, checkpoints: checkpoints === 'true' };
}
