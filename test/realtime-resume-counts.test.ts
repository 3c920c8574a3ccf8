/**
 * A resuming subscription (`trackingEvents(after:)`) listens to every live event of the account
 * while it replays the log, then passes on only what its filter accepts and it has not replayed.
 * The pubsub's delivered/executions counts (its stats and the gateway's metrics) count what reached
 * the subscriber: not the live copies of replayed events, nor events of other trackings.
 */
import { describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import { ManualClock } from '../src/lib/clock.js';
import { diffTracking, type TrackingChange } from '../src/realtime/events.js';
import { createMemoryEventLog } from '../src/realtime/event-log.js';
import { createRealtimePubSub } from '../src/realtime/pubsub.js';
import { resumeEvents } from '../src/realtime/resume.js';

const ACCOUNT = 'default';
const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

const changeOf = (id: string, n: number): TrackingChange =>
  diffTracking({
    eventId: `${id.slice(0, 1)}-${n}`,
    source: 'webhook',
    webhookEvent: 'tracking_update',
    ts: n,
    isFirstTag: false,
    accountId: ACCOUNT,
    previous: undefined,
    now: 0,
    tracking: { id, updated_at: new Date(Date.UTC(2031, 0, 1, 0, 0, n)).toISOString(), tag: 'InTransit', checkpoints: [] } as unknown as Tracking,
  });

describe('a resuming subscription is counted for what it delivers', () => {
  it('counts neither the live copies of replayed events nor events its filter refuses', async () => {
    const clock = new ManualClock();
    const log = createMemoryEventLog({ clock });
    const pubsub = createRealtimePubSub();
    const emit = async (c: TrackingChange): Promise<void> => {
      clock.advance(1);
      await pubsub.publish(await log.append(c));
    };
    await emit(changeOf(A, 1));
    const after = await log.tail();
    // Missed while away: two of A, one of B.
    await emit(changeOf(A, 2));
    await emit(changeOf(B, 3));
    await emit(changeOf(A, 4));
    const events = await resumeEvents({ log, pubsub, accountId: ACCOUNT, filter: { trackingIds: [A] }, after });
    const before = pubsub.stats().executions;
    const replayed = [await events.next(), await events.next()].map((r) => (r.value as TrackingChange).eventId);
    expect(replayed).toEqual(['a-2', 'a-4']);
    // Live from here: one of B (refused by the filter), then one of A.
    await emit(changeOf(B, 5));
    await emit(changeOf(A, 6));
    expect(((await events.next()).value as TrackingChange).eventId).toBe('a-6');
    // Only a-6 came through the live subscription to the subscriber (the replays are counted as replays).
    expect(pubsub.stats().executions - before).toBe(1);
    expect(pubsub.stats().delivered - before).toBe(1);
    await events.return?.();
  });
});
