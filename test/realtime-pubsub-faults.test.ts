/**
 * Fan-out runs after the publisher returns (next event-loop turn): a subscriber whose filter
 * throws there must not become an uncaught exception (the process would exit) nor keep the event
 * from the other subscribers.
 */
import { describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import { diffTracking } from '../src/realtime/events.js';
import { createRealtimePubSub } from '../src/realtime/pubsub.js';

const ACCOUNT = 'acct';

describe('pubsub fan-out faults', () => {
  it('a tracking whose shipment_tags is not a list reaches every subscriber; a shipment-tag filter just does not match', async () => {
    const pubsub = createRealtimePubSub();
    const byTag = pubsub.subscribeEvents(ACCOUNT, { shipmentTags: ['vip'] });
    const all = pubsub.subscribeEvents(ACCOUNT);
    // AfterShip documents a list; a webhook carrying a string must not take the gateway down.
    const tracking = { id: 'a'.repeat(32), tracking_number: 'N1', slug: 'ups', shipment_tags: 'vip' } as unknown as Tracking;
    await pubsub.publish(diffTracking({ accountId: ACCOUNT, eventId: 'e1', source: 'webhook', webhookEvent: 'tracking_update', ts: 1, isFirstTag: null, tracking, previous: undefined, now: 0 }));
    expect((await all.next()).value?.eventId).toBe('e1');
    await new Promise((r) => setImmediate(r));
    expect(pubsub.stats()).toMatchObject({ delivered: 1, failed: 0 });
    await byTag.return();
    await all.return();
  });
});
