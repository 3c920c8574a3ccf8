/**
 * GET /trackings: every documented filter (REFERENCE §5.1), newest first, cursor paging.
 * The cursor is base64 of `[created_at ms, id]` like AfterShip's example: a keyset, so pages stay
 * stable while trackings are added. Dates must be `YYYY-MM-DDTHH:mm:ss+HH:MM` (400 otherwise, as
 * since 2025-01; a `+` sent unescaped arrives as a space and is refused too).
 */
import { MAX_LIST_LIMIT, MAX_TRACKING_NUMBERS_PER_LIST } from '../../aftership/endpoints.js';
import { TAGS, type Tracking } from '../../aftership/wire-types.js';
import { invalid, ok } from '../http.js';
import { parseStrictDatetime, DAY_MS } from '../format.js';
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
  return Buffer.from(JSON.stringify([rec.createdMs, rec.data.id])).toString('base64');
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

/** Newest first; ties broken by id, descending. */
const order = (a: TrackingRecord, b: TrackingRecord): number =>
  b.createdMs - a.createdMs || ((b.data.id ?? '') < (a.data.id ?? '') ? -1 : (b.data.id ?? '') > (a.data.id ?? '') ? 1 : 0);

function keywordHit(t: Tracking, kw: string): boolean {
  const hay = [
    t.tracking_number, t.title, t.order_id,
    ...(t.customers ?? []).flatMap((c) => [c.name, c.email, c.phone_number]),
    ...Object.values(t.custom_fields ?? {}),
  ];
  return hay.some((h) => typeof h === 'string' && h.toLowerCase().includes(kw));
}

function buildFilters(q: URLSearchParams, now: number): Filter[] {
  const f: Filter[] = [];
  const numbers = list(q, 'tracking_numbers');
  if (numbers) {
    if (numbers.length > MAX_TRACKING_NUMBERS_PER_LIST) throw invalid('tracking_numbers', `At most ${MAX_TRACKING_NUMBERS_PER_LIST} tracking numbers.`);
    const set = new Set(numbers.map((n) => n.toUpperCase()));
    f.push((r) => set.has((r.data.tracking_number ?? '').toUpperCase()));
  }
  const keyword = q.get('keyword');
  if (keyword !== null && keyword.trim()) f.push((r) => keywordHit(r.data, keyword.trim().toLowerCase()));
  const slugs = list(q, 'slug', /^[a-z0-9-]+$/);
  if (slugs) f.push((r) => slugs.includes(r.data.slug ?? ''));
  const transit = q.get('transit_time');
  if (transit !== null) {
    if (!/^\d+$/.test(transit)) throw invalid('transit_time');
    f.push((r) => r.data.transit_time === Number(transit));
  }
  for (const [param, field] of [['origin', 'origin_country_region'], ['destination', 'destination_country_region'], ['courier_destination_country_region', 'courier_destination_country_region']] as const) {
    const codes = list(q, param, /^[A-Z]{3}$/);
    if (codes) f.push((r) => codes.includes(r.data[field] ?? ''));
  }
  // `tag` is documented as one tag; a comma list is accepted too (REFERENCE §11 leaves it open).
  const tags = list(q, 'tag', /^[A-Za-z]+$/);
  if (tags) {
    if (tags.some((t) => !(TAGS as readonly string[]).includes(t))) throw invalid('tag');
    f.push((r) => tags.includes(r.data.tag ?? ''));
  }
  const createdMin = dateParam(q, 'created_at_min') ?? now - 120 * DAY_MS; // AfterShip keeps 120 days
  const createdMax = dateParam(q, 'created_at_max') ?? now;
  if (createdMin > createdMax) throw invalid('created_at_min', 'created_at_min must not be after created_at_max.');
  f.push((r) => r.createdMs >= createdMin && r.createdMs <= createdMax + 999);
  const updatedMin = dateParam(q, 'updated_at_min');
  const updatedMax = dateParam(q, 'updated_at_max');
  if (updatedMin !== undefined && updatedMax !== undefined && updatedMin > updatedMax) throw invalid('updated_at_min');
  if (updatedMin !== undefined || updatedMax !== undefined) {
    f.push((r) => {
      const u = Date.parse(r.data.updated_at ?? '');
      return (updatedMin === undefined || u >= updatedMin) && (updatedMax === undefined || u <= updatedMax);
    });
  }
  const rts = list(q, 'return_to_sender', /^(true|false)$/);
  if (rts) f.push((r) => rts.includes(String(r.data.return_to_sender === true)));
  const stags = list(q, 'shipment_tags');
  if (stags) f.push((r) => (r.data.shipment_tags ?? []).some((t) => stags.includes(t)));
  const orderIds = list(q, 'order_id');
  if (orderIds) f.push((r) => orderIds.includes(r.data.order_id ?? ''));
  return f;
}

export const listTrackings: Handler = (req, ctx) => {
  const q = req.query;
  const rawLimit = q.get('limit');
  if (rawLimit !== null && !/^\d+$/.test(rawLimit)) throw invalid('limit');
  const limit = rawLimit === null ? 100 : Number(rawLimit);
  if (limit < 1 || limit > MAX_LIST_LIMIT) throw invalid('limit', `limit must be between 1 and ${MAX_LIST_LIMIT}.`);
  const fields = readFields(q, ['title', 'order_id', 'tag', 'checkpoints']);
  const filters = buildFilters(q, ctx.now());
  const matches = ctx.store.records().filter((r) => filters.every((f) => f(r))).sort(order);
  let start = 0;
  const cursor = q.get('cursor');
  if (cursor) {
    const [ms, id] = decodeCursor(cursor);
    start = matches.findIndex((r) => r.createdMs < ms || (r.createdMs === ms && (r.data.id ?? '') < id));
    if (start < 0) start = matches.length;
  }
  const page = matches.slice(start, start + limit);
  const hasNext = start + limit < matches.length;
  return ok({
    pagination: { total: matches.length, next_cursor: hasNext ? encodeCursor(page[page.length - 1]) : '', has_next_page: hasNext },
    trackings: page.map((r) => projectTracking(r.data, fields)),
  });
};
