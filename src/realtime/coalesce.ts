/**
 * One delivery per change. AfterShip describes one change of a tracking with several webhooks
 * (`tracking_update`, then `edd_revise` for the same `updated_at`, a few ms apart); subscribers
 * should see it once. A change is held for `windowMs` from its first event; events of the same
 * tracking arriving in that window are merged into it (union of kinds, every event id kept), then
 * the one change is emitted. A repeat arriving after the window is caught by TrackingUpdates
 * (same version, nothing new: not delivered again).
 *
 * Per tracking, changes are emitted in the order their first events arrived; the publisher (the
 * webhook's 200) never waits for the window. The window is the price: every delivery is `windowMs`
 * later, and a change held when the process dies is not delivered (the cache already has it).
 */
import type { Clock, TimerHandle } from '../lib/clock.js';
import { mergeChanges, type TrackingChange } from './events.js';

/** REALTIME_COALESCE_MS's default: longer than the gap AfterShip (and the sandbox) leaves between the events of one change. */
export const DEFAULT_COALESCE_MS = 20;

export interface Coalescer {
  /** Queues `change`: merged into its tracking's held change, or held for the window. 0 ms: emitted now. */
  add(change: TrackingChange): Promise<void>;
  /** Changes held now (tests, metrics). */
  held(): number;
  /** Emits every held change now (shutdown). */
  flush(): Promise<void>;
}

export interface CoalescerOptions {
  windowMs: number;
  clock: Clock;
  /** Where a change goes once its window closes: the event log, then the pubsub. */
  emit: (change: TrackingChange) => Promise<void>;
  /** A failed emit after the window (the webhook was already answered). */
  onError: (error: unknown, change: TrackingChange) => void;
}

export function createCoalescer(options: CoalescerOptions): Coalescer {
  const { windowMs, clock, emit, onError } = options;
  // In arrival order of each change's first event, so in order of when its window closes: one timer,
  // for the oldest, serves them all (not one timer per change).
  const pending = new Map<string, { change: TrackingChange; due: number }>();
  let timer: TimerHandle | undefined;
  // Emitted at once, not chained: the transports (memory, one Redis connection) keep call order.
  const release = (trackingId: string): Promise<void> => {
    const entry = pending.get(trackingId);
    if (!entry) return Promise.resolve();
    pending.delete(trackingId);
    return emit(entry.change).catch((e: unknown) => onError(e, entry.change));
  };
  const arm = (): void => {
    const oldest = pending.values().next().value;
    if (timer || !oldest) return;
    // Never more than a window away, even if the clock stepped back since `due` was set.
    timer = clock.setTimer(closeWindows, Math.min(windowMs, Math.max(0, oldest.due - clock.now())));
  };
  const closeWindows = (): void => {
    timer = undefined;
    const now = clock.now();
    for (const [trackingId, entry] of pending) {
      if (entry.due > now && entry.due - now <= windowMs) break; // not yet due (a stepped-back clock would be)
      void release(trackingId);
    }
    arm();
  };

  return {
    add(change) {
      if (windowMs <= 0) return emit(change);
      const held = pending.get(change.trackingId);
      if (held) {
        held.change = mergeChanges(held.change, change);
        return Promise.resolve();
      }
      pending.set(change.trackingId, { change, due: clock.now() + windowMs });
      arm();
      return Promise.resolve();
    },
    held: () => pending.size,
    async flush() {
      timer?.cancel();
      timer = undefined;
      await Promise.all([...pending.keys()].map(release));
    },
  };
}
