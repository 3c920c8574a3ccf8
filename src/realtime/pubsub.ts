/**
 * Typed publish/subscribe for tracking changes.
 *
 * Two layers:
 * - `PubSubTransport` moves one message on one topic to every process that listens (in-memory
 *   here; a Redis transport can implement the same three methods for several gateway replicas).
 * - `RealtimePubSub` fans a message out locally to subscribers, each with its own bounded queue.
 *
 * Topics: `tracking:<accountId>:<trackingId>` for one tracking (published under both the id and
 * the legacy id, so a subscriber may use either), `trackings:<accountId>` for the filtered stream.
 * A change to one tracking touches only that tracking's subscribers plus one cheap predicate per
 * stream subscriber; the payload is built once per event and shared (treat it as read-only).
 */
import { createBoundedIterator, type BoundedIterator } from './bounded-iterator.js';
import { compileFilter, type TrackingChange, type TrackingEventFilter } from './events.js';

export interface PubSubTransport {
  publish(topic: string, message: TrackingChange): Promise<void>;
  /** Delivers every message published on `topic` to `listener`; returns the unsubscribe function. */
  subscribe(topic: string, listener: (message: TrackingChange) => void): () => void;
  close(): Promise<void>;
}

export function createMemoryTransport(): PubSubTransport {
  const topics = new Map<string, Set<(m: TrackingChange) => void>>();
  return {
    async publish(topic, message) {
      // Copy: a listener may unsubscribe while we iterate.
      for (const listener of [...(topics.get(topic) ?? [])]) listener(message);
    },
    subscribe(topic, listener) {
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && topics.get(topic) === set) topics.delete(topic);
      };
    },
    async close() {
      topics.clear();
    },
  };
}

export const trackingTopic = (accountId: string, trackingId: string): string => `tracking:${accountId}:${trackingId}`;
export const streamTopic = (accountId: string): string => `trackings:${accountId}`;

export interface SubscribeOptions {
  /** Events buffered for a slow subscriber before the oldest is dropped. @default 100 */
  maxBuffered?: number;
}

export interface LiveSubscription extends BoundedIterator<TrackingChange> {
  /**
   * An event this subscription received will not reach its subscriber after all (a resuming
   * subscription's copy of an event it replays from the log, or one its filter refuses): it is
   * not counted as delivered, nor as an execution.
   */
  skipped(): void;
}

export interface RealtimePubSubStats {
  /** Subscribers, counting each member of a shared (multiplexed) subscription. */
  subscribers: number;
  published: number;
  /** Events delivered to subscribers, counting each member of a shared subscription. */
  delivered: number;
  /** Events handed to a GraphQL execution: one per distinct subscription per event. */
  executions: number;
  /** Events dropped from slow subscribers' full buffers (subscriptions still open). */
  dropped: number;
  /** Deliveries skipped because the subscriber's filter threw (a bug; the others still get the event). */
  failed: number;
}

export interface RealtimePubSub {
  /** Sends a change to its tracking's subscribers and to the filtered stream. */
  publish(change: TrackingChange): Promise<void>;
  /** Changes of one tracking (by AfterShip id or legacy id). */
  subscribeTracking(accountId: string, trackingId: string, options?: SubscribeOptions): LiveSubscription;
  /** Changes of any tracking of the account that pass `filter`. */
  subscribeEvents(accountId: string, filter?: TrackingEventFilter | null, options?: SubscribeOptions): LiveSubscription;
  /** Counts these trackings as watched (polled when webhooks are off) without a subscription; returns the release function. */
  watchTrackings(accountId: string, trackingIds: readonly string[]): () => void;
  /** Tracking ids with at least one subscriber in this process (one tracking's or a stream filtered by ids). */
  watchedIds(accountId: string): string[];
  watcherCount(accountId: string, trackingId: string): number;
  /** Called when a tracking gains its first watcher in this process; returns the unsubscribe function. */
  onWatch(listener: (accountId: string, trackingId: string) => void): () => void;
  stats(): RealtimePubSubStats;
  /** Where the subscription hub (src/http/subscription-hub.ts) counts the subscribers sharing one of our subscriptions beyond its first. */
  shared: { sharers(delta: number): void; sharedDeliveries(n: number): void };
  /** Ends every subscription and closes the transport. */
  close(): Promise<void>;
}

export interface RealtimePubSubOptions {
  /** @default createMemoryTransport() */
  transport?: PubSubTransport;
  /** Default per-subscriber buffer. @default 100 */
  maxBuffered?: number;
}

export function createRealtimePubSub(options: RealtimePubSubOptions = {}): RealtimePubSub {
  const transport = options.transport ?? createMemoryTransport();
  const defaultBuffer = options.maxBuffered ?? 100;
  /** Local subscribers per topic; one transport subscription per topic, however many subscribers. */
  const local = new Map<string, { sinks: Set<(m: TrackingChange) => void>; unsubscribe: () => void }>();
  /** accountId → trackingId → watcher count. */
  const watchers = new Map<string, Map<string, number>>();
  const watchListeners = new Set<(accountId: string, trackingId: string) => void>();
  const open = new Set<BoundedIterator<TrackingChange>>();
  const counters = { published: 0, delivered: 0, droppedClosed: 0, failed: 0, sharers: 0, sharedDeliveries: 0 };

  const addSink = (topic: string, sink: (m: TrackingChange) => void): (() => void) => {
    let entry = local.get(topic);
    if (!entry) {
      const sinks = new Set<(m: TrackingChange) => void>();
      const unsubscribe = transport.subscribe(topic, (m) => {
        // Fan out on the next turn of the event loop: the publisher (a webhook's 200, a poll)
        // is never held up by thousands of subscribers' executions. FIFO keeps events in order.
        const targets = [...sinks];
        setImmediate(() => {
          for (const s of targets) {
            // Thrown here it would be an uncaught exception: the process would exit.
            try {
              s(m);
            } catch {
              counters.failed++;
            }
          }
        });
      });
      local.set(topic, (entry = { sinks, unsubscribe }));
    }
    const e = entry;
    e.sinks.add(sink);
    return () => {
      e.sinks.delete(sink);
      if (e.sinks.size === 0 && local.get(topic) === e) {
        local.delete(topic);
        e.unsubscribe();
      }
    };
  };

  const watch = (accountId: string, trackingId: string): (() => void) => {
    let perAccount = watchers.get(accountId);
    if (!perAccount) watchers.set(accountId, (perAccount = new Map()));
    const n = (perAccount.get(trackingId) ?? 0) + 1;
    perAccount.set(trackingId, n);
    if (n === 1) for (const l of watchListeners) l(accountId, trackingId);
    const acc = perAccount;
    return () => {
      const left = (acc.get(trackingId) ?? 1) - 1;
      if (left <= 0) acc.delete(trackingId);
      else acc.set(trackingId, left);
    };
  };

  const makeSubscription = (
    topic: string,
    accept: (m: TrackingChange) => boolean,
    watched: { accountId: string; ids: readonly string[] },
    options: SubscribeOptions | undefined,
  ): LiveSubscription => {
    const releases: (() => void)[] = [];
    const it = createBoundedIterator<TrackingChange>(options?.maxBuffered ?? defaultBuffer, () => {
      counters.droppedClosed += it.dropped();
      open.delete(it);
      for (const r of releases.splice(0)) r();
    });
    releases.push(
      addSink(topic, (m) => {
        if (!accept(m)) return;
        counters.delivered++;
        it.push(m);
      }),
    );
    for (const id of new Set(watched.ids)) releases.push(watch(watched.accountId, id));
    const live: LiveSubscription = Object.assign(it, { skipped: () => void counters.delivered-- });
    open.add(live);
    return live;
  };

  return {
    async publish(change) {
      counters.published++;
      const topics = new Set([trackingTopic(change.accountId, change.trackingId), streamTopic(change.accountId)]);
      if (change.legacyId) topics.add(trackingTopic(change.accountId, change.legacyId));
      await Promise.all([...topics].map((t) => transport.publish(t, change)));
    },
    subscribeTracking(accountId, trackingId, options) {
      if (!trackingId) throw new TypeError('subscribeTracking needs a tracking id');
      return makeSubscription(trackingTopic(accountId, trackingId), () => true, { accountId, ids: [trackingId] }, options);
    },
    subscribeEvents(accountId, filter, options) {
      return makeSubscription(streamTopic(accountId), compileFilter(filter), { accountId, ids: filter?.trackingIds ?? [] }, options);
    },
    watchTrackings(accountId, trackingIds) {
      const releases = [...new Set(trackingIds)].map((id) => watch(accountId, id));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        for (const r of releases) r();
      };
    },
    watchedIds: (accountId) => [...(watchers.get(accountId)?.keys() ?? [])],
    watcherCount: (accountId, trackingId) => watchers.get(accountId)?.get(trackingId) ?? 0,
    onWatch(listener) {
      watchListeners.add(listener);
      return () => void watchListeners.delete(listener);
    },
    stats() {
      let dropped = counters.droppedClosed;
      for (const it of open) dropped += it.dropped();
      return {
        subscribers: open.size + counters.sharers,
        published: counters.published,
        delivered: counters.delivered + counters.sharedDeliveries,
        executions: counters.delivered,
        dropped,
        failed: counters.failed,
      };
    },
    shared: {
      sharers: (delta) => void (counters.sharers += delta),
      sharedDeliveries: (n) => void (counters.sharedDeliveries += n),
    },
    async close() {
      for (const it of [...open]) void it.return();
      watchListeners.clear();
      await transport.close();
    },
  };
}
