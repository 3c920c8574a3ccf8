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
 *   K:q  hash of requesters with waiters: owner → "waiting:until" (the shared demand, see `Demand`)
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
import { DEMAND_GRACE_MS, TURN_MS, type AcquireResult, type BudgetStore } from '../aftership/budget-store-memory.js';
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

// KEYS: 5 per window (d, f, w, p, q). ARGV: now, time, ttl, ticket, owner ('' = no demand), turn,
// grace, then windowMs, limit, waiting per window.
const ACQUIRE = `${CLOCK}
local ttl = tonumber(ARGV[3])
local ticket = ARGV[4]
local owner = ARGV[5]
local turn = tonumber(ARGV[6])
local grace = tonumber(ARGV[7])
local n = #KEYS / 5
local retryAt = nil
local blockedBy = 0
local others = {}
local function ownerOf(m) return string.match(m, '^(.*):[^:]*$') or '' end
for i = 1, n do
  local d, f, p, q = KEYS[5*i-4], KEYS[5*i-3], KEYS[5*i-1], KEYS[5*i]
  local win = tonumber(ARGV[5 + 3*i])
  local limit = tonumber(ARGV[6 + 3*i])
  local list, contenders = {}, {}
  if owner ~= '' then
    local h = redis.call('HGETALL', q)
    for j = 1, #h, 2 do
      local waiting, untilAt = string.match(h[j+1], '^(%d+):(%d+)$')
      waiting = tonumber(waiting)
      untilAt = tonumber(untilAt)
      if untilAt == nil or untilAt <= now then redis.call('HDEL', q, h[j])
      elseif h[j] ~= owner and waiting > 0 then
        table.insert(list, waiting)
        table.insert(contenders, h[j])
      end
    end
  end
  others[i] = list
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
    elseif #contenders > 0 then
      local held = {}
      for _, set in ipairs({d, f}) do
        for _, m in ipairs(redis.call('ZRANGE', set, 0, -1)) do
          local o = ownerOf(m)
          held[o] = (held[o] or 0) + 1
        end
      end
      local mine = held[owner] or 0
      local behind = 0
      for _, o in ipairs(contenders) do
        if (held[o] or 0) < mine then behind = behind + 1 end
      end
      local at = now + turn
      if limit - count <= behind and (retryAt == nil or at > retryAt) then retryAt = at; blockedBy = i end
    end
  end
end
local ok = blockedBy == 0
if owner ~= '' then
  local base = now
  if not ok then base = retryAt end
  for i = 1, n do
    local q = KEYS[5*i]
    local waiting = tonumber(ARGV[7 + 3*i])
    if ok then waiting = waiting - 1 end
    if waiting > 0 then
      local untilAt = base + grace
      redis.call('HSET', q, owner, waiting .. ':' .. untilAt)
      local keep = untilAt - now + 1000
      if redis.call('PTTL', q) < keep then redis.call('PEXPIRE', q, keep) end
    else
      redis.call('HDEL', q, owner)
    end
  end
end
if not ok then return {0, tostring(retryAt - offset), blockedBy, others} end
for i = 1, n do
  local d, f, w = KEYS[5*i-4], KEYS[5*i-3], KEYS[5*i-2]
  local win = tonumber(ARGV[5 + 3*i])
  if tonumber(ARGV[6 + 3*i]) > 0 then
    redis.call('ZADD', f, now, ticket)
    redis.call('PEXPIRE', f, ttl + 1000)
    redis.call('SET', w, win, 'PX', ttl + win + 1000)
  end
end
return {1, '', 0, others}
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
  const keysOf = (key: string) => ({ d: `${base}${key}:d`, f: `${base}${key}:f`, w: `${base}${key}:w`, p: `${base}${key}:p`, q: `${base}${key}:q` });

  return {
    async tryAcquire(windows, now, ticket, demand): Promise<AcquireResult> {
      const keys: string[] = [];
      const args: (string | number)[] = [Math.floor(now), time, ttl, ticket, demand?.owner ?? '', TURN_MS, DEMAND_GRACE_MS];
      windows.forEach((w, i) => {
        const k = keysOf(w.key);
        keys.push(k.d, k.f, k.w, k.p, k.q);
        args.push(Math.ceil(w.windowMs), Math.floor(w.limit), Math.max(0, Math.floor(demand?.waiting[i] ?? 0)));
      });
      const r = (await acquireScript(redis, keys, args)) as [number, string, number, number[][]];
      const seen = demand ? { others: r[3] } : {};
      if (r[0] === 1) return { ok: true, ...seen };
      return { ok: false, retryAtMs: Number(r[1]), blockedBy: windows[Number(r[2]) - 1].key, ...seen };
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
