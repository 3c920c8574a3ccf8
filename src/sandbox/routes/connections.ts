/**
 * Courier connections (REFERENCE §5.4): list with cursor + courier_slug, create (201) validated
 * against the courier's `credentials.fields`, get, PATCH credentials, delete (returns it).
 * Credentials are echoed unmasked like AfterShip's examples (masking is undocumented).
 * An unknown connection id answers 404 with meta 404 (no connection-specific code is documented).
 */
import { MAX_LIST_LIMIT } from '../../aftership/endpoints.js';
import { ApiError, invalid, isObject, ok, required } from '../http.js';
import type { CourierEntry } from '../detect.js';
import type { ConnectionRecord } from '../store.js';
import { utcIso } from '../format.js';
import { SLUG } from '../validation.js';
import type { Handler, RouteContext } from './context.js';

function readCredentials(value: unknown, courier: CourierEntry, partial: boolean): Record<string, string> {
  if (value === undefined || value === null) throw required('credentials');
  if (!isObject(value)) throw invalid('credentials');
  const known = new Set(courier.credentialFields.map((f) => f.name));
  for (const [k, v] of Object.entries(value)) {
    if (!known.has(k)) throw invalid(`credentials.${k}`, `${courier.slug} takes: ${[...known].join(', ')}.`);
    if (typeof v !== 'string' || v === '') throw invalid(`credentials.${k}`);
  }
  if (!partial) {
    for (const f of courier.credentialFields) if (f.required && value[f.name] === undefined) throw required(`credentials.${f.name}`);
  }
  return value as Record<string, string>;
}

function findOr404(ctx: RouteContext, id: string | undefined): ConnectionRecord {
  const rec = id ? ctx.store.connections.get(id) : undefined;
  if (!rec) throw new ApiError(404);
  return rec;
}

const order = (a: ConnectionRecord, b: ConnectionRecord): number => b.createdMs - a.createdMs || (b.data.id < a.data.id ? -1 : 1);

export const listConnections: Handler = (req, ctx) => {
  const q = req.query;
  const rawLimit = q.get('limit');
  if (rawLimit !== null && !/^\d+$/.test(rawLimit)) throw invalid('limit');
  const limit = rawLimit === null ? 100 : Number(rawLimit);
  if (limit < 1 || limit > MAX_LIST_LIMIT) throw invalid('limit');
  const slug = q.get('courier_slug');
  if (slug !== null && !SLUG.test(slug)) throw invalid('courier_slug');
  const all = [...ctx.store.connections.values()].filter((c) => slug === null || c.data.courier_slug === slug).sort(order);
  let start = 0;
  const cursor = q.get('cursor');
  if (cursor) {
    let after: string;
    try {
      after = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'))[1];
    } catch {
      throw invalid('cursor');
    }
    const idx = all.findIndex((c) => c.data.id === after);
    if (typeof after !== 'string') throw invalid('cursor');
    start = idx < 0 ? all.length : idx + 1;
  }
  const page = all.slice(start, start + limit);
  const hasNext = start + limit < all.length;
  const last = page[page.length - 1];
  return ok({
    pagination: {
      total: all.length,
      next_cursor: hasNext ? Buffer.from(JSON.stringify([last.createdMs, last.data.id])).toString('base64') : '',
      has_next_page: hasNext,
    },
    courier_connections: page.map((c) => structuredClone(c.data)),
  });
};

export const createConnection: Handler = (req, ctx) => {
  const body = req.body();
  if (body.courier_slug === undefined || body.courier_slug === null || body.courier_slug === '') throw required('courier_slug');
  if (typeof body.courier_slug !== 'string' || !SLUG.test(body.courier_slug)) throw new ApiError(4010);
  const courier = ctx.couriers.get(body.courier_slug);
  if (!courier) throw new ApiError(4010);
  if (!courier.credentialFields.length) throw invalid('courier_slug', `${courier.slug} does not support courier connections.`);
  const credentials = readCredentials(body.credentials, courier, false);
  const now = ctx.now();
  const rec: ConnectionRecord = {
    data: { id: ctx.newId(), courier_slug: courier.slug, credentials: { ...credentials }, created_at: utcIso(now), updated_at: utcIso(now) },
    createdMs: now,
  };
  ctx.store.connections.set(rec.data.id, rec);
  return ok(structuredClone(rec.data), 201);
};

export const getConnection: Handler = (req, ctx) => ok(structuredClone(findOr404(ctx, req.id).data));

/** PATCH merges the given credential keys into the stored ones. */
export const updateConnection: Handler = (req, ctx) => {
  const rec = findOr404(ctx, req.id);
  const courier = ctx.couriers.get(rec.data.courier_slug);
  const body = req.body();
  if (!courier) throw new ApiError(4010);
  const credentials = readCredentials(body.credentials, courier, true);
  rec.data.credentials = { ...rec.data.credentials, ...credentials };
  rec.data.updated_at = utcIso(ctx.now());
  return ok(structuredClone(rec.data));
};

export const deleteConnection: Handler = (req, ctx) => {
  const rec = findOr404(ctx, req.id);
  ctx.store.connections.delete(rec.data.id);
  return ok(structuredClone(rec.data));
};
