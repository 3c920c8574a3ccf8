/**
 * `deliveryStats`: delivery analytics over the account's replicated trackings (src/analytics),
 * computed in memory from the replica, never from AfterShip: it declares `cost: { calls: 0 }` and
 * its resolvers have no path to the client. Figures are computed per group when selected.
 */
import type { TagName } from '../aftership/wire-types.js';
import {
  checkFilter,
  deliveryStats,
  DIMENSIONS,
  MAX_FILTER_VALUES,
  type Coverage,
  type DeliveryStats,
  type DeliveryStatsFilter,
  type Group,
  type GroupFigures,
  type Stretch,
  type TimeRange,
} from '../analytics/index.js';
import { ENUMERATE_TRACKINGS } from '../auth/scope-guard.js';
import { builder } from './builder.js';
import { ShipmentDirection, TagEnum } from './enums.js';

/** Groups one answer may list, and its default. */
export const MAX_STATS_GROUPS = 1000;
export const DEFAULT_STATS_GROUPS = 100;
/** Exception subtags listed per group (AfterShip has 21). */
const MAX_EXCEPTION_SUBTAGS = 30;
const MAX_STRETCHES = 20;

const TimeRangeInput = builder.inputType('TimeRange', {
  description: 'Instants from `from` (included) to `to` (excluded); either end may be left open.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', description: 'At or after this instant.' }),
    to: t.field({ type: 'DateTime', description: 'Before this instant.' }),
  }),
});

const DeliveryStatsFilterInput = builder.inputType('DeliveryStatsFilter', {
  description: `Which replicated trackings \`deliveryStats\` covers. Every field is optional; given fields must all match; lists (at most ${MAX_FILTER_VALUES} values) match any of their values. The same filter is taken by the exports as query parameters.`,
  fields: (t) => ({
    createdAt: t.field({ type: TimeRangeInput, description: 'Added to AfterShip in this range (`created_at`).' }),
    shippedAt: t.field({ type: TimeRangeInput, description: 'Picked up by the courier in this range (`shipment_pickup_date`); trackings not picked up never match.' }),
    deliveredAt: t.field({ type: TimeRangeInput, description: 'Delivered in this range (`shipment_delivery_date`); trackings not delivered never match.' }),
    slugs: t.stringList({ description: 'Courier slug is one of these, e.g. `["ups", "fedex"]`.' }),
    originCountryRegions: t.stringList({ description: 'Origin country/region is one of these (ISO alpha-3, e.g. `USA`).' }),
    destinationCountryRegions: t.stringList({
      description: 'Destination country/region is one of these (ISO alpha-3): the merchant\'s, else the one the courier reports.',
    }),
    tags: t.field({ type: [TagEnum], description: 'Current main status is one of these.' }),
    shipmentTags: t.stringList({ description: 'Carries one of these shipment tags.' }),
    shipmentDirection: t.field({ type: ShipmentDirection.ref, description: 'Forward shipments or returns (a tracking without a direction is forward).' }),
  }),
});

const DIMENSION_DESCRIPTIONS: Record<(typeof DIMENSIONS)[number], string> = {
  COURIER: 'By courier slug.',
  ORIGIN_COUNTRY: 'By origin country/region.',
  DESTINATION_COUNTRY: 'By destination country/region (the merchant\'s, else the courier\'s).',
  TAG: 'By current main status.',
  SHIPMENT_TAG: 'By shipment tag: a tracking with several is in each of their groups; one with none is in the group whose `shipmentTag` is null.',
  DAY: 'By the UTC day the tracking was added (`created_at`).',
  WEEK: 'By the ISO week (from Monday, UTC) the tracking was added (`created_at`).',
};

const DimensionEnum = builder.enumType('DeliveryStatsDimension', {
  description: 'What `deliveryStats` groups by. A tracking without a value (no origin, say) is in a group whose key has null there.',
  values: Object.fromEntries(DIMENSIONS.map((d) => [d, { value: d, description: DIMENSION_DESCRIPTIONS[d] }])) as Record<
    (typeof DIMENSIONS)[number],
    { value: (typeof DIMENSIONS)[number]; description: string }
  >,
});

const CoverageRef = builder.objectRef<Coverage>('DeliveryStatsCoverage').implement({
  description: 'Which window of the account an answer covers, so a figure is never silently partial.',
  fields: (t) => ({
    complete: t.exposeBoolean('complete', { nullable: false,
      description: 'True when the replica holds every tracking of the account updated between `from` and `to`; false while its warm-up runs, after the replica was capped, or after a failed list pass.',
    }),
    trackings: t.exposeInt('trackings', { nullable: false, description: 'Trackings the replica holds (before the filter).' }),
    from: t.field({ nullable: false, type: 'DateTime', description: 'Start of the window (by `updated_at`).', resolve: (c) => c.from }),
    to: t.field({ nullable: false, type: 'DateTime', description: 'Up to when changes are known: now while webhooks flow, else the start of the last list pass.', resolve: (c) => c.to }),
    asOf: t.field({ nullable: false, type: 'DateTime', description: 'When this coverage was taken.', resolve: (c) => c.asOf }),
  }),
});

const KeyRef = builder.objectRef<Group['key']>('DeliveryStatsKey').implement({
  description: 'The values of the grouped dimensions; dimensions not grouped by are null, as are values a tracking does not have.',
  fields: (t) => ({
    courierSlug: t.string({ nullable: true, description: 'COURIER.', resolve: (k) => k.COURIER ?? null }),
    originCountryRegion: t.string({ nullable: true, description: 'ORIGIN_COUNTRY (ISO alpha-3).', resolve: (k) => k.ORIGIN_COUNTRY ?? null }),
    destinationCountryRegion: t.string({ nullable: true, description: 'DESTINATION_COUNTRY (ISO alpha-3).', resolve: (k) => k.DESTINATION_COUNTRY ?? null }),
    tag: t.field({ type: TagEnum, nullable: true, description: 'TAG.', resolve: (k) => (k.TAG ?? null) as TagName | null }),
    shipmentTag: t.string({ nullable: true, description: 'SHIPMENT_TAG.', resolve: (k) => k.SHIPMENT_TAG ?? null }),
    day: t.string({ nullable: true, description: 'DAY: `YYYY-MM-DD` (UTC).', resolve: (k) => k.DAY ?? null }),
    week: t.string({ nullable: true, description: 'WEEK: the Monday it starts, `YYYY-MM-DD` (UTC).', resolve: (k) => k.WEEK ?? null }),
  }),
});

const TagCountRef = builder.objectRef<{ key: TagName; count: number }>('TagCount').implement({
  description: 'How many trackings have a main status.',
  fields: (t) => ({
    tag: t.field({ nullable: false, type: TagEnum, description: 'The main status.', resolve: (c) => c.key }),
    count: t.exposeInt('count', { nullable: false, description: 'Trackings.' }),
  }),
});

const SubtagCountRef = builder.objectRef<{ key: string; count: number }>('SubtagCount').implement({
  description: 'How many trackings went through a subtag.',
  fields: (t) => ({
    subtag: t.string({ nullable: false, description: 'AfterShip\'s subtag, e.g. `Exception_004`.', resolve: (c) => c.key }),
    count: t.exposeInt('count', { nullable: false, description: 'Trackings (each once per subtag).' }),
  }),
});

const TransitDaysRef = builder.objectRef<GroupFigures['transitDays']>('TransitDays').implement({
  description: 'Days (fractional) from pickup (`shipment_pickup_date`) to delivery (`shipment_delivery_date`) of delivered trackings; percentiles by nearest rank. Null when none was measured.',
  fields: (t) => ({
    measured: t.exposeInt('measured', { nullable: false, description: 'Delivered trackings with both dates.' }),
    p50: t.exposeFloat('p50', { nullable: true, description: 'Median.' }),
    p90: t.exposeFloat('p90', { nullable: true, description: '90th percentile.' }),
    max: t.exposeFloat('max', { nullable: true, description: 'Slowest.' }),
  }),
});

const StretchRef = builder.objectRef<Stretch>('CheckpointStretch').implement({
  description: 'Time between two consecutive checkpoints of delivered trackings (from pickup to delivery), by the subtags at either end.',
  fields: (t) => ({
    fromSubtag: t.exposeString('fromSubtag', { nullable: false, description: 'Subtag of the checkpoint it starts at.' }),
    toSubtag: t.exposeString('toSubtag', { nullable: false, description: 'Subtag of the next checkpoint.' }),
    count: t.exposeInt('count', { nullable: false, description: 'Times this stretch was measured.' }),
    meanHours: t.exposeFloat('meanHours', { nullable: false, description: 'Mean duration, hours.' }),
    maxHours: t.exposeFloat('maxHours', { nullable: false, description: 'Longest duration, hours.' }),
  }),
});

const GroupRef = builder.objectRef<Group>('DeliveryStatsGroup').implement({
  description: 'The figures of one group of trackings. Each is computed when selected.',
  fields: (t) => ({
    key: t.field({ nullable: false, type: KeyRef, description: 'The group\'s dimension values.', resolve: (g) => g.key }),
    count: t.int({ nullable: false, description: 'Trackings in the group.', resolve: (g) => g.figures.count }),
    countByTag: t.field({ nullable: false, type: [TagCountRef], listSize: 9, description: 'Trackings by current main status (statuses with none are left out).', resolve: (g) => g.figures.countByTag }),
    delivered: t.int({ nullable: false, description: 'Trackings delivered (current status `DELIVERED`).', resolve: (g) => g.figures.delivered }),
    transitDays: t.field({ nullable: false, type: TransitDaysRef, description: 'Pickup to delivery, in days.', resolve: (g) => g.figures.transitDays }),
    onTimeRate: t.float({
      nullable: true,
      description:
        'Share (0 to 1) of delivered trackings that arrived on or before the first promise: the merchant\'s `orderPromisedDeliveryDate` when given (its date, or the end of its range), else the first estimate AfterShip recorded (`firstEstimatedDelivery`, its date or the end of its range). The delivery\'s local day is compared. Null when none could be measured.',
      resolve: (g) => g.figures.onTime.rate,
    }),
    onTimeMeasured: t.int({ nullable: false, description: 'Delivered trackings `onTimeRate` measured (those with a promise or estimate).', resolve: (g) => g.figures.onTime.measured }),
    eddAccuracy: t.float({
      nullable: true,
      description: 'Share (0 to 1) of delivered trackings whose delivery day is within ±1 day of AfterShip\'s estimate (`aftershipEstimatedDeliveryDate`, the latest it made). Null when none could be measured.',
      resolve: (g) => g.figures.eddAccuracy.rate,
    }),
    eddMeasured: t.int({ nullable: false, description: 'Delivered trackings with an AfterShip estimate (what `eddAccuracy` measured).', resolve: (g) => g.figures.eddAccuracy.measured }),
    exceptions: t.field({
      nullable: false,
      type: [SubtagCountRef],
      listSize: MAX_EXCEPTION_SUBTAGS,
      description: `Trackings that went through each exception subtag (current or in their checkpoints), most frequent first (at most ${MAX_EXCEPTION_SUBTAGS}).`,
      resolve: (g) => g.figures.exceptions.slice(0, MAX_EXCEPTION_SUBTAGS),
    }),
    failedAttempts: t.int({ nullable: false, description: 'Failed delivery attempts, summed (AfterShip\'s `failed_delivery_attempts`).', resolve: (g) => g.figures.failedAttempts.attempts }),
    trackingsWithFailedAttempts: t.int({ nullable: false, description: 'Trackings with at least one failed delivery attempt.', resolve: (g) => g.figures.failedAttempts.trackings }),
    slowestStretches: t.field({
      nullable: false,
      type: [StretchRef],
      listSize: { max: MAX_STRETCHES, arg: 'first' },
      description: 'The slowest stretches between consecutive checkpoints (slowest mean first): where parcels wait.',
      args: { first: t.arg.int({ defaultValue: 3, description: `How many, 1 to ${MAX_STRETCHES} (default 3).` }) },
      resolve: (g, args) => g.figures.stretches.slice(0, Math.min(MAX_STRETCHES, Math.max(1, args.first ?? 3))),
    }),
  }),
});

const StatsRef = builder.objectRef<DeliveryStats>('DeliveryStats').implement({
  description: 'Delivery statistics over the replicated trackings, with the window they cover.',
  fields: (t) => ({
    coverage: t.field({ nullable: false, type: CoverageRef, description: 'Which window of the account this answer covers.', resolve: (s) => s.coverage }),
    matched: t.int({ nullable: false, description: 'Trackings that matched the filter.', resolve: (s) => s.matched }),
    groupCount: t.int({ nullable: false, description: 'How many groups there are in all (`groups` lists the largest).', resolve: (s) => s.groups.length }),
    groups: t.field({
      nullable: false,
      type: [GroupRef],
      listSize: { max: MAX_STATS_GROUPS, arg: 'first' },
      description: `The groups, largest first (ties in key order), ${DEFAULT_STATS_GROUPS} by default.`,
      args: { first: t.arg.int({ defaultValue: DEFAULT_STATS_GROUPS, description: `How many groups, 1 to ${MAX_STATS_GROUPS}.` }) },
      resolve: (s, args) => s.groups.slice(0, Math.min(MAX_STATS_GROUPS, Math.max(1, args.first ?? DEFAULT_STATS_GROUPS))),
    }),
  }),
});

type RangeShape = { from?: Date | null; to?: Date | null } | null | undefined;
const range = (r: RangeShape): TimeRange | undefined => (r ? { from: r.from?.getTime() ?? null, to: r.to?.getTime() ?? null } : undefined);

/** The GraphQL filter as the analytics module's. */
export function toStatsFilter(f: typeof DeliveryStatsFilterInput.$inferInput | null | undefined): DeliveryStatsFilter | undefined {
  if (!f) return undefined;
  return {
    createdAt: range(f.createdAt),
    shippedAt: range(f.shippedAt),
    deliveredAt: range(f.deliveredAt),
    slugs: f.slugs,
    originCountryRegions: f.originCountryRegions,
    destinationCountryRegions: f.destinationCountryRegions,
    tags: f.tags,
    shipmentTags: f.shipmentTags,
    shipmentDirection: f.shipmentDirection,
  };
}

builder.queryFields((t) => ({
  deliveryStats: t.field({
    type: StatsRef,
    nullable: false,
    // Computed from the replica in memory: never an AfterShip call.
    cost: { calls: 0 },
    // Account-wide, like `trackings`: not for a lookup-only token (a public page's).
    authScopes: { $all: { 'aftership:tracking:read': true, [ENUMERATE_TRACKINGS]: true } },
    description:
      'Delivery statistics (carrier performance, transit times, on-time rate, estimate accuracy, exceptions) over the trackings the gateway replicates, grouped as asked. Costs no AfterShip call; `coverage` says which window of the account the answer covers.',
    args: {
      filter: t.arg({ type: DeliveryStatsFilterInput, description: 'Only trackings matching this.' }),
      groupBy: t.arg({ type: [DimensionEnum], description: 'Dimensions to group by, each at most once; none: one group of everything.' }),
    },
    resolve: async (_root, args, ctx) => {
      const filter = toStatsFilter(args.filter);
      checkFilter(filter, 'filter.');
      // Every account has a replica; a context built without one is a wiring mistake, not an empty account.
      if (!ctx.replica) throw new Error('deliveryStats: this context has no replica');
      return deliveryStats(ctx.replica, filter, args.groupBy);
    },
  }),
}));
