/**
 * GET /trackings: every documented filter (REFERENCE §5.1), newest first, cursor paging.
 * The cursor is base64 of `[created_at ms, id]` like AfterShip's example: a keyset, so pages stay
 * stable while trackings are added. Dates must be `YYYY-MM-DDTHH:mm:ss+HH:MM` (400 otherwise, as
 * since 2025-01; a `+` sent unescaped arrives as a space and is refused too).
 *
 * Large accounts: the store keeps trackings sorted by (created, id), so the created range and the
 * cursor are binary searches; filters read each record's summary (no full tracking is built for
 * them); only the page's trackings are materialised. `total` is counted once per filter, range and
 * store version, so paging through 100,000 trackings is linear, not quadratic.
 */
import { MAX_LIST_LIMIT, MAX_TRACKING_NUMBERS_PER_LIST } from '../../aftership/endpoints.js';
import { TAGS, type Tracking } from '../../aftership/wire-types.js';
import { invalid, ok } from '../http.js';
import { parseStrictDatetime, DAY_MS } from '../format.js';
import { lowerBound, type Store } from '../store.js';
import type { TrackingRecord } from '../tracking-model.js';
import { projectTracking, readFields } from './fields.js';
import type { Handler } from './context.js';

type Filter = (rec: TrackingRecord) => boolean;

const list = (q: URLSearchParams, name: string, pattern?: RegExp): string[] | undefined => {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length || (pattern && items.some((i) => !pattern.test(i)))) throw invalid(name);
  return items;
};

function dateParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const ms = parseStrictDatetime(raw);
  if (ms === undefined) throw invalid(name, 'Use the format YYYY-MM-DDTHH:mm:ss+HH:MM (send "+" as %2B).');
  return ms;
}

export function encodeCursor(rec: TrackingRecord): string {
  return Buffer.from(JSON.stringify([rec.createdMs, rec.id])).toString('base64');
}

function decodeCursor(raw: string): [number, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw invalid('cursor');
}

interface Query {
  filters: Filter[];
  createdMin: number;
  createdMax: number;
  /** The filters other than the created range, as text: with the range and store version, the key of a count. */
  signature: string;
}

function buildQuery(q: URLSearchParams, now: number): Query {
  const f: Filter[] = [];
  const numbers = list(q, 'tracking_numbers');
  if (numbers) {
    if (numbers.length > MAX_TRACKING_NUMBERS_PER_LIST) throw invalid('tracking_numbers', `At most ${MAX_TRACKING_NUMBERS_PER_LIST} tracking numbers.`);
    const set = new Set(numbers.map((n) => n.toUpperCase()));
    f.push((r) => set.has(r.trackingNumber.toUpperCase()));
  }
  const keyword = q.get('keyword')?.trim().toLowerCase();
  if (keyword) f.push((r) => r.summary.keywords.includes(keyword));
  const slugs = list(q, 'slug', /^[a-z0-9-]+$/);
  if (slugs) f.push((r) => slugs.includes(r.slug));
  const transit = q.get('transit_time');
  if (transit !== null) {
    if (!/^\d+$/.test(transit)) throw invalid('transit_time');
    f.push((r) => r.summary.transitTime === Number(transit));
  }
  for (const [param, field] of [['origin', 'origin'], ['destination', 'destination'], ['courier_destination_country_region', 'courierDestination']] as const) {
    const codes = list(q, param, /^[A-Z]{3}$/);
    if (codes) f.push((r) => codes.includes(r.summary[field] ?? ''));
  }
  // `tag` is documented as one tag; a comma list is accepted too (REFERENCE §11 leaves it open).
  const tags = list(q, 'tag', /^[A-Za-z]+$/);
  if (tags) {
    if (tags.some((t) => !(TAGS as readonly string[]).includes(t))) throw invalid('tag');
    f.push((r) => tags.includes(r.summary.tag));
  }
  const createdMin = dateParam(q, 'created_at_min') ?? now - 120 * DAY_MS; // AfterShip keeps 120 days
  const createdMax = dateParam(q, 'created_at_max') ?? now;
  if (createdMin > createdMax) throw invalid('created_at_min', 'created_at_min must not be after created_at_max.');
  const updatedMin = dateParam(q, 'updated_at_min');
  const updatedMax = dateParam(q, 'updated_at_max');
  if (updatedMin !== undefined && updatedMax !== undefined && updatedMin > updatedMax) throw invalid('updated_at_min');
  if (updatedMin !== undefined) f.push((r) => r.summary.updatedMs >= updatedMin);
  if (updatedMax !== undefined) f.push((r) => r.summary.updatedMs <= updatedMax);
  const rts = list(q, 'return_to_sender', /^(true|false)$/);
  if (rts) f.push((r) => rts.includes(String(r.summary.returnToSender)));
  const stags = list(q, 'shipment_tags');
  if (stags) f.push((r) => r.summary.shipmentTags.some((t) => stags.includes(t)));
  const orderIds = list(q, 'order_id');
  if (orderIds) f.push((r) => orderIds.includes(r.summary.orderId ?? ''));
  const skip = new Set(['cursor', 'limit', 'fields', 'created_at_min', 'created_at_max']);
  const signature = [...q].filter(([k]) => !skip.has(k)).map(([k, v]) => `${k}=${v}`).sort().join('&');
  return { filters: f, createdMin, createdMax, signature };
}

/** The last count per store: a full pass pages through one query, so one entry is enough. */
const counts = new WeakMap<Store, { key: string; total: number }>();

function countMatches(store: Store, records: readonly TrackingRecord[], lo: number, hi: number, query: Query): number {
  if (!query.filters.length) return hi - lo;
  const key = `${store.version()}|${lo}|${hi}|${query.signature}`;
  const known = counts.get(store);
  if (known?.key === key) return known.total;
  let total = 0;
  for (let i = lo; i < hi; i++) if (query.filters.every((f) => f(records[i]))) total++;
  counts.set(store, { key, total });
  return total;
}

export const listTrackings: Handler = (req, ctx) => {
  const q = req.query;
  const rawLimit = q.get('limit');
  if (rawLimit !== null && !/^\d+$/.test(rawLimit)) throw invalid('limit');
  const limit = rawLimit === null ? 100 : Number(rawLimit);
  if (limit < 1 || limit > MAX_LIST_LIMIT) throw invalid('limit', `limit must be between 1 and ${MAX_LIST_LIMIT}.`);
  const fields = readFields(q, ['title', 'order_id', 'tag', 'checkpoints']);
  const query = buildQuery(q, ctx.now());
  const records = ctx.store.ordered();
  const lo = lowerBound(records, query.createdMin);
  const hi = lowerBound(records, Math.floor(query.createdMax / 1000) * 1000 + 1000);
  let end = hi;
  const cursor = q.get('cursor');
  if (cursor) {
    const [ms, id] = decodeCursor(cursor);
    end = Math.min(hi, lowerBound(records, ms, id));
  }
  // Newest first: walk down from the cursor, one match past the page tells whether there is a next page.
  const page: TrackingRecord[] = [];
  let hasNext = false;
  for (let i = end - 1; i >= lo; i--) {
    const r = records[i];
    if (!query.filters.every((f) => f(r))) continue;
    if (page.length === limit) {
      hasNext = true;
      break;
    }
    page.push(r);
  }
  return ok({
    pagination: {
      total: countMatches(ctx.store, records, lo, hi, query),
      next_cursor: hasNext ? encodeCursor(page[page.length - 1]) : '',
      has_next_page: hasNext,
    },
    trackings: page.map((r) => projectTracking(ctx.world.state(r).data, fields)),
  });
};
