/**
 * The retained, ordered event log of one account: every change published to subscribers is
 * appended first and gets its cursor there, so a consumer that kept the cursor of the last event
 * it handled can come back and read what it missed (src/realtime/resume.ts).
 *
 * Cursors are `<ms>-<seq>` (a Redis stream entry id; the memory log makes the same kind), ordered
 * by (ms, seq), and opaque to clients. A cursor is resumable while every event after it is still
 * retained: not older than the log's horizon (the newest entry trimmed, or when this log began).
 * Past the horizon the answer is EVENT_CURSOR_EXPIRED, never a silent gap.
 *
 * Retention is by age (default 72 h, AfterShip's own retry horizon) and by size in bytes (the JSON
 * of the entries): the oldest entries go first.
 */
import type { Clock } from '../lib/clock.js';
import { GatewayError, type Fault, type PublicExtensions } from '../lib/errors.js';
import { jsonBytes } from '../lib/json-bytes.js';
import type { TrackingChange } from './events.js';

/** 72 hours: AfterShip retries a webhook for ~68.3 h; the gateway keeps its events as long. */
export const DEFAULT_EVENT_LOG_RETENTION_MS = 72 * 60 * 60 * 1000;
/** 256 MiB of event JSON (a tracking event is 1 to 4 KB: about 100,000 events). */
export const DEFAULT_EVENT_LOG_MAX_BYTES = 256 * 1024 * 1024;

/** A change as the log holds it: with its cursor and the cursor of the account's event before it. */
export type LoggedChange = TrackingChange & { cursor: string; prevCursor: string | null };

export interface EventLogPage {
  /** In cursor order, all after the `after` asked for. */
  events: LoggedChange[];
  /** True when the log held nothing more when it was read. */
  end: boolean;
}

export interface EventLogStats {
  /** Entries retained now. */
  entries: number;
  /** Bytes of their JSON (memory log), or Redis' MEMORY USAGE of the stream. */
  bytes: number;
  /** Age in ms of the oldest retained entry; null when empty. */
  oldestAgeMs: number | null;
  /** Events handed to consumers catching up (replays), and replays started. */
  replayedEvents: number;
  replays: number;
}

export interface EventLog {
  /**
   * Appends `change` (idempotent on `change.eventId`: a repeat gets the cursor it already has) and
   * returns it with its cursor; without one when the log cannot take it now (Redis away: it is
   * appended later, and delivered live meanwhile).
   */
  append(change: TrackingChange): Promise<TrackingChange>;
  /**
   * Up to `limit` events after `after` (exclusive) and up to `until` (inclusive) when given.
   * Throws EventCursorExpiredError when events after `after` were trimmed already.
   */
  read(after: string, limit: number, until?: string): Promise<EventLogPage>;
  /** The cursor of the newest event (or of the log's start when it holds none): "from now on". */
  tail(): Promise<string>;
  /** Counts a replay served (metrics). */
  noteReplay(events: number, started: boolean): void;
  stats(): Promise<EventLogStats>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- cursors

const CURSOR = /^(\d{1,15})-(\d{1,15})$/;

/** The cursor a client sent is not one the gateway issued. */
export class InvalidEventCursorError extends GatewayError {
  override readonly name = 'InvalidEventCursorError';
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly argument: string) {
    super(`${argument} is not an event cursor: pass the \`cursor\` of the last event you handled (SSE: its \`id\`), as received.`);
  }

  override get extensions(): PublicExtensions {
    return { code: this.code, argument: this.argument };
  }
}

/** Events after the cursor were dropped from the log (older than the retention, or the log was lost). */
export class EventCursorExpiredError extends GatewayError {
  override readonly name = 'EventCursorExpiredError';
  readonly code = 'EVENT_CURSOR_EXPIRED';
  constructor(readonly retentionMs: number) {
    super(
      'Events after this cursor are no longer retained, so some cannot be replayed. Resynchronise: read the current ' +
        'state of your trackings with the `trackings` query, then subscribe to `trackingEvents` without `after` (or ' +
        'with the `cursor` of the first event you receive). Events are kept ' + `${Math.round(retentionMs / 3_600_000)} h.`,
    );
  }

  override get extensions(): PublicExtensions {
    return { code: this.code, retentionHours: Math.round(this.retentionMs / 3_600_000), resync: 'query trackings, then subscribe to trackingEvents without after' };
  }
}

/** The log cannot be read now (Redis unreachable): resuming is refused rather than answered with a gap. */
export class EventLogUnavailableError extends GatewayError {
  override readonly name = 'EventLogUnavailableError';
  readonly code = 'EVENT_LOG_UNAVAILABLE';
  constructor() {
    super('The event log cannot be read right now (its store is unreachable). Retry shortly with the same cursor.');
  }

  override get fault(): Fault {
    return 'upstream';
  }
}

export interface Cursor {
  ms: number;
  seq: number;
}

/** Parses a cursor; throws InvalidEventCursorError (BAD_USER_INPUT) naming `argument` when it is not one. */
export function parseCursor(text: string, argument = 'after'): Cursor {
  const m = CURSOR.exec(text);
  if (!m) throw new InvalidEventCursorError(argument);
  return { ms: Number(m[1]), seq: Number(m[2]) };
}

export const formatCursor = (c: Cursor): string => `${c.ms}-${c.seq}`;

/** Negative when `a` comes before `b`. */
export function compareCursors(a: string, b: string): number {
  const x = parseCursor(a);
  const y = parseCursor(b);
  return x.ms !== y.ms ? x.ms - y.ms : x.seq - y.seq;
}

/** Bytes an entry counts for against the size bound: its JSON, as the Redis log stores it. */
export const entryBytes = (json: string): number => Buffer.byteLength(json);

/**
 * The same for an entry the memory log holds as an object: its tracking (most of it) weighed once,
 * without serialising it again (a webhook's tracking comes weighed by its body), the rest serialised.
 */
function loggedBytes(logged: LoggedChange): number {
  const { tracking, trackingBytes, ...rest } = logged;
  return entryBytes(JSON.stringify(rest)) + (trackingBytes ?? jsonBytes(tracking)) + 12; // + `,"tracking":`
}

// ---------------------------------------------------------------- memory log

export interface MemoryEventLogOptions {
  clock: Clock;
  /** @default 72 h */
  retentionMs?: number;
  /** @default 256 MiB */
  maxBytes?: number;
}

interface Entry {
  change: LoggedChange;
  ms: number;
  bytes: number;
}

/**
 * One process' log (no REDIS_URL): an array in cursor order, trimmed from the front. It begins
 * empty at each start, so a cursor from before a restart is expired (its events are gone).
 */
export interface MemoryEventLog extends EventLog {
  /** Memory always takes the event: it comes back with its cursor. */
  append(change: TrackingChange): Promise<LoggedChange>;
}

export function createMemoryEventLog(options: MemoryEventLogOptions): MemoryEventLog {
  const { clock } = options;
  const retentionMs = options.retentionMs ?? DEFAULT_EVENT_LOG_RETENTION_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_EVENT_LOG_MAX_BYTES;
  let entries: Entry[] = [];
  let head = 0; // entries before `head` are trimmed (compacted now and then)
  let bytes = 0;
  let last: Cursor = { ms: clock.now(), seq: 0 };
  /** Every event after this cursor is retained. */
  let horizon = formatCursor(last);
  let lastIssued: string | null = null;
  const byEventId = new Map<string, LoggedChange>();
  const counters = { replayedEvents: 0, replays: 0 };

  const trim = (): void => {
    const cutoff = clock.now() - retentionMs;
    while (head < entries.length && (bytes > maxBytes || entries[head]!.ms < cutoff)) {
      const e = entries[head++]!;
      bytes -= e.bytes;
      horizon = e.change.cursor;
      if (byEventId.get(e.change.eventId) === e.change) byEventId.delete(e.change.eventId);
    }
    if (head > 1024 && head * 2 > entries.length) {
      entries = entries.slice(head);
      head = 0;
    }
  };

  /** Index of the first entry after `cursor` (binary search: entries are in cursor order). */
  const firstAfter = (cursor: Cursor): number => {
    let lo = head;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = parseCursor(entries[mid]!.change.cursor);
      if (c.ms < cursor.ms || (c.ms === cursor.ms && c.seq <= cursor.seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    async append(change) {
      const known = byEventId.get(change.eventId);
      if (known) return known;
      const now = clock.now();
      // Monotonic even if the clock steps back: the same ms with the next sequence number.
      last = now > last.ms ? { ms: now, seq: 0 } : { ms: last.ms, seq: last.seq + 1 };
      const logged: LoggedChange = { ...change, cursor: formatCursor(last), prevCursor: lastIssued };
      lastIssued = logged.cursor;
      const size = loggedBytes(logged);
      entries.push({ change: logged, ms: now, bytes: size });
      bytes += size;
      byEventId.set(change.eventId, logged);
      trim();
      return logged;
    },
    async read(after, limit, until) {
      const from = parseCursor(after);
      trim();
      if (compareCursors(after, horizon) < 0) throw new EventCursorExpiredError(retentionMs);
      // Not issued by this log (another gateway's, or made up): reading after it would skip events.
      if (compareCursors(after, formatCursor(last)) > 0) throw new InvalidEventCursorError('after');
      const to = until ? parseCursor(until) : undefined;
      const events: LoggedChange[] = [];
      let i = firstAfter(from);
      for (; i < entries.length && events.length < limit; i++) {
        const e = entries[i]!.change;
        if (to && compareCursors(e.cursor, formatCursor(to)) > 0) return { events, end: true };
        events.push(e);
      }
      return { events, end: i >= entries.length };
    },
    async tail() {
      return head < entries.length ? entries[entries.length - 1]!.change.cursor : horizon;
    },
    noteReplay(events, started) {
      counters.replayedEvents += events;
      if (started) counters.replays++;
    },
    async stats() {
      trim();
      const oldest = entries[head];
      return {
        entries: entries.length - head,
        bytes,
        oldestAgeMs: oldest ? clock.now() - oldest.ms : null,
        ...counters,
      };
    },
    async close() {
      entries = [];
      head = 0;
      bytes = 0;
      byEventId.clear();
    },
  };
}
