/**
 * What changed in a tracking: the event payload published to subscribers, computed once per
 * event (never per subscriber) by diffing the new tracking against a compact digest of the
 * last state the gateway knew.
 */
import { bestEstimate, type DeliveryEstimate } from '../aftership/estimates.js';
import { timeOf, type Checkpoint, type TagName, type Tracking, type WebhookEventName } from '../aftership/wire-types.js';

export const TRACKING_EVENT_KINDS = [
  'STATUS_CHANGED',
  'NEW_CHECKPOINT',
  'EDD_REVISED',
  'DELIVERY_EXCEPTION',
  'PENDING_TOO_LONG',
] as const;
export type TrackingEventKind = (typeof TRACKING_EVENT_KINDS)[number];

/** The delivery estimate that currently applies: the tracking's best (its `estimatedDelivery`). */
export type { DeliveryEstimate };

/** The little the gateway remembers of a tracking to diff the next version against. */
export interface TrackingDigest {
  updatedAtMs: number;
  /** Webhook `ts` (Unix seconds) of the event that produced this state, when known. */
  ts: number | null;
  tag: TagName | null;
  subtag: string | null;
  checkpointKeys: string[];
  estimate: DeliveryEstimate | null;
  /** Kinds already delivered for this very version (absent: none known); a repeat of them is not delivered again. */
  deliveredKinds?: readonly TrackingEventKind[];
}

export interface TrackingChange {
  /** AfterShip's `event_id`, or `poll:<trackingId>:<updated_at>` for changes found by polling. */
  eventId: string;
  /** Every event id delivered as this one change, first first (`eventId` is the first): see coalesce.ts. */
  eventIds: string[];
  accountId: string;
  source: 'webhook' | 'poll';
  webhookEvent: WebhookEventName | null;
  /** ISO instant the change happened (webhook `ts`, else the tracking's `updated_at`). */
  occurredAt: string;
  trackingId: string;
  legacyId: string | null;
  kinds: TrackingEventKind[];
  tracking: Tracking;
  /** As TrackingUpdate's: the JSON size of `tracking` when known (the memory event log's weight). */
  trackingBytes?: number;
  previousTag: TagName | null;
  tag: TagName | null;
  previousSubtag: string | null;
  subtag: string | null;
  newCheckpoints: Checkpoint[];
  previousEstimate: DeliveryEstimate | null;
  estimate: DeliveryEstimate | null;
  /** AfterShip's `is_tracking_first_tag` (null when the change was found by polling). */
  isFirstTag: boolean | null;
  /** Its place in the account's event log (event-log.ts), set when it is appended; opaque to clients. */
  cursor?: string;
  /** The cursor of the account's event before this one (null: none): a subscriber can tell it missed one. */
  prevCursor?: string | null;
}

/** `hash` is unique per checkpoint since 2026-07; older data falls back to its visible fields. */
export function checkpointKey(c: Checkpoint): string {
  return c.hash ?? [c.checkpoint_time, c.tag, c.subtag, c.message, c.location].join('\u0000');
}

function sameEstimate(a: DeliveryEstimate | null, b: DeliveryEstimate | null): boolean {
  if (!a || !b) return a === b;
  return a.datetime === b.datetime && a.datetimeMin === b.datetimeMin && a.datetimeMax === b.datetimeMax;
}

export function digestOf(t: Tracking, ts: number | null = null): TrackingDigest {
  return {
    updatedAtMs: timeOf(t.updated_at),
    ts,
    tag: t.tag ?? null,
    subtag: t.subtag ?? null,
    checkpointKeys: (t.checkpoints ?? []).map(checkpointKey),
    estimate: bestEstimate(t),
  };
}

/**
 * Orders two versions of one tracking: by `updated_at`, then by webhook `ts` when both are
 * known. Negative: `a` is older. Zero: same version as far as we can tell.
 */
export function compareVersions(a: Pick<TrackingDigest, 'updatedAtMs' | 'ts'>, b: Pick<TrackingDigest, 'updatedAtMs' | 'ts'>): number {
  if (a.updatedAtMs !== b.updatedAtMs) return a.updatedAtMs < b.updatedAtMs ? -1 : 1;
  if (a.ts !== null && b.ts !== null && a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  return 0;
}

const EXCEPTION_TAGS: ReadonlySet<string> = new Set(['Exception', 'AttemptFail']);

/** A new state of one tracking, as a webhook brought it or polling found it. */
export interface TrackingUpdate {
  eventId: string;
  source: 'webhook' | 'poll';
  webhookEvent: WebhookEventName | null;
  /** Webhook `ts` (Unix seconds); null for polls. */
  ts: number | null;
  isFirstTag: boolean | null;
  tracking: Tracking;
  /** The JSON size of `tracking` when known (at most its webhook body's): memory accounting, no serialising to weigh it. */
  trackingBytes?: number;
}

export interface DiffInput extends TrackingUpdate {
  accountId: string;
  /** The last state known before this one; undefined when the gateway knew nothing. */
  previous: TrackingDigest | undefined;
  /** `digestOf(tracking)` when the caller made it already: its checkpoint keys and estimate are not computed again. */
  current?: TrackingDigest;
  /** Clock time, used for `occurredAt` when the tracking carries no usable time. */
  now: number;
}

export function diffTracking(input: DiffInput): TrackingChange {
  const { tracking, previous } = input;
  const checkpoints = tracking.checkpoints ?? [];
  const keys = input.current?.checkpointKeys;
  let newCheckpoints: Checkpoint[];
  if (previous) {
    const known = new Set(previous.checkpointKeys);
    newCheckpoints = checkpoints.filter((c, i) => !known.has(keys ? keys[i]! : checkpointKey(c)));
  } else {
    // Nothing known before: the newest checkpoint is the one AfterShip is telling us about.
    newCheckpoints = checkpoints.length ? [checkpoints[checkpoints.length - 1]!] : [];
  }
  const tag = tracking.tag ?? null;
  const subtag = tracking.subtag ?? null;
  const estimate = input.current ? input.current.estimate : bestEstimate(tracking);
  const kinds = new Set<TrackingEventKind>();

  const statusChanged = previous
    ? previous.tag !== tag || previous.subtag !== subtag
    : input.webhookEvent === 'tracking_update';
  if (statusChanged) kinds.add('STATUS_CHANGED');
  if (newCheckpoints.length) kinds.add('NEW_CHECKPOINT');
  if (input.webhookEvent === 'edd_revise' || (previous && !sameEstimate(previous.estimate, estimate))) kinds.add('EDD_REVISED');
  if ((statusChanged && tag && EXCEPTION_TAGS.has(tag)) || newCheckpoints.some((c) => c.tag && EXCEPTION_TAGS.has(c.tag))) {
    kinds.add('DELIVERY_EXCEPTION');
  }
  // AfterShip alone knows the account's "pending for too long" threshold; polling cannot tell.
  if (input.webhookEvent === 'tracking_pending_time') kinds.add('PENDING_TOO_LONG');

  const occurredMs = input.ts !== null ? input.ts * 1000 : timeOf(tracking.updated_at);
  return {
    eventId: input.eventId,
    eventIds: [input.eventId],
    accountId: input.accountId,
    source: input.source,
    webhookEvent: input.webhookEvent,
    occurredAt: new Date(Number.isFinite(occurredMs) ? occurredMs : input.now).toISOString(),
    trackingId: tracking.id ?? '',
    legacyId: tracking.legacy_id ?? null,
    kinds: TRACKING_EVENT_KINDS.filter((k) => kinds.has(k)),
    tracking,
    ...(input.trackingBytes !== undefined && { trackingBytes: input.trackingBytes }),
    previousTag: previous ? previous.tag : null,
    tag,
    previousSubtag: previous ? previous.subtag : null,
    subtag,
    newCheckpoints,
    previousEstimate: previous ? previous.estimate : null,
    estimate,
    isFirstTag: input.isFirstTag,
  };
}

/**
 * One change made of two events of the same tracking (`b` arrived after `a`): the state after `b`,
 * what came before `a`, and the union of what both say happened.
 */
export function mergeChanges(a: TrackingChange, b: TrackingChange): TrackingChange {
  const kinds = new Set<TrackingEventKind>([...a.kinds, ...b.kinds]);
  const seen = new Set(a.newCheckpoints.map(checkpointKey));
  return {
    ...b,
    eventId: a.eventId,
    eventIds: [...a.eventIds, ...b.eventIds.filter((id) => !a.eventIds.includes(id))],
    source: a.source === 'webhook' || b.source === 'webhook' ? 'webhook' : 'poll',
    webhookEvent: a.webhookEvent ?? b.webhookEvent,
    kinds: TRACKING_EVENT_KINDS.filter((k) => kinds.has(k)),
    previousTag: a.previousTag,
    previousSubtag: a.previousSubtag,
    previousEstimate: a.previousEstimate,
    newCheckpoints: [...a.newCheckpoints, ...b.newCheckpoints.filter((c) => !seen.has(checkpointKey(c)))],
    isFirstTag: a.isFirstTag || b.isFirstTag ? true : (a.isFirstTag ?? b.isFirstTag),
  };
}

/** Subscription filter: every given list must match (any of its values); empty lists match all. */
export interface TrackingEventFilter {
  trackingIds?: readonly string[] | null;
  tags?: readonly string[] | null;
  slugs?: readonly string[] | null;
  /** The merchant's shipment tags (`shipment_tags`): the tracking carries one of these. */
  shipmentTags?: readonly string[] | null;
  kinds?: readonly TrackingEventKind[] | null;
}

/** Compiles a filter once per subscriber into a cheap predicate (set lookups only). */
export function compileFilter(filter: TrackingEventFilter | null | undefined): (change: TrackingChange) => boolean {
  const set = (xs: readonly string[] | null | undefined): ReadonlySet<string> | null => (xs && xs.length ? new Set(xs) : null);
  const ids = set(filter?.trackingIds);
  const tags = set(filter?.tags);
  const slugs = set(filter?.slugs);
  const shipmentTags = set(filter?.shipmentTags);
  const kinds = set(filter?.kinds);
  return (c) =>
    (!ids || ids.has(c.trackingId) || (c.legacyId !== null && ids.has(c.legacyId))) &&
    (!tags || (c.tag !== null && tags.has(c.tag))) &&
    (!slugs || (c.tracking.slug !== undefined && slugs.has(c.tracking.slug))) &&
    (!shipmentTags || (Array.isArray(c.tracking.shipment_tags) && c.tracking.shipment_tags.some((t) => shipmentTags.has(t)))) &&
    (!kinds || c.kinds.some((k) => kinds.has(k)));
}
