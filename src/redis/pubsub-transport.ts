/**
 * `PubSubTransport` for several gateway instances: a change reaches subscribers on every instance,
 * exactly once.
 *
 * The publishing instance delivers to its own subscribers at once (so they never depend on Redis)
 * and sends the change to the others through the bus, which skips messages from their origin.
 * Each instance remembers the (topic, eventId) pairs it delivered recently and delivers a pair
 * only once: that absorbs a bus message sent again after an ambiguous failure, and the same
 * polling change found by two instances that both watch a tracking (`poll:<id>:<updated_at>`).
 */
import type { TrackingChange } from '../realtime/events.js';
import { createMemoryTransport, type PubSubTransport } from '../realtime/pubsub.js';
import type { RedisBus } from './bus.js';

export interface RedisTransportOptions {
  bus: RedisBus;
  /** (topic, eventId) pairs remembered against repeats. @default 20000 */
  maxRemembered?: number;
}

const CHANNEL = (topic: string): string => `ps:${topic}`;

export function createRedisTransport(options: RedisTransportOptions): PubSubTransport {
  const { bus } = options;
  const maxRemembered = options.maxRemembered ?? 20_000;
  const local = createMemoryTransport();
  const delivered = new Set<string>();
  const subscriptions = new Map<string, { count: number; off: () => void }>();

  /** True the first time a pair is seen; the set forgets its oldest pairs past the bound. */
  const firstTime = (set: Set<string>, key: string): boolean => {
    if (set.has(key)) return false;
    set.add(key);
    if (set.size > maxRemembered) set.delete(set.values().next().value as string);
    return true;
  };

  const fromBus = (topic: string) => (payload: string) => {
    let change: TrackingChange;
    try {
      change = JSON.parse(payload) as TrackingChange;
    } catch {
      return;
    }
    if (!firstTime(delivered, `${topic}\u0000${change.eventId}`)) return;
    void local.publish(topic, change);
  };

  return {
    async publish(topic, message) {
      if (!firstTime(delivered, `${topic}\u0000${message.eventId}`)) return;
      await local.publish(topic, message);
      bus.publish(CHANNEL(topic), JSON.stringify(message));
    },
    subscribe(topic, listener) {
      const offLocal = local.subscribe(topic, listener);
      let sub = subscriptions.get(topic);
      if (!sub) subscriptions.set(topic, (sub = { count: 0, off: bus.subscribe(CHANNEL(topic), fromBus(topic)) }));
      sub.count++;
      const s = sub;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        offLocal();
        if (--s.count === 0 && subscriptions.get(topic) === s) {
          subscriptions.delete(topic);
          s.off();
        }
      };
    },
    async close() {
      for (const s of subscriptions.values()) s.off();
      subscriptions.clear();
      await local.close();
    },
  };
}
