/**
 * Root queries over trackings. `trackings` maps a Relay connection onto AfterShip's cursor
 * pagination (paging.ts): edge cursors are our own `gw1:` cursors, resumable with one call, and carry
 * each tracking's place in the list order, so a page the warm replica answers exactly
 * (src/replica/list.ts) and one AfterShip answers continue each other.
 */
import type { GetTrackingsQuery, Tracking } from '../aftership/wire-types.js';
import { MAX_LIST_LIMIT, MAX_TRACKING_NUMBERS_PER_LIST } from '../aftership/endpoints.js';
import type { GraphQLContext } from '../context.js';
import { ENUMERATE_TRACKINGS } from '../auth/scope-guard.js';
import { builder } from './builder.js';
import { TagEnum } from './enums.js';
import { InvalidInputError } from './error-mapping.js';
import { rawId } from './ids.js';
import { DEFAULT_PAGE_SIZE } from './limits.js';
import { resolvePage, type PageArgs } from './paging.js';
import { compareKeys, keyOf as listKeyOf } from '../replica/list.js';
import { toAfterShipDateTime } from './scalars.js';
import { TrackingRef } from './tracking.js';

const TrackingFilter = builder.inputType('TrackingFilter', {
  description:
    'Narrows `trackings`. Every field is optional; given fields must all match. Lists match any of their values. ' +
    'The warm replica evaluates every field exactly as AfterShip does but `keyword` (AfterShip\'s own free-text search): a filter with a keyword is always asked of AfterShip.',
  fields: (t) => ({
    tags: t.field({ type: [TagEnum], description: 'Current main status is one of these.' }),
    slugs: t.stringList({ description: 'Courier slug is one of these, e.g. `["ups", "fedex"]`.' }),
    keyword: t.string({
      description: 'Free text found in the tracking number, title, order id, customer name/e-mail/phone or custom fields. Always asked of AfterShip (never answered from the warm replica).',
    }),
    trackingNumbers: t.stringList({ description: `Tracking number is one of these (at most ${MAX_TRACKING_NUMBERS_PER_LIST}).` }),
    orderIds: t.stringList({ description: 'The merchant\'s order id is one of these.' }),
    shipmentTags: t.stringList({ description: 'Carries one of these shipment tags.' }),
    originCountryRegions: t.stringList({ description: 'Origin country/region (`origin.countryRegion`) is one of these (ISO alpha-3, e.g. `USA`).' }),
    destinationCountryRegions: t.stringList({ description: 'Destination country/region (`destination.countryRegion`) is one of these (ISO alpha-3).' }),
    courierDestinationCountryRegions: t.stringList({
      description: 'Destination as the courier reports it (`courierDestinationCountryRegion`) is one of these (ISO alpha-3).',
    }),
    returnToSender: t.boolean({ description: 'True: only shipments going back to the sender; false: only the others.' }),
    transitTime: t.int({ description: 'Transit time is exactly this many days.' }),
    createdAtMin: t.field({ type: 'DateTime', description: 'Added at or after this instant (AfterShip keeps 120 days; default: 120 days ago).' }),
    createdAtMax: t.field({ type: 'DateTime', description: 'Added at or before this instant (default: now).' }),
    updatedAtMin: t.field({ type: 'DateTime', description: 'Last changed at or after this instant.' }),
    updatedAtMax: t.field({ type: 'DateTime', description: 'Last changed at or before this instant.' }),
  }),
});

type FilterShape = typeof TrackingFilter.$inferInput;

const ALPHA3_LIST = /^[A-Z]{3}$/;

/** The filter as AfterShip's GET /trackings query (comma lists, `YYYY-MM-DDTHH:mm:ss+00:00` dates). */
export function toTrackingsQuery(filter: FilterShape | null | undefined): GetTrackingsQuery {
  const q: GetTrackingsQuery = {};
  if (!filter) return q;
  const list = (values: readonly string[] | null | undefined, name: string, check?: RegExp): string | undefined => {
    if (!values || values.length === 0) return undefined;
    for (const v of values) {
      if (!v || v.includes(',')) throw new InvalidInputError(`filter.${name}: values must be non-empty and contain no commas.`, `filter.${name}`);
      if (check && !check.test(v)) throw new InvalidInputError(`filter.${name}: ${JSON.stringify(v)} is not an ISO 3166-1 alpha-3 code (e.g. USA).`, `filter.${name}`);
    }
    return values.join(',');
  };
  if (filter.trackingNumbers && filter.trackingNumbers.length > MAX_TRACKING_NUMBERS_PER_LIST) {
    throw new InvalidInputError(`filter.trackingNumbers takes at most ${MAX_TRACKING_NUMBERS_PER_LIST} numbers.`, 'filter.trackingNumbers');
  }
  // AfterShip documents `tag` as one value; several are sent comma-separated (undocumented, see REFERENCE §5.1).
  const tag = list(filter.tags, 'tags');
  const entries: [keyof GetTrackingsQuery, string | number | undefined][] = [
    ['tag', tag],
    ['slug', list(filter.slugs, 'slugs')],
    ['keyword', filter.keyword?.trim() || undefined],
    ['tracking_numbers', list(filter.trackingNumbers, 'trackingNumbers')],
    ['order_id', list(filter.orderIds, 'orderIds')],
    ['shipment_tags', list(filter.shipmentTags, 'shipmentTags')],
    ['origin', list(filter.originCountryRegions, 'originCountryRegions', ALPHA3_LIST)],
    ['destination', list(filter.destinationCountryRegions, 'destinationCountryRegions', ALPHA3_LIST)],
    ['courier_destination_country_region', list(filter.courierDestinationCountryRegions, 'courierDestinationCountryRegions', ALPHA3_LIST)],
    ['return_to_sender', filter.returnToSender === null || filter.returnToSender === undefined ? undefined : String(filter.returnToSender)],
    ['transit_time', filter.transitTime ?? undefined],
    ['created_at_min', filter.createdAtMin ? toAfterShipDateTime(filter.createdAtMin) : undefined],
    ['created_at_max', filter.createdAtMax ? toAfterShipDateTime(filter.createdAtMax) : undefined],
    ['updated_at_min', filter.updatedAtMin ? toAfterShipDateTime(filter.updatedAtMin) : undefined],
    ['updated_at_max', filter.updatedAtMax ? toAfterShipDateTime(filter.updatedAtMax) : undefined],
  ];
  for (const [key, value] of entries) if (value !== undefined) (q as Record<string, string | number>)[key] = value;
  if (filter.createdAtMin && filter.createdAtMax && filter.createdAtMin > filter.createdAtMax) {
    throw new InvalidInputError('filter.createdAtMin is after filter.createdAtMax.', 'filter.createdAtMin');
  }
  return q;
}

export const TrackingConnection = builder.connectionObject(
  {
    type: TrackingRef,
    name: 'TrackingConnection',
    description: 'A page of trackings.',
    fields: (t) => ({
      totalCount: t.int({
        nullable: false,
        description: 'How many trackings match the filter in all pages.',
        resolve: (c) => (c as unknown as { totalCount: number }).totalCount,
      }),
    }),
  },
  { name: 'TrackingEdge', description: 'A tracking in a page.' },
);

/** AfterShip's page size when resuming after a key: room for trackings created in the key's second before it. */
const TIE_ROOM = 50;
/** Calls one resumption after a key may make when a second holds more trackings than a page. */
const MAX_KEY_CALLS = 3;

async function trackingsPage(ctx: GraphQLContext, args: PageArgs, filter: FilterShape | null | undefined) {
  const query = toTrackingsQuery(filter);
  // A list page carries whole trackings: prime the cache so follow-up lookups cost nothing.
  const prime = (list: Tracking[]): Tracking[] => list.map((tr) => ctx.loaders.primeTracking(tr));
  return resolvePage<Tracking>(
    args,
    DEFAULT_PAGE_SIZE,
    MAX_LIST_LIMIT,
    async (cursor, limit) => {
      const page = await ctx.client.listTrackings({ ...query, limit, ...(cursor ? { cursor } : {}) });
      return { items: prime(page.trackings), total: page.pagination.total, nextCursor: page.pagination.next_cursor, hasNextPage: page.pagination.has_next_page };
    },
    {
      keyOf: listKeyOf,
      // Exact pages from the warm replica cost no call (src/replica/list.ts says when they are exact).
      local: ctx.replicaLists ? (from, limit) => ctx.replicaLists!.page(query, from, limit) : undefined,
      // A cursor from a replica page, while the replica cannot answer: AfterShip from the key's second down.
      async afterKey(key, limit) {
        const max = query.created_at_max ? Math.min(Date.parse(query.created_at_max), key.createdMs) : key.createdMs;
        if (query.created_at_min && Date.parse(query.created_at_min) > max) return { items: [], total: (key.index ?? -1) + 1, hasNextPage: false };
        const q: GetTrackingsQuery = { ...query, created_at_max: toAfterShipDateTime(new Date(Math.floor(max / 1000) * 1000)) };
        const items: Tracking[] = [];
        let total = 0;
        let dropped = 0;
        let hasNext = false;
        let cursor: string | undefined;
        for (let calls = 0; calls < MAX_KEY_CALLS; calls++) {
          const page = await ctx.client.listTrackings({ ...q, limit: Math.min(MAX_LIST_LIMIT, limit + TIE_ROOM), ...(cursor ? { cursor } : {}) });
          if (calls === 0) total = page.pagination.total;
          for (const t of page.trackings) {
            const k = listKeyOf(t);
            // The key itself and those of its second before it in AfterShip's order.
            if (!k || compareKeys(k, key) >= 0) dropped++;
            else items.push(t);
          }
          hasNext = page.pagination.has_next_page;
          cursor = page.pagination.next_cursor;
          if (items.length > 0 || !hasNext || !cursor) break;
        }
        const kept = prime(items.slice(0, limit));
        const before = key.index !== undefined ? key.index + 1 : 0;
        return { items: kept, ...(key.index !== undefined ? { index: key.index + 1 } : {}), total: before + total - dropped, hasNextPage: items.length > limit || hasNext };
      },
    },
  );
}

builder.queryFields((t) => ({
  tracking: t.field({
    type: TrackingRef,
    cost: { calls: 1 },
    // Ids can be guessable (legacy ids, merchant-chosen ids): not for a lookup-only token.
    authScopes: { $all: { 'aftership:tracking:read': true, [ENUMERATE_TRACKINGS]: true } },
    description: 'One tracking by its global ID or AfterShip id (legacy ids work too); null when it does not exist.',
    args: { id: t.arg.id({ required: true, description: 'Global ID (from `Tracking.id`) or AfterShip id (`Tracking.aftershipId`).' }) },
    resolve: async (_root, args, ctx) => {
      return ctx.loaders.trackingById.load(rawId('Tracking', String(args.id)));
    },
  }),
  trackingByNumber: t.field({
    type: TrackingRef,
    // Lookups of the whole operation merge into GET /trackings?tracking_numbers= calls (client batcher).
    cost: { batch: 'GET /trackings?tracking_numbers', size: MAX_TRACKING_NUMBERS_PER_LIST },
    authScopes: { 'aftership:tracking:read': true },
    description:
      'One tracking by tracking number (and courier slug, when several couriers share the number); null when it does not exist. Many lookups in one query are merged into few AfterShip calls.',
    args: {
      trackingNumber: t.arg.string({ required: true, description: 'The courier\'s tracking number.' }),
      slug: t.arg.string({ description: 'Courier slug, to pick one when several trackings share the number.' }),
    },
    resolve: async (_root, args, ctx) => {
      const trackingNumber = args.trackingNumber.trim();
      if (!trackingNumber) throw new InvalidInputError('trackingNumber must not be empty.', 'trackingNumber');
      return ctx.loaders.trackingByNumber.load({ trackingNumber, slug: args.slug?.trim() || undefined });
    },
  }),
  trackings: t.field({
    type: TrackingConnection,
    cost: { calls: 1, pageSize: DEFAULT_PAGE_SIZE, limits: { first: MAX_LIST_LIMIT, 'filter.trackingNumbers': MAX_TRACKING_NUMBERS_PER_LIST } },
    authScopes: { $all: { 'aftership:tracking:read': true, [ENUMERATE_TRACKINGS]: true } },
    nullable: false,
    description:
      `Trackings of the account, newest first (by creation, then id), ${DEFAULT_PAGE_SIZE} per page by default (at most ${MAX_LIST_LIMIT}). ` +
      'One AfterShip call per page, or none when the warm replica answers the page exactly: its coverage is complete and current ' +
      '(a full list pass done, nothing evicted since, webhooks flowing), the filter has no `keyword`, and its dates reach no further back ' +
      'than the replica\'s window (`REPLICA_WINDOW_DAYS`): the later of `createdAtMin` and `updatedAtMin`, 120 days ago when neither is given, ' +
      'so an unbounded list is exact only with a 120-day window. Otherwise (warming, webhooks quiet, replica full or off) AfterShip is asked. ' +
      'Cursors continue a list whichever of the two answered the previous page. A tracking created outside the gateway shows in replica pages ' +
      'within `REPLICA_SYNC_INTERVAL_MS` (AfterShip sends no webhook before its first status).',
    args: {
      first: t.arg.int({ description: `Page size, 1 to ${MAX_LIST_LIMIT} (default ${DEFAULT_PAGE_SIZE}).` }),
      after: t.arg.string({ description: 'Continue after this cursor: `pageInfo.endCursor` of the previous page, or any edge\'s `cursor`.' }),
      filter: t.arg({ type: TrackingFilter, description: 'Only trackings matching this.' }),
    },
    resolve: async (_root, args, ctx) => {
      return trackingsPage(ctx, args, args.filter);
    },
  }),
}));
