/**
 * The one path every new tracking state takes, whether a webhook brought it or polling found
 * it: order check → cache → diff → coalesce (coalesce.ts) → emit (event log, pubsub). Updates of one tracking run strictly one after
 * another (a per-tracking promise chain), so subscribers see a tracking's events in order and
 * two racing updates cannot both diff against the same previous state.
 */
import { timeOf, type Tracking } from '../aftership/wire-types.js';
import type { GatewayCache } from '../cache/index.js';
import type { Clock } from '../lib/clock.js';
import { compareVersions, diffTracking, digestOf, type TrackingChange, type TrackingDigest, type TrackingUpdate } from './events.js';
import type { Coalescer } from './coalesce.js';

export type UpdateOutcome =
  /** Queued for subscribers (published once its coalescing window closes). */
  | { status: 'published'; change: TrackingChange }
  /** The same version as already delivered, saying nothing new (e.g. `edd_revise` after its `tracking_update`): cached, not delivered again. */
  | { status: 'coalesced' }
  /** Older than what the gateway already holds: not cached, not published. */
  | { status: 'stale' }
  /** Same version as already known (a poll that found nothing new): nothing published. */
  | { status: 'unchanged' }
  /** First sight of a tracking by polling: remembered as the baseline to diff later polls against. */
  | { status: 'baseline' };

export interface TrackingUpdates {
  apply(update: TrackingUpdate): Promise<UpdateOutcome>;
  /** Remembers `tracking` as known state without publishing (a subscription's starting point). */
  remember(tracking: Tracking): void;
  /** The digest of the last state known for a tracking (by AfterShip id). */
  known(trackingId: string): TrackingDigest | undefined;
}

export interface TrackingUpdatesOptions {
  accountId: string;
  cache: GatewayCache;
  /** Where changes go: merged per tracking for a short window, then emitted to the event log and pubsub. */
  coalescer: Coalescer;
  clock: Clock;
  /**
   * Digests remembered (a few hundred bytes each), most recently updated first. They outlive
   * cache entries, so a reordered webhook cannot roll back even a tracking the cache evicted.
   * @default 50_000
   */
  maxKnown?: number;
}

export function createTrackingUpdates(options: TrackingUpdatesOptions): TrackingUpdates {
  const { accountId, cache, coalescer, clock } = options;
  const maxKnown = options.maxKnown ?? 50_000;
  const digests = new Map<string, TrackingDigest>();
  const chains = new Map<string, Promise<unknown>>();

  const rememberDigest = (id: string, digest: TrackingDigest): void => {
    digests.delete(id);
    digests.set(id, digest);
    while (digests.size > maxKnown) digests.delete(digests.keys().next().value as string);
  };

  const applyNow = async (u: TrackingUpdate): Promise<UpdateOutcome> => {
    const id = u.tracking.id!;
    const incoming = digestOf(u.tracking, u.ts);
    const own = digests.get(id);
    const cached = cache.peekTracking(accountId, id)?.value;
    // Never roll back: older than our own last state, or than the cache's copy (a query may
    // have loaded a newer one), means a reordered or late update.
    if (own && compareVersions(incoming, own) < 0) return { status: 'stale' };
    if (cached && incoming.updatedAtMs < timeOf(cached.updated_at)) return { status: 'stale' };
    // Diff against what subscribers last saw (our digest); the cache only when we have none.
    const previous = own ?? (cached ? digestOf(cached) : undefined);
    // A poll at the same version found nothing AfterShip has not already told us.
    if (previous && u.source === 'poll' && compareVersions(incoming, previous) === 0) return { status: 'unchanged' };
    // The event is computed before anything is stored: if it cannot be, nothing changed.
    const change = !previous && u.source === 'poll' ? undefined : diffTracking({ ...u, accountId, previous, current: incoming, now: clock.now() });
    if (!cache.putTracking(accountId, u.tracking, u.trackingBytes)) return { status: 'stale' };
    if (!change) {
      rememberDigest(id, incoming);
      return { status: 'baseline' };
    }
    // The same version again: only what was not delivered for it yet is news.
    const sameVersion = previous !== undefined && compareVersions(incoming, previous) === 0;
    const delivered = sameVersion ? (previous.deliveredKinds ?? []) : [];
    rememberDigest(id, { ...incoming, deliveredKinds: [...new Set([...delivered, ...change.kinds])] });
    if (sameVersion && previous.deliveredKinds && change.kinds.every((k) => delivered.includes(k))) return { status: 'coalesced' };
    await coalescer.add(change);
    return { status: 'published', change };
  };

  return {
    apply(update) {
      const id = update.tracking.id;
      if (!id) return Promise.reject(new TypeError('a tracking update needs tracking.id'));
      const prior = chains.get(id) ?? Promise.resolve();
      const run = prior.then(
        () => applyNow(update),
        () => applyNow(update),
      );
      const tail = run.catch(() => undefined);
      chains.set(id, tail);
      void tail.then(() => {
        if (chains.get(id) === tail) chains.delete(id);
      });
      return run;
    },
    remember(tracking) {
      if (!tracking.id) return;
      const current = digests.get(tracking.id);
      const d = digestOf(tracking);
      if (!current || compareVersions(d, current) > 0) rememberDigest(tracking.id, d);
    },
    known: (id) => digests.get(id),
  };
}
