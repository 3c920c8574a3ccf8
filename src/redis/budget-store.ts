/**
 * `BudgetStore` in Redis: one rate budget shared by every gateway instance of an AfterShip account.
 * Same semantics as the memory store (see aftership/budget-store-memory.ts); each method is one
 * Lua script, so it is atomic across instances.
 *
 * Per window key K:
 *   K:d  sorted set of completed sends, score = end + windowMs (when the send stops counting)
 *   K:f  sorted set of sends in flight, score = start (stops counting at start + inflightTtlMs)
 *   K:w  the window length, so `complete` (which only gets keys) can score a finished send
 *   K:p  pause end
 * A refusal's retryAt is the (count - limit)-th leave time in ascending order: completed sends
 * leave at their score, sends in flight are assumed to complete now and leave at now + windowMs
 * (exactly what the memory store computes).
 *
 * Time: with `time: 'redis'` (the default) the scripts read Redis's own clock (`TIME`) for all
 * window arithmetic, so instances whose clocks disagree still share one consistent log. The
 * caller's times are translated by the offset between its `now` and Redis time measured in the
 * same call (pause ends in, retry times out). `complete` stamps the end with Redis time when the
 * script runs (the budget calls it the moment an attempt ends). `time: 'caller'` uses the times
 * passed in unchanged, for tests that drive a ManualClock; then instances' clocks must agree.
 */
import type { Redis } from 'ioredis';
import type { AcquireResult, BudgetStore } from '../aftership/budget-store-memory.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { createScript } from './connection.js';

export interface RedisBudgetStoreOptions {
  redis: Redis;
  /** Prefix of every key. @default "asgw:" */
  prefix?: string;
  /** @default 'redis' (see module comment) */
  time?: 'redis' | 'caller';
  /** A send never completed stops counting this long after its start. @default 60000 */
  inflightTtlMs?: number;
  /** The caller's clock, to translate pause times in `pause`/`pausedUntil`. @default systemClock */
  clock?: Clock;
}

/** Shared prelude: `now` in store time and `offset` = store time − caller time. */
const CLOCK = `
local callerNow = tonumber(ARGV[1])
local now = callerNow
if ARGV[2] == 'redis' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local offset = now - callerNow
`;

// KEYS: 4 per window (d, f, w, p). ARGV: now, time, ttl, ticket, then windowMs, limit per window.
const ACQUIRE = `${CLOCK}
local ttl = tonumber(ARGV[3])
local ticket = ARGV[4]
local n = #KEYS / 4
local retryAt = nil
local blockedBy = 0
for i = 1, n do
  local d, f, p = KEYS[4*i-3], KEYS[4*i-2], KEYS[4*i]
  local win = tonumber(ARGV[3 + 2*i])
  local limit = tonumber(ARGV[4 + 2*i])
  local paused = tonumber(redis.call('GET', p) or '0')
  if paused > now and (retryAt == nil or paused > retryAt) then retryAt = paused; blockedBy = i end
  if limit > 0 then
    redis.call('ZREMRANGEBYSCORE', d, '-inf', now)
    redis.call('ZREMRANGEBYSCORE', f, '-inf', now - ttl)
    local c = redis.call('ZCARD', d)
    local count = c + redis.call('ZCARD', f)
    if count >= limit then
      local idx = count - limit
      local at = now + win
      if idx < c then at = tonumber(redis.call('ZRANGE', d, idx, idx, 'WITHSCORES')[2]) end
      if retryAt == nil or at > retryAt then retryAt = at; blockedBy = i end
    end
  end
end
if blockedBy > 0 then return {0, tostring(retryAt - offset), blockedBy} end
for i = 1, n do
  local d, f, w = KEYS[4*i-3], KEYS[4*i-2], KEYS[4*i-1]
  local win = tonumber(ARGV[3 + 2*i])
  if tonumber(ARGV[4 + 2*i]) > 0 then
    redis.call('ZADD', f, now, ticket)
    redis.call('PEXPIRE', f, ttl + 1000)
    redis.call('SET', w, win, 'PX', ttl + win + 1000)
  end
end
return {1}
`;

// KEYS: 3 per key (d, f, w). ARGV: at, time, ticket.
const COMPLETE = `${CLOCK}
local ticket = ARGV[3]
for i = 1, #KEYS / 3 do
  local d, f, w = KEYS[3*i-2], KEYS[3*i-1], KEYS[3*i]
  local start = redis.call('ZSCORE', f, ticket)
  if start then
    local win = tonumber(redis.call('GET', w) or '0')
    local finish = math.max(now, tonumber(start))
    redis.call('ZREM', f, ticket)
    redis.call('ZADD', d, finish + win, ticket)
    local keep = finish + win - now + 1000
    if redis.call('PTTL', d) < keep then redis.call('PEXPIRE', d, keep) end
  end
end
return 1
`;

// KEYS: p. ARGV: caller now, time, until (caller time).
const PAUSE = `${CLOCK}
local untilAt = tonumber(ARGV[3]) + offset
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilAt > now and untilAt > current then
  redis.call('SET', KEYS[1], untilAt, 'PX', math.ceil(untilAt - now) + 1000)
end
return 1
`;

// KEYS: p. ARGV: caller now, time.
const PAUSED_UNTIL = `${CLOCK}
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current <= 0 then return '0' end
return tostring(current - offset)
`;

const acquireScript = createScript(ACQUIRE);
const completeScript = createScript(COMPLETE);
const pauseScript = createScript(PAUSE);
const pausedUntilScript = createScript(PAUSED_UNTIL);

export function createRedisBudgetStore(options: RedisBudgetStoreOptions): BudgetStore {
  const { redis } = options;
  const base = `${options.prefix ?? 'asgw:'}rb:`;
  const time = options.time ?? 'redis';
  const ttl = options.inflightTtlMs ?? 60_000;
  const clock = options.clock ?? systemClock;
  const keysOf = (key: string) => ({ d: `${base}${key}:d`, f: `${base}${key}:f`, w: `${base}${key}:w`, p: `${base}${key}:p` });

  return {
    async tryAcquire(windows, now, ticket): Promise<AcquireResult> {
      const keys: string[] = [];
      const args: (string | number)[] = [Math.floor(now), time, ttl, ticket];
      for (const w of windows) {
        const k = keysOf(w.key);
        keys.push(k.d, k.f, k.w, k.p);
        args.push(Math.ceil(w.windowMs), Math.floor(w.limit));
      }
      const r = (await acquireScript(redis, keys, args)) as [number, string?, number?];
      if (r[0] === 1) return { ok: true };
      return { ok: false, retryAtMs: Number(r[1]), blockedBy: windows[Number(r[2]) - 1].key };
    },
    async complete(keys, ticket, at) {
      const all: string[] = [];
      for (const key of keys) {
        const k = keysOf(key);
        all.push(k.d, k.f, k.w);
      }
      await completeScript(redis, all, [Math.floor(at), time, ticket]);
    },
    async pause(key, untilMs) {
      await pauseScript(redis, [keysOf(key).p], [clock.now(), time, Math.ceil(untilMs)]);
    },
    async pausedUntil(key) {
      return Number(await pausedUntilScript(redis, [keysOf(key).p], [clock.now(), time]));
    },
  };
}
