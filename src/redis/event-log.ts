/**
 * The event log of one account in a Redis stream, shared by every instance (src/realtime/event-log.ts
 * has the contract).
 *
 *   <prefix><account>:log            the stream: one entry per event, field `e` = the change's JSON
 *   <prefix><account>:log:since      the first cursor this stream ever had a chance to hold
 *   <prefix><account>:log:ev:<id>    the cursor given to an event id (idempotent appends)
 *
 * One Lua script appends: an event id already logged gets its cursor back (two instances polling
 * the same change, a retried append), else XADD trims by length (the size bound, from the average
 * entry size) and XTRIM by age (MINID). Trimming is approximate (`~`, whole stream nodes). The
 * horizon is the first entry left once anything was trimmed (Redis counts entries ever added), or
 * `since`: a cursor whose events were trimmed, or that predates a Redis that lost its data, is
 * expired and never silently gappy.
 *
 * While Redis is away, an event is handed back at once without a cursor (live subscribers still get
 * it) and kept here in order (bounded); it is appended when Redis returns, so a consumer resuming
 * later replays it with its cursor (at least once: it may have seen it live, cursorless).
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import {
  compareCursors,
  DEFAULT_EVENT_LOG_MAX_BYTES,
  DEFAULT_EVENT_LOG_RETENTION_MS,
  entryBytes,
  EventCursorExpiredError,
  EventLogUnavailableError,
  InvalidEventCursorError,
  parseCursor,
  type EventLog,
  type LoggedChange,
} from '../realtime/event-log.js';
import type { TrackingChange } from '../realtime/events.js';
import { createScript, type RedisHealth } from './connection.js';

export interface RedisEventLogOptions {
  redis: Redis;
  health: RedisHealth;
  /** Key prefix of this account, e.g. "asgw:default:". */
  prefix: string;
  clock: Clock;
  logger: Logger;
  /** @default 72 h */
  retentionMs?: number;
  /** @default 256 MiB */
  maxBytes?: number;
  /** Events kept for appending while Redis is away; past it the oldest are dropped (logged). @default 10000 */
  maxPending?: number;
}

// KEYS: stream, since, event key. ARGV: json, maxlen, minid, ttl ms.
// Returns { cursor, prevCursor|false }.
const APPEND = createScript(`
local known = redis.call('GET', KEYS[3])
if known then return { known, false } end
if redis.call('EXISTS', KEYS[2]) == 0 then
  local t = redis.call('TIME')
  redis.call('SET', KEYS[2], t[1] * 1000 + math.floor(t[2] / 1000) .. '-0')
end
local prev = false
if redis.call('EXISTS', KEYS[1]) == 1 then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  for i = 1, #info, 2 do if info[i] == 'last-generated-id' then prev = info[i + 1] end end
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[1])
redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[3])
redis.call('SET', KEYS[3], id, 'PX', ARGV[4])
return { id, prev }
`);

// KEYS: stream, since. ARGV: none. Returns { since, horizon, last-generated-id }; creates `since`.
// Trimming (MAXLEN, MINID) removes from the head without recording what it removed, but the stream
// counts what was ever added: when that exceeds its length, everything before the first entry left
// may be gone, so the horizon is that first entry (or the last id, when none is left).
const HORIZON = createScript(`
if redis.call('EXISTS', KEYS[2]) == 0 then
  local t = redis.call('TIME')
  redis.call('SET', KEYS[2], t[1] * 1000 + math.floor(t[2] / 1000) .. '-0', 'NX')
end
local since = redis.call('GET', KEYS[2])
local horizon, last = since, since
if redis.call('EXISTS', KEYS[1]) == 1 then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  local f = {}
  for i = 1, #info, 2 do f[info[i]] = info[i + 1] end
  last = f['last-generated-id']
  if tonumber(f['entries-added']) > tonumber(f['length']) then
    if tonumber(f['length']) > 0 then horizon = f['recorded-first-entry-id'] else horizon = last end
  end
end
return { since, horizon, last }
`);

const later = (a: string, b: string): string => (compareCursors(a, b) >= 0 ? a : b);

export function createRedisEventLog(options: RedisEventLogOptions): EventLog {
  const { redis, health, clock, logger } = options;
  const stream = `${options.prefix}log`;
  const sinceKey = `${stream}:since`;
  const eventKey = (id: string): string => `${stream}:ev:${id}`;
  const retentionMs = options.retentionMs ?? DEFAULT_EVENT_LOG_RETENTION_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_EVENT_LOG_MAX_BYTES;
  const maxPending = options.maxPending ?? 10_000;
  const counters = { replayedEvents: 0, replays: 0 };
  // The size bound as a length: bytes over the average entry this instance has written.
  let averageBytes = 2048;
  let appended = 0;

  const appendNow = async (change: TrackingChange): Promise<LoggedChange> => {
    const json = JSON.stringify(change);
    const size = entryBytes(json);
    appended++;
    averageBytes += (size - averageBytes) / Math.min(appended, 1000);
    const maxLen = Math.max(1, Math.floor(maxBytes / averageBytes));
    const minId = Math.max(0, clock.now() - retentionMs);
    const [cursor, prev] = (await APPEND(redis, [stream, sinceKey, eventKey(change.eventId)], [json, maxLen, minId, retentionMs])) as [string, string | null];
    return { ...change, cursor, prevCursor: prev || null };
  };

  // Events waiting for Redis, in order; appended (not published again) when it returns.
  const pending: TrackingChange[] = [];
  let draining = false;
  let droppedWarned = false;
  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    try {
      while (pending.length > 0 && health.up()) {
        try {
          await appendNow(pending[0]!);
          pending.shift();
        } catch {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    } finally {
      draining = false;
    }
  };
  const stopHealth = health.onChange((up) => {
    if (up) void drain();
  });
  const keep = (change: TrackingChange): TrackingChange => {
    pending.push(change);
    if (pending.length > maxPending) {
      pending.shift();
      if (!droppedWarned) {
        droppedWarned = true;
        logger.error({ maxPending }, 'event log: Redis away too long, the oldest events kept for it were dropped (consumers cannot replay them)');
      }
    }
    void drain();
    return change;
  };

  /** A read that fails (Redis away) is the client's EVENT_LOG_UNAVAILABLE: retry with the same cursor. */
  const reading = <T>(p: Promise<T>): Promise<T> => p.catch(() => Promise.reject(new EventLogUnavailableError()));
  const horizon = async (): Promise<{ horizon: string; last: string }> => {
    const [since, trimmed, last] = (await reading(HORIZON(redis, [stream, sinceKey], []))) as [string, string, string];
    return { horizon: later(since, trimmed), last };
  };

  return {
    async append(change) {
      if (pending.length > 0 || !health.up()) return keep(change);
      return appendNow(change).catch(() => keep(change));
    },
    async read(after, limit, until) {
      parseCursor(after);
      const raw = (await reading(redis.xrange(stream, `(${after}`, until ?? '+', 'COUNT', limit))) as [string, string[]][];
      // Checked after reading: if nothing after `after` had been trimmed by then, what was read is whole.
      const h = await horizon();
      if (compareCursors(after, h.horizon) < 0) throw new EventCursorExpiredError(retentionMs);
      if (compareCursors(after, h.last) > 0) throw new InvalidEventCursorError('after');
      const events = raw.map(([id, fields]) => ({ ...(JSON.parse(fields[1]!) as TrackingChange), cursor: id, prevCursor: null }) as LoggedChange);
      for (let i = 0; i < events.length; i++) events[i]!.prevCursor = i === 0 ? null : events[i - 1]!.cursor;
      return { events, end: events.length < limit };
    },
    async tail() {
      return (await horizon()).last;
    },
    noteReplay(events, started) {
      counters.replayedEvents += events;
      if (started) counters.replays++;
    },
    async stats() {
      const [entries, bytes, oldest] = await Promise.all([
        redis.xlen(stream),
        redis.memory('USAGE', stream).then((n) => Number(n ?? 0)),
        redis.xrange(stream, '-', '+', 'COUNT', 1),
      ]);
      const first = oldest[0]?.[0];
      return { entries, bytes, oldestAgeMs: first ? Math.max(0, clock.now() - parseCursor(first).ms) : null, ...counters };
    },
    async close() {
      stopHealth();
      if (pending.length > 0) logger.warn({ events: pending.length }, 'event log: closing with events never appended (Redis was away)');
      pending.length = 0;
    },
  };
}
