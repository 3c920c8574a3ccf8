/**
 * The warm replica's shared copy in Redis, one per account (see src/replica/shared.ts):
 *
 *   <prefix><account>:replica:data    hash  id → tracking JSON
 *   <prefix><account>:replica:order   zset  id → eviction order (active ones above inactive, then updated_at)
 *   <prefix><account>:replica:meta    hash  fullAt, asOf, complete, windowMs, bytes, evictedAt
 *   <prefix><account>:replica:lock    string  the instance warming up into the copy (SET NX PX, renewed)
 *
 * Bounded like the in-memory replica: a write that takes the copy past `maxEntries` or `maxBytes`
 * (JSON size plus the same per-entry overhead) drops the first in eviction order (delivered, expired and
 * completed ones, least recently updated first, then active ones) down to 99%, and marks the copy
 * incomplete. Each write is one Lua script (newest updated_at wins, so instances never roll it back).
 *
 * Writes are queued (the latest per id) and sent pipelined after the current tick; while Redis is
 * away they are dropped and the copy is invalidated when it returns (`fullAt` deleted: the next
 * instance starting warms up again instead of trusting a copy with holes, until a full pass rewrote it).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { timeOf, type Tracking } from '../aftership/wire-types.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { ReplicaSharedCopy, SharedCopyMeta } from '../replica/shared.js';
import { createScript, type RedisHealth } from './connection.js';

/** As the in-memory store counts it (src/replica/store.ts), so both caps bite at the same point. */
const ENTRY_OVERHEAD_BYTES = 200;
/** Active trackings sort above every inactive one (updated_at in ms stays below 2^42 until year 2109). */
const ACTIVE_BIAS = 2 ** 42;
const LOCK_MS = 30_000;
/** Trackings a load round trip asks for (about 2 MB of JSON: well inside the 1 s command timeout). */
const LOAD_CHUNK = 250;
/** A round trip of the load that failed (a timeout on a busy machine) is asked again this many times. */
const LOAD_RETRIES = 3;
/** Writes that failed are sent again this many times (while Redis is up) before the copy is invalidated. */
const WRITE_RETRIES = 2;
/** At start the connection may not be ready yet: how long `meta()` waits for it before saying unreachable. */
const CONNECT_WAIT_MS = 10_000;

// KEYS: data, order, meta. ARGV: id, json, updatedMs, active (0/1), maxEntries, maxBytes, now, overhead, bias
const PUT = createScript(`
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
local updated = tonumber(ARGV[3])
local bias = tonumber(ARGV[9])
if score then
  local held = tonumber(score)
  if held >= bias then held = held - bias end
  if held > updated then return 0 end
end
local overhead = tonumber(ARGV[8])
local old = redis.call('HSTRLEN', KEYS[1], ARGV[1])
local delta = string.len(ARGV[2]) - old
if not score then delta = delta + overhead end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local s = updated
if ARGV[4] == '1' then s = s + bias end
redis.call('ZADD', KEYS[2], s, ARGV[1])
local bytes = redis.call('HINCRBY', KEYS[3], 'bytes', delta)
local maxE = tonumber(ARGV[5])
local maxB = tonumber(ARGV[6])
local n = redis.call('ZCARD', KEYS[2])
if n <= maxE and bytes <= maxB then return 1 end
local goalE = math.floor(maxE * 0.99)
local goalB = math.floor(maxB * 0.99)
local dropped = 0
while (n > goalE or bytes > goalB) and n > 0 do
  local first = redis.call('ZPOPMIN', KEYS[2])
  local victim = first[1]
  bytes = bytes - redis.call('HSTRLEN', KEYS[1], victim) - overhead
  redis.call('HDEL', KEYS[1], victim)
  n = n - 1
  dropped = dropped + 1
end
redis.call('HSET', KEYS[3], 'bytes', bytes, 'complete', '0', 'evictedAt', ARGV[7])
return 1 + dropped
`);

// KEYS: data, order, meta. ARGV: id, evicted (0/1), now, overhead
const REMOVE = createScript(`
local len = redis.call('HSTRLEN', KEYS[1], ARGV[1])
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[3], 'bytes', -(len + tonumber(ARGV[4])))
end
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[2] == '1' then redis.call('HSET', KEYS[3], 'complete', '0', 'evictedAt', ARGV[3]) end
return 1
`);

// KEYS: meta. ARGV: asOf, full (0/1), fullAt, complete (0/1), windowMs.
// asOf only moves forward; a full pass is complete unless the copy evicted something since it started.
const PASSED = createScript(`
if ARGV[2] == '1' then
  local evictedAt = tonumber(redis.call('HGET', KEYS[1], 'evictedAt') or '-1')
  local complete = ARGV[4]
  if evictedAt >= tonumber(ARGV[3]) then complete = '0' end
  redis.call('HSET', KEYS[1], 'fullAt', ARGV[3], 'complete', complete, 'windowMs', ARGV[5])
elseif redis.call('HEXISTS', KEYS[1], 'fullAt') == 0 then
  return 0
end
local asOf = tonumber(redis.call('HGET', KEYS[1], 'asOf') or '0')
if tonumber(ARGV[1]) > asOf then redis.call('HSET', KEYS[1], 'asOf', ARGV[1]) end
return 1
`);

const RENEW = createScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);
const UNLOCK = createScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export interface RedisReplicaCopyOptions {
  redis: Redis;
  health: RedisHealth;
  /** Ends with the account, e.g. "asgw:default:". */
  prefix: string;
  maxEntries: number;
  maxBytes: number;
  clock: Clock;
  logger: Logger;
}

function isActive(t: Tracking): boolean {
  if (t.active === false) return false;
  return t.tag !== 'Delivered' && t.tag !== 'Expired';
}

export function createRedisReplicaCopy(options: RedisReplicaCopyOptions): ReplicaSharedCopy {
  const { redis, health, clock, logger } = options;
  const data = `${options.prefix}replica:data`;
  const order = `${options.prefix}replica:order`;
  const metaKey = `${options.prefix}replica:meta`;
  const lockKey = `${options.prefix}replica:lock`;
  const keys = [data, order, metaKey];
  const owner = randomBytes(8).toString('hex');
  /** The latest write per id, sent after the current tick. */
  const queue = new Map<string, { tracking: Tracking } | { evicted: boolean }>();
  let flushing: Promise<void> | undefined;
  let scheduled = false;
  /** A write was lost while Redis was away: the copy has holes until a full pass rewrites it. */
  let lost = false;
  let lockTimer: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const invalidate = (): void => {
    // Without fullAt the copy is not loaded by anyone; its size bookkeeping stays.
    redis.hdel(metaKey, 'fullAt').then(
      () => {
        lost = false;
        logger.info('replica copy in Redis marked incomplete (writes were lost while Redis was away): the next full pass rewrites it');
      },
      () => undefined,
    );
  };
  const unsubscribe = health.onChange((up) => {
    if (up && lost) invalidate();
  });

  /** One write; both scripts are idempotent (newest wins, removal), so a failed one may be sent again. */
  const write = (id: string, op: { tracking: Tracking } | { evicted: boolean }, now: string): Promise<unknown> => {
    if ('tracking' in op) {
      const t = op.tracking;
      const args = [id, JSON.stringify(t), timeOf(t.updated_at), isActive(t) ? 1 : 0, options.maxEntries, options.maxBytes, now, ENTRY_OVERHEAD_BYTES, ACTIVE_BIAS];
      return PUT(redis, keys, args);
    }
    return REMOVE(redis, keys, [id, op.evicted ? 1 : 0, now, ENTRY_OVERHEAD_BYTES]);
  };

  async function send(): Promise<void> {
    let batch = [...queue];
    queue.clear();
    const now = String(clock.now());
    for (let attempt = 0; batch.length > 0; attempt++) {
      // ioredis pipelines commands sent in the same tick on one connection.
      const results = await Promise.allSettled(batch.map(([id, op]) => write(id, op, now)));
      batch = batch.filter((_, i) => results[i].status === 'rejected');
      // Stopping: writes cut by the closing connection are the others' to make (they apply the same changes).
      if (batch.length === 0 || closed) return;
      // A timeout on a busy machine: asked again while Redis is up, before the copy is given up on.
      if (attempt < WRITE_RETRIES && health.up()) {
        await clock.sleep(100 * 2 ** attempt);
        continue;
      }
      if (!lost) logger.warn({ failed: batch.length }, 'replica copy in Redis: writes failed; it will be marked incomplete');
      lost = true;
      if (health.up()) invalidate();
      return;
    }
  }

  const flush = async (): Promise<void> => {
    while (flushing) await flushing;
    if (queue.size === 0) return;
    flushing = send().finally(() => (flushing = undefined));
    await flushing;
  };
  const schedule = (): void => {
    if (scheduled || closed) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  };

  /** Commands fail at once while the connection is not ready (no offline queue). */
  const whenUp = (ms: number): Promise<void> =>
    health.up()
      ? Promise.resolve()
      : new Promise((done) => {
          const timer = clock.setTimer(() => {
            off();
            done();
          }, ms);
          const off = health.onChange((up) => {
            if (!up) return;
            timer.cancel();
            off();
            done();
          });
        });

  return {
    async meta(): Promise<SharedCopyMeta | undefined> {
      await whenUp(CONNECT_WAIT_MS);
      const m = await redis.hgetall(metaKey);
      if (!m.fullAt || !m.asOf || !m.windowMs) return undefined;
      return { fullAt: Number(m.fullAt), asOf: Number(m.asOf), complete: m.complete === '1', windowMs: Number(m.windowMs) };
    },
    async lock() {
      const got = (await redis.set(lockKey, owner, 'PX', LOCK_MS, 'NX')) === 'OK';
      if (got && !lockTimer) {
        lockTimer = setInterval(() => void RENEW(redis, [lockKey], [owner, LOCK_MS]).catch(() => undefined), LOCK_MS / 3);
        lockTimer.unref();
      }
      return got;
    },
    async unlock() {
      if (lockTimer) clearInterval(lockTimer);
      lockTimer = undefined;
      await UNLOCK(redis, [lockKey], [owner]).catch(() => undefined);
    },
    async reset() {
      await flush();
      await redis.del(data, order, metaKey);
      lost = false;
    },
    async load(onChunk, signal) {
      let cursor = '0';
      do {
        if (signal.aborted) return;
        let reply: [string, string[]] | undefined;
        for (let attempt = 0; !reply; attempt++) {
          try {
            reply = await redis.hscan(data, cursor, 'COUNT', LOAD_CHUNK);
          } catch (e) {
            if (attempt >= LOAD_RETRIES || signal.aborted) throw e;
            await clock.sleep(100 * 2 ** attempt);
          }
        }
        const [next, flat] = reply;
        cursor = next;
        const trackings: Tracking[] = [];
        for (let i = 1; i < flat.length; i += 2) {
          try {
            trackings.push(JSON.parse(flat[i]) as Tracking);
          } catch {
            // Not ours to judge here: a broken entry is left out, the incremental pass relists it if it changed.
          }
        }
        onChunk(trackings);
      } while (cursor !== '0');
    },
    put(tracking) {
      if (!tracking.id || closed) return;
      queue.set(tracking.id, { tracking });
      schedule();
    },
    remove(id, evicted) {
      if (closed) return;
      queue.set(id, { evicted });
      schedule();
    },
    passed({ asOf, full }) {
      if (closed) return;
      // After the writes before it: the meta must not claim what is still queued.
      void flush()
        .then(() => {
          if (lost) return undefined;
          const args = full ? [asOf, 1, asOf, full.complete ? 1 : 0, full.windowMs] : [asOf, 0, 0, 0, 0];
          return PASSED(redis, [metaKey], args);
        })
        .catch(() => undefined);
    },
    flush,
    close() {
      closed = true;
      unsubscribe();
      if (lockTimer) clearInterval(lockTimer);
      lockTimer = undefined;
      void UNLOCK(redis, [lockKey], [owner]).catch(() => undefined);
    },
  };
}
