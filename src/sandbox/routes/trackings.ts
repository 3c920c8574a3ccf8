/** POST /trackings, GET/PUT/DELETE /trackings/:id, retrack and mark-as-completed. */
import type { MarkCompletedReason, Tracking } from '../../aftership/wire-types.js';
import { ApiError, BAD_COURIER_MESSAGES, invalid, ok, required, type JsonObject } from '../http.js';
import { inSlugGroup, isSlugGroup, type CourierEntry } from '../detect.js';
import { CUSTOM_ID, NOT_UPDATABLE, SLUG, readCreateOnly, readTrackingInput, readTrackingNumber, type TrackingInput } from '../validation.js';
import { blankTracking, recordOf, type TrackingRecord, type TrackingState } from '../tracking-model.js';
import { profileOf } from '../fixtures/courier-profiles.js';
import { completeTracking, planCreated, retrackTracking } from '../actions.js';
import { isLooseDate, utcIso } from '../format.js';
import { toSecond } from '../timing.js';
import { projectTracking, readFields } from './fields.js';
import type { Handler, RouteContext } from './context.js';

const BY_ID_FIELDS = [
  'destination_postal_code', 'tracking_ship_date', 'tracking_account_number', 'tracking_key', 'origin_country_region',
  'destination_country_region', 'destination_state', 'title', 'order_id', 'tag', 'checkpoints',
];
const LANGS = new Set('en fr fr-CA ar bg ca hr cs da nl et tl fi de el he hi hu id it ja ko lv lt ms pl pt ro ru sr sk sl es sv th tr uk vi zh-Hans zh-Hant nb'.split(' '));

function findOr404(ctx: RouteContext, id: string | undefined): TrackingRecord {
  if (!id || !CUSTOM_ID.test(id)) throw new ApiError(4015);
  const rec = ctx.store.find(id);
  if (!rec) throw new ApiError(4004);
  return rec;
}

function courierOr4010(ctx: RouteContext, slug: unknown): CourierEntry {
  if (typeof slug !== 'string' || !SLUG.test(slug)) throw new ApiError(4010);
  const c = ctx.couriers.get(slug);
  if (!c) throw new ApiError(4010);
  return c;
}

function checkFormat(c: CourierEntry, n: string, ctx: RouteContext): void {
  if (c.patterns.length && !ctx.couriers.matching(n, [c]).length) throw new ApiError(4017);
}

function checkRequired(c: CourierEntry, t: Tracking): void {
  const missing = c.requiredFields.filter((f) => {
    const v = (t as Record<string, unknown>)[f];
    return v === undefined || v === null || v === '';
  });
  if (missing.length) {
    throw new ApiError(4011, `Missing or invalid value of the required fields for this courier. Besides tracking_number, also required: ${missing.join(', ')}`);
  }
}

/** Auto-detection among the account's selected couriers (restricted to a slug group if given). */
function detectOr4012(ctx: RouteContext, n: string, group: string | undefined): CourierEntry {
  const selected = ctx.couriers.all().filter((c) => c.selected && (!group || inSlugGroup(group, c.slug)));
  const found = ctx.couriers.matching(n, selected);
  if (found.length) return found[0];
  if (group) throw new ApiError(4012, BAD_COURIER_MESSAGES.notInGroup);
  if (ctx.couriers.matching(n).length) throw new ApiError(4012, BAD_COURIER_MESSAGES.notApproved);
  throw new ApiError(4012, BAD_COURIER_MESSAGES.notRecognised);
}

function applyInput(t: Tracking, input: TrackingInput): void {
  Object.assign(t, input);
  if (input.customers) {
    t.subscribed_emails = input.customers.map((c) => c.email).filter((e): e is string => !!e);
    t.subscribed_smses = input.customers.map((c) => c.phone_number).filter((p): p is string => !!p);
  }
}

export const createTracking: Handler = (req, ctx) => {
  const body = req.body();
  const n = readTrackingNumber(body);
  if (body.id !== undefined && (typeof body.id !== 'string' || !CUSTOM_ID.test(body.id))) throw new ApiError(4015);
  if (body.slug != null && body.slug_group != null) throw invalid('slug_group', 'Use either slug or slug_group.');
  if (body.slug_group != null && (typeof body.slug_group !== 'string' || !isSlugGroup(body.slug_group))) throw invalid('slug_group');
  const input = { ...readTrackingInput(body), ...readCreateOnly(body) };
  let courier: CourierEntry;
  if (body.slug != null) {
    courier = courierOr4010(ctx, body.slug);
    checkFormat(courier, n, ctx);
  } else {
    courier = detectOr4012(ctx, n, body.slug_group as string | undefined);
  }
  if (typeof body.id === 'string' && ctx.store.find(body.id)) throw new ApiError(4003);
  if (ctx.store.findByNumber(courier.slug, n)) throw new ApiError(4003);
  const connections = [...ctx.store.connections.values()];
  let connectionId: string | null = null;
  if (body.courier_connection_id != null) {
    if (typeof body.courier_connection_id !== 'string' || !ctx.store.connections.has(body.courier_connection_id)) throw invalid('courier_connection_id');
    connectionId = body.courier_connection_id;
  } else {
    // Without an explicit connection AfterShip uses the earliest one for that carrier.
    connectionId = connections.filter((c) => c.data.courier_slug === courier.slug).sort((a, b) => a.createdMs - b.createdMs)[0]?.data.id ?? null;
  }
  const now = toSecond(ctx.now());
  const t = blankTracking();
  Object.assign(t, {
    id: typeof body.id === 'string' ? body.id : ctx.newId(), legacy_id: ctx.newLegacyId(), created_at: utcIso(now), updated_at: utcIso(now),
    tracking_number: n, slug: courier.slug, title: n, courier_connection_id: connectionId,
  });
  applyInput(t, input);
  checkRequired(courier, t);
  const profile = profileOf(courier.slug);
  if (profile) Object.assign(t, { courier_tracking_link: profile.trackingLink(n), courier_redirect_link: profile.redirectLink(n) });
  const state: TrackingState = { data: t, script: [], origin: undefined as never, destination: undefined as never, lastPlace: null, pickupMs: null };
  const rec = recordOf(state, now, { recipe: null, history: [], plan: [], world: false });
  planCreated(rec, state, now, ctx.randomSeed, courier.courier.service_from_country_regions?.[0], ctx.pendingAlertMs);
  ctx.store.insert(rec);
  ctx.schedule(rec);
  return ok(t, 201);
};

export const getTracking: Handler = (req, ctx) => {
  const rec = findOr404(ctx, req.id);
  const lang = req.query.get('lang');
  if (lang !== null && !LANGS.has(lang)) throw invalid('lang');
  // Checkpoint messages are not translated: the sandbox's carriers speak English only.
  const fields = readFields(req.query, BY_ID_FIELDS);
  return ok(projectTracking(ctx.world.state(rec).data, fields));
};

export const updateTracking: Handler = (req, ctx) => {
  const rec = findOr404(ctx, req.id);
  const body = req.body();
  for (const f of NOT_UPDATABLE) if (body[f] !== undefined) throw invalid(f, `${f} cannot be updated.`);
  const input = readTrackingInput(body);
  const t = ctx.world.state(rec).data;
  const next: Tracking = { ...t };
  applyInput(next, input);
  if (body.last_mile !== undefined) next.last_mile = body.last_mile === null ? null : readCreateOnly({ last_mile: body.last_mile }).last_mile;
  let courier = ctx.couriers.get(t.slug ?? '');
  if (body.slug !== undefined && body.slug !== t.slug) {
    courier = courierOr4010(ctx, body.slug);
    checkFormat(courier, t.tracking_number ?? '', ctx);
    if (ctx.store.findByNumber(courier.slug, t.tracking_number ?? '')) throw new ApiError(4003);
    next.slug = courier.slug;
  }
  if (courier) checkRequired(courier, next);
  ctx.world.pin(rec);
  const oldSlug = rec.slug;
  Object.assign(t, next, { updated_at: utcIso(ctx.now()) });
  if (oldSlug !== t.slug) {
    rec.slug = t.slug ?? '';
    ctx.store.reindex(rec, oldSlug);
    for (const c of t.checkpoints ?? []) c.slug = t.slug;
  }
  ctx.world.changed(rec);
  return ok(t);
};

export const deleteTracking: Handler = (req, ctx) => {
  const rec = findOr404(ctx, req.id);
  const t = ctx.world.state(rec).data;
  ctx.store.remove(rec.id);
  rec.plan = [];
  return ok(t);
};

/** AfterShip: up to 3 retracks per tracking (OAS); the 4016 message says "once" (REFERENCE §5.1). */
export const MAX_RETRACKS = 3;

export const retrackTrackingRoute: Handler = (req, ctx) => {
  const rec = findOr404(ctx, req.id);
  if (rec.summary.active) throw new ApiError(4013);
  if (rec.retracks >= MAX_RETRACKS) throw new ApiError(4016);
  const state = ctx.world.pin(rec);
  retrackTracking(rec, state, ctx.now(), ctx.randomSeed);
  ctx.world.changed(rec);
  ctx.schedule(rec);
  return ok(state.data);
};

const REASONS: readonly MarkCompletedReason[] = ['DELIVERED', 'LOST', 'RETURNED_TO_SENDER'];

export const markCompleted: Handler = (req, ctx) => {
  const rec = findOr404(ctx, req.id);
  const body: JsonObject = req.body();
  if (body.reason === undefined || body.reason === null || body.reason === '') throw required('reason');
  if (typeof body.reason !== 'string' || !REASONS.includes(body.reason as MarkCompletedReason)) throw invalid('reason');
  const when = body.event_datetime;
  if (when !== undefined && when !== null && (typeof when !== 'string' || !isLooseDate(when))) throw invalid('event_datetime');
  const state = ctx.world.pin(rec);
  const tagChanged = completeTracking(rec, state, body.reason as MarkCompletedReason, ctx.now(), (when as string | null | undefined) ?? undefined);
  ctx.world.changed(rec);
  ctx.emitUpdate(state.data, tagChanged);
  return ok(state.data);
};
