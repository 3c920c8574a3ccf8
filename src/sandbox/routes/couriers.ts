/** GET /couriers and POST /couriers/detect (REFERENCE §5.2, §9). */
import type { Courier } from '../../aftership/wire-types.js';
import { ApiError, invalid, ok } from '../http.js';
import { inSlugGroup, isSlugGroup, type CourierEntry } from '../detect.js';
import { isShipDate } from '../format.js';
import { SLUG, TRACKING_NUMBER } from '../validation.js';
import type { Handler } from './context.js';

const copy = (e: CourierEntry): Courier => structuredClone(e.courier);

/**
 * `active=true`: the account's selected couriers; `active=false`: the others; absent: all.
 * (`active` semantics are undocumented; this follows the old couriers vs couriers/all split.)
 * `slug` takes one slug or a comma list.
 */
export const listCouriers: Handler = (req, ctx) => {
  const active = req.query.get('active');
  if (active !== null && active !== 'true' && active !== 'false') throw invalid('active');
  const slugParam = req.query.get('slug');
  const slugs = slugParam === null ? undefined : slugParam.split(',').map((s) => s.trim()).filter(Boolean);
  if (slugs && slugs.some((s) => !SLUG.test(s))) throw invalid('slug');
  const couriers = ctx.couriers.all()
    .filter((c) => active === null || c.selected === (active === 'true'))
    .filter((c) => !slugs || slugs.includes(c.slug))
    .map(copy);
  return ok({ total: couriers.length, couriers });
};

const DETECT_STRING_FIELDS = [
  'destination_postal_code', 'tracking_account_number', 'tracking_key', 'destination_state',
  'origin_country_region', 'destination_country_region',
] as const;

/** Detection: every matching courier (ambiguous formats give several); no match is 200 with total 0. */
export const detectCourier: Handler = (req, ctx) => {
  const body = req.body();
  const n = body.tracking_number;
  if (n === undefined || n === null || n === '') throw new ApiError(4007);
  if (typeof n !== 'string' || !TRACKING_NUMBER.test(n.trim())) throw new ApiError(4005);
  if (body.slug != null && body.slug_group != null) throw invalid('slug_group', 'Use either slug or slug_group.');
  let candidates = ctx.couriers.all().filter((c) => c.selected);
  if (body.slug != null) {
    // AfterShip's own example sends ["usps,ups"]: comma strings inside the array are split.
    const raw = Array.isArray(body.slug) ? body.slug : [body.slug];
    if (raw.some((s) => typeof s !== 'string')) throw invalid('slug');
    const slugs = (raw as string[]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    for (const s of slugs) if (!SLUG.test(s) || !ctx.couriers.get(s)) throw new ApiError(4010);
    candidates = ctx.couriers.all().filter((c) => slugs.includes(c.slug));
  } else if (body.slug_group != null) {
    if (typeof body.slug_group !== 'string' || !isSlugGroup(body.slug_group)) throw invalid('slug_group');
    const group = body.slug_group;
    candidates = ctx.couriers.all().filter((c) => inSlugGroup(group, c.slug));
  }
  if (body.tracking_ship_date != null && (typeof body.tracking_ship_date !== 'string' || !isShipDate(body.tracking_ship_date))) {
    throw invalid('tracking_ship_date');
  }
  for (const f of DETECT_STRING_FIELDS) if (body[f] != null && typeof body[f] !== 'string') throw invalid(f);
  const couriers = ctx.couriers.matching(n.trim(), candidates).map(copy);
  return ok({ total: couriers.length, couriers });
};
