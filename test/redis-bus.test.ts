/**
 * The Redis bus between instances (src/redis/bus.ts) on its own: an instance receives what the
 * others publish and never its own messages. The layers above drop a repeat too (event ids,
 * newest-wins cache writes), so only a test at this level sees the bus's own filter.
 */
import { afterAll, expect, it } from 'vitest';
import { silentLogger } from '../src/lib/logger.js';
import { createRedisBus, type RedisBus } from '../src/redis/bus.js';
import { createRedisConnections, type RedisConnections } from '../src/redis/connection.js';
import { SHARED_REDIS_URL, cleanPrefix, uniquePrefix, waitFor } from './redis-support.js';

const prefix = uniquePrefix('bus');
const opened: { conn: RedisConnections; bus: RedisBus }[] = [];

function instance(got: string[]): RedisBus {
  const conn = createRedisConnections({ url: SHARED_REDIS_URL, prefix, logger: silentLogger });
  const bus = createRedisBus({ connections: conn, logger: silentLogger });
  // Before the subscriber connection is ready: subscribed with every other channel once it is.
  bus.subscribe('changes', (payload) => got.push(payload));
  opened.push({ conn, bus });
  return bus;
}

afterAll(async () => {
  for (const { bus, conn } of opened) {
    await bus.close();
    await conn.close();
  }
  await cleanPrefix(SHARED_REDIS_URL, prefix);
});

it("delivers an instance's message to the others and never back to itself", async () => {
  const gotA: string[] = [];
  const gotB: string[] = [];
  const a = instance(gotA);
  const b = instance(gotB);
  expect(await a.settled()).toBe(true);
  expect(await b.settled()).toBe(true);

  a.publish('changes', 'from A');
  await waitFor(() => gotB.length > 0, 5000, "B to receive A's message");
  // Published after A's message reached Redis: A's subscriber connection gets both in this order,
  // so by the time B's message is in, A's own would have been too.
  b.publish('changes', 'from B');
  await waitFor(() => gotA.includes('from B'), 5000, "A to receive B's message");
  expect(gotA).toEqual(['from B']);
  expect(gotB).toEqual(['from A']);
});
