/**
 * Subscriptions: live tracking changes, pushed by AfterShip webhooks (or found by polling when
 * webhooks are off). Served over graphql-ws on the GraphQL path and over SSE
 * (`Accept: text/event-stream`). Each change is computed once by the realtime layer; these
 * resolvers only pick fields from it.
 */
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { ENUMERATE_TRACKINGS } from '../auth/scope-guard.js';
import { TRACKING_EVENT_KINDS, type TrackingChange, type TrackingEventKind } from '../realtime/events.js';
import type { RealtimePubSub } from '../realtime/pubsub.js';
import { resumeEvents } from '../realtime/resume.js';
import { builder } from './builder.js';
import { CheckpointRef } from './checkpoint.js';
import { TagEnum, tagOrNull } from './enums.js';
import { EstimatedDeliveryRef } from './estimated-delivery.js';
import { rawId } from './ids.js';
import { LIST_SIZES, MAX_WATCHED_TRACKINGS } from './limits.js';
import { TrackingRef } from './tracking.js';

const KIND_DESCRIPTIONS: Record<TrackingEventKind, string> = {
  STATUS_CHANGED: 'The tag or subtag changed.',
  NEW_CHECKPOINT: 'The courier reported one or more new checkpoints.',
  EDD_REVISED: 'The estimated delivery changed (or AfterShip sent an `edd_revise` event).',
  DELIVERY_EXCEPTION: 'A delivery problem: the tracking moved to `EXCEPTION` or `ATTEMPT_FAIL`, or a new checkpoint has one of those tags.',
  PENDING_TOO_LONG: 'The tracking stayed `PENDING` past the account\'s threshold (AfterShip `tracking_pending_time`; webhooks only).',
};

const TrackingEventKindEnum = builder.enumType('TrackingEventKind', {
  description: 'What a tracking event says happened. One event can be of several kinds.',
  values: Object.fromEntries(TRACKING_EVENT_KINDS.map((k) => [k, { value: k, description: KIND_DESCRIPTIONS[k] }])) as Record<
    TrackingEventKind,
    { value: TrackingEventKind; description: string }
  >,
});

const TrackingEventSourceEnum = builder.enumType('TrackingEventSource', {
  description: 'How the gateway learned about a change.',
  values: {
    WEBHOOK: { value: 'webhook', description: 'AfterShip pushed it with a signed webhook.' },
    POLL: { value: 'poll', description: 'The gateway found it by re-reading the tracking (webhooks off or quiet).' },
  } as const,
});

const TrackingEventRef = builder.objectRef<TrackingChange>('TrackingEvent').implement({
  description: 'A change of one tracking, with what changed. Events of one tracking arrive in order.',
  fields: (t) => ({
    cursor: t.string({
      nullable: true,
      description:
        'Where this event sits in the account\'s retained event log: opaque, the same on every gateway instance. Keep the cursor of the last event you handled and pass it as `trackingEvents(after:)` to resume (SSE sends it as the event\'s `id`, so `EventSource` resumes by itself). Null only while the log is unreachable (Redis down): the event is logged when it returns, and a later resume replays it with its cursor.',
      resolve: (c) => c.cursor ?? null,
    }),
    eventId: t.id({ nullable: false, description: 'AfterShip\'s webhook `event_id`, or `poll:<trackingId>:<updated_at>` for changes found by polling. Unique per change.', resolve: (c) => c.eventId }),
    eventIds: t.idList({
      nullable: false,
      listSize: LIST_SIZES.eventKinds,
      description: 'Every event id delivered as this one change, `eventId` first: AfterShip describes one change with several webhooks (`tracking_update`, then `edd_revise`), merged within `REALTIME_COALESCE_MS`.',
      resolve: (c) => c.eventIds ?? [c.eventId],
    }),
    source: t.field({ type: TrackingEventSourceEnum, nullable: false, description: 'Whether a webhook or polling brought the change.', resolve: (c) => c.source }),
    webhookEvent: t.exposeString('webhookEvent', { nullable: true, description: 'AfterShip\'s event code (`tracking_update`, `edd_revise`, `tracking_pending_time`); null for polling.' }),
    occurredAt: t.field({ type: 'DateTime', nullable: false, description: 'When the change happened (the webhook\'s `ts`, else the tracking\'s `updatedAt`).', resolve: (c) => c.occurredAt }),
    kinds: t.field({ type: [TrackingEventKindEnum], nullable: false, listSize: LIST_SIZES.eventKinds, description: 'What happened; empty when only other fields changed.', resolve: (c) => c.kinds }),
    tracking: t.field({ type: TrackingRef, nullable: false, description: 'The tracking as it is after the change.', resolve: (c) => c.tracking }),
    previousTag: t.field({ type: TagEnum, nullable: true, description: 'The tag before the change; null when the gateway knew no earlier state.', resolve: (c) => tagOrNull(c.previousTag) }),
    tag: t.field({ type: TagEnum, nullable: true, description: 'The tag after the change.', resolve: (c) => tagOrNull(c.tag) }),
    previousSubtag: t.exposeString('previousSubtag', { nullable: true, description: 'The subtag before the change; null when unknown.' }),
    subtag: t.exposeString('subtag', { nullable: true, description: 'The subtag after the change, in AfterShip\'s spelling, e.g. `OutForDelivery_001`.' }),
    newCheckpoints: t.field({
      listSize: LIST_SIZES.checkpoints,
      type: [CheckpointRef],
      nullable: false,
      description: 'Checkpoints added since the previous state the gateway knew (oldest first). Without a known earlier state: the newest checkpoint only.',
      resolve: (c) => c.newCheckpoints,
    }),
    previousEstimatedDelivery: t.field({
      type: EstimatedDeliveryRef,
      nullable: true,
      description: 'The tracking\'s `estimatedDelivery` before the change; null when none or unknown.',
      resolve: (c) => c.previousEstimate,
    }),
    estimatedDelivery: t.field({
      type: EstimatedDeliveryRef,
      nullable: true,
      description: 'The tracking\'s `estimatedDelivery` after the change; null when none.',
      resolve: (c) => c.estimate,
    }),
    isFirstTag: t.boolean({ nullable: true, description: 'AfterShip\'s `is_tracking_first_tag`: first update under the current tag. Null for polling.', resolve: (c) => c.isFirstTag }),
  }),
});

const TrackingEventFilterInput = builder.inputType('TrackingEventFilter', {
  description: 'Narrows `trackingEvents`. Every given list must match (any of its values); omitted or empty lists match everything.',
  fields: (t) => ({
    trackingIds: t.idList({
      description: `Only these trackings (at most ${MAX_WATCHED_TRACKINGS}; global IDs or AfterShip ids, legacy ids too). These trackings are also polled when webhooks are off.`,
    }),
    tags: t.field({ type: [TagEnum], description: 'Only events whose tracking now has one of these tags.' }),
    slugs: t.stringList({ description: 'Only trackings of these couriers (slugs, e.g. `ups`).' }),
    shipmentTags: t.stringList({ description: 'Only trackings carrying one of these merchant shipment tags.' }),
    kinds: t.field({ type: [TrackingEventKindEnum], description: 'Only events of at least one of these kinds.' }),
  }),
});

/**
 * Notes each event's cursor on the context as it is handed to execution (graphql-js pulls one
 * event at a time): the SSE writer sends it as the event's `id:` (src/http/use-event-ids.ts).
 */
function withCursors(source: AsyncIterableIterator<TrackingChange>, ctx: GraphQLContext): AsyncIterableIterator<TrackingChange> {
  const it: AsyncIterableIterator<TrackingChange> = {
    async next() {
      const r = await source.next();
      if (!r.done) ctx.eventCursor.current = r.value.cursor;
      return r;
    },
    return: (value?: unknown) => source.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    throw: (error?: unknown) => source.throw?.(error) ?? Promise.reject(error),
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

function pubsubOf(ctx: GraphQLContext): RealtimePubSub {
  if (!ctx.pubsub) {
    throw new GraphQLError('Subscriptions are not enabled on this gateway.', { extensions: { code: 'SUBSCRIPTIONS_DISABLED' } });
  }
  return ctx.pubsub;
}

builder.subscriptionType({
  description: 'Live changes of trackings, over graphql-ws (WebSocket on the GraphQL path) or SSE (`Accept: text/event-stream`).',
});

builder.subscriptionFields((t) => ({
  trackingUpdated: t.field({
    type: TrackingRef,
    // Watching it fetches a baseline when polling and the tracking is not cached (poller.ts).
    cost: { calls: 1, background: true },
    authScopes: { 'aftership:tracking:read': true },
    nullable: false,
    description: 'The tracking, each time it changes (from its next change on; query it first for its current state).',
    args: { id: t.arg.id({ required: true, description: 'Global ID of the Tracking, or AfterShip\'s id (or legacy id).' }) },
    subscribe: (_root, args, ctx) => pubsubOf(ctx).subscribeTracking(ctx.accountId, rawId('Tracking', String(args.id))),
    resolve: (change: TrackingChange) => change.tracking,
  }),
  trackingEvents: t.field({
    type: TrackingEventRef,
    // Every id is watched: a baseline fetch each, then polled while webhooks are off or quiet.
    cost: { callsPerItem: 'filter.trackingIds', background: true, limits: { 'filter.trackingIds': MAX_WATCHED_TRACKINGS } },
    // Every tracking of the account, unless narrowed to given ones: not for a lookup-only token.
    authScopes: (_root, args) =>
      args.filter?.trackingIds?.length
        ? { 'aftership:tracking:read': true }
        : { $all: { 'aftership:tracking:read': true, [ENUMERATE_TRACKINGS]: true } },
    nullable: false,
    description: 'Changes of any tracking of the account that pass `filter`, each saying what changed. Events of one tracking arrive in order.',
    args: {
      filter: t.arg({ type: TrackingEventFilterInput, description: 'Which events to receive; all when omitted.' }),
      after: t.arg.string({
        description:
          'Resume after this event: its `cursor` (over SSE, a reconnect\'s `Last-Event-ID` header does the same and wins). The retained events after it that pass `filter` come first, in order, then live ones, with none missed or repeated. A cursor older than the retention (`EVENT_LOG_RETENTION_HOURS`) fails with `EVENT_CURSOR_EXPIRED`: resynchronise from the `trackings` query. Omitted: live events from now on.',
      }),
    },
    subscribe: (_root, args, ctx) => {
      const f = args.filter;
      const filter = {
        trackingIds: f?.trackingIds?.map((id, i) => rawId('Tracking', String(id), `filter.trackingIds[${i}]`)),
        tags: f?.tags,
        slugs: f?.slugs,
        shipmentTags: f?.shipmentTags,
        kinds: f?.kinds,
      };
      const pubsub = pubsubOf(ctx);
      // The header is the newer: EventSource reconnects to the same URL (and its `after`) with the last id it got.
      const after = ctx.lastEventId ?? args.after ?? undefined;
      if (after !== undefined && ctx.eventLog) {
        const argument = ctx.lastEventId !== undefined ? 'Last-Event-ID' : 'after';
        return resumeEvents({ log: ctx.eventLog, pubsub, accountId: ctx.accountId, filter, after, argument }).then((it) => withCursors(it, ctx));
      }
      return withCursors(pubsub.subscribeEvents(ctx.accountId, filter), ctx);
    },
    resolve: (change: TrackingChange) => change,
  }),
}));
