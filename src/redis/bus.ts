/**
 * Messages between gateway instances over Redis pub/sub, one subscriber connection per instance.
 *
 * - Every message carries its origin instance id; an instance ignores its own (it acted locally).
 * - Publishing never blocks the caller and survives outages: messages go to an outbox that is
 *   flushed in order while Redis is up and kept (bounded) while it is not.
 * - Redis pub/sub only reaches instances subscribed at that moment. After an outage, the outbox
 *   waits until as many instances are subscribed again as before it (a presence channel every
 *   instance joins, counted with PUBSUB NUMSUB), or `rejoinWaitMs`, so messages kept during the
 *   outage are not published into the void while the other instances are still reconnecting.
 * - A message whose PUBLISH failed ambiguously (connection lost before the answer) is sent again:
 *   receivers must tolerate a repeat (events are de-duplicated by id, cache updates are newest-wins).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../lib/logger.js';
import type { RedisConnections } from './connection.js';

export interface RedisBus {
  readonly instanceId: string;
  /** Sends `payload` to the other instances listening on `channel` (unprefixed name). */
  publish(channel: string, payload: string): void;
  /** Receives what OTHER instances publish on `channel`; returns the unsubscribe function. */
  subscribe(channel: string, listener: (payload: string) => void): () => void;
  /** Messages waiting in the outbox. */
  pending(): number;
  /** Resolves once the outbox is empty and Redis subscriptions are live (tests, shutdown). */
  settled(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface RedisBusOptions {
  connections: RedisConnections;
  logger: Logger;
  /** Most messages kept while Redis is away; past it the oldest are dropped. @default 10000 */
  maxPending?: number;
  /** Longest wait, after Redis returns, for the other instances to rejoin. @default 3000 */
  rejoinWaitMs?: number;
  /** Instances expected (GATEWAY_INSTANCES): after an outage, wait for at least this many. @default 1 */
  expectedInstances?: number;
  /** @default random */
  instanceId?: string;
}

const PRESENCE = 'bus:presence';

export function createRedisBus(options: RedisBusOptions): RedisBus {
  const { connections: conn, logger } = options;
  const { command, subscriber } = conn;
  const instanceId = options.instanceId ?? randomUUID();
  const maxPending = options.maxPending ?? 10_000;
  const rejoinWaitMs = options.rejoinWaitMs ?? 3000;
  const ch = (channel: string): string => `${conn.prefix}${channel}`;

  const listeners = new Map<string, Set<(payload: string) => void>>();
  const outbox: { channel: string; message: string }[] = [];
  let flushing = false;
  let subscribedLive = false;
  /** Instances seen on the presence channel while Redis was up (ourselves included). */
  const floor = Math.max(1, options.expectedInstances ?? 1);
  let peers = floor;
  /** Outbox flushing waits for the other instances until then after an outage. */
  let gate: Promise<void> | undefined;
  let droppedWarned = false;
  let closed = false;
  let wasDown = false;

  const countPeers = async (): Promise<number> => {
    const r = (await command.pubsub('NUMSUB', ch(PRESENCE))) as [string, number];
    return Number(r[1] ?? 0);
  };

  async function notePeers(): Promise<void> {
    const n = await countPeers().catch(() => 0);
    if (n > 0) peers = Math.max(floor, n);
  }

  async function flush(): Promise<void> {
    if (flushing || closed) return;
    flushing = true;
    try {
      while (outbox.length > 0 && conn.up() && !closed) {
        if (gate) await gate;
        const batch = outbox.slice(0, 100);
        const results = await Promise.allSettled(batch.map((m) => command.publish(m.channel, m.message)));
        // Keep what failed, in order, for the next try; drop what Redis took.
        const failed = batch.filter((_, i) => results[i].status === 'rejected');
        outbox.splice(0, batch.length, ...failed);
        if (failed.length > 0) break;
      }
    } finally {
      flushing = false;
    }
  }

  /** (Re)subscribes every channel on a fresh subscriber connection, presence last. */
  async function resubscribe(): Promise<void> {
    subscribedLive = false;
    const channels = [...listeners.keys()].map(ch);
    await subscriber.subscribe(...channels, ch(PRESENCE));
    subscribedLive = true;
    if (!wasDown && !gate) await notePeers();
  }

  subscriber.on('ready', () => {
    resubscribe()
      .then(() => void flush())
      .catch((e: unknown) => logger.debug({ error: String(e) }, 'redis resubscribe failed'));
  });
  subscriber.on('close', () => {
    subscribedLive = false;
  });
  subscriber.on('message', (channel: string, raw: string) => {
    const nl = raw.indexOf('\n');
    if (nl < 0 || raw.slice(0, nl) === instanceId) return;
    const set = listeners.get(channel.slice(conn.prefix.length));
    if (!set) return;
    const payload = raw.slice(nl + 1);
    for (const l of [...set]) {
      try {
        l(payload);
      } catch (e) {
        logger.error({ channel, err: e }, 'redis bus listener failed');
      }
    }
  });

  const stopHealth = conn.onChange((up) => {
    if (!up) {
      wasDown = true;
      return;
    }
    if (wasDown) {
      wasDown = false;
      const expected = peers;
      const until = Date.now() + rejoinWaitMs;
      gate = (async () => {
        while (!closed && Date.now() < until) {
          const n = await countPeers().catch(() => 0);
          if (n >= expected && subscribedLive) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      })().finally(() => {
        gate = undefined;
      });
    }
    void flush();
  });
  // Remember how many instances listen, to know whom to wait for after an outage.
  const presenceTimer = setInterval(() => {
    if (conn.up() && !gate && subscribedLive) void notePeers();
  }, 1000);
  presenceTimer.unref();

  async function settled(timeoutMs = 5000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (outbox.length === 0 && subscribedLive && conn.up() && !gate) return true;
      void flush();
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  return {
    instanceId,
    publish(channel, payload) {
      if (closed) return;
      outbox.push({ channel: ch(channel), message: `${instanceId}\n${payload}` });
      if (outbox.length > maxPending) {
        outbox.splice(0, outbox.length - maxPending);
        if (!droppedWarned) {
          droppedWarned = true;
          logger.warn({ maxPending }, 'Redis outbox full: the oldest messages for other instances were dropped');
        }
      }
      void flush();
    },
    subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        listeners.set(channel, (set = new Set()));
        if (subscriber.status === 'ready') subscriber.subscribe(ch(channel)).catch(() => undefined);
      }
      set.add(listener);
      const s = set;
      return () => {
        s.delete(listener);
        if (s.size === 0 && listeners.get(channel) === s) {
          listeners.delete(channel);
          if (subscriber.status === 'ready') subscriber.unsubscribe(ch(channel)).catch(() => undefined);
        }
      };
    },
    pending: () => outbox.length,
    settled,
    async close() {
      if (closed) return;
      // Give queued messages a short chance to leave before the connections close.
      if (outbox.length > 0 && conn.up()) await settled(1000);
      closed = true;
      stopHealth();
      clearInterval(presenceTimer);
      listeners.clear();
    },
  };
}
