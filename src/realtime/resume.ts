/**
 * `trackingEvents(filter, after)`: the retained events after a cursor, then live ones, with no gap
 * and no duplicate at the seam.
 *
 * 1. Subscribe to the account's live stream first (unfiltered: every event carries `prevCursor`,
 *    the account's event before it, so a missing one shows), then read the log after `after`.
 * 2. Replay page by page until the log has nothing more; live events buffered meanwhile that were
 *    replayed already (cursor at or before the last one handled) are skipped.
 * 3. Live: an event whose `prevCursor` is the last one handled follows on. Anything else (the
 *    subscriber's buffer overflowed, or instances published out of cursor order) is a gap, filled
 *    from the log up to that event. So a consumer sees cursor order whatever instance published.
 *
 * An event that could not be logged (Redis away) has no cursor: it is delivered live as it comes.
 *
 * The filter is applied here, after ordering; trackings named in it are still watched (polled
 * when webhooks are off).
 */
import { compileFilter, type TrackingChange, type TrackingEventFilter } from './events.js';
import { compareCursors, InvalidEventCursorError, parseCursor, type EventLog, type EventLogPage, type LoggedChange } from './event-log.js';
import type { RealtimePubSub } from './pubsub.js';

export interface ResumeOptions {
  log: EventLog;
  pubsub: RealtimePubSub;
  accountId: string;
  filter?: TrackingEventFilter | null;
  /** The cursor to resume after, as the client sent it. */
  after: string;
  /** Names the cursor's origin in errors (`after`, or the `Last-Event-ID` header). @default "after" */
  argument?: string;
  /** Events read from the log per round trip. @default 500 */
  pageSize?: number;
  /** Live events buffered while the replay runs (more is a gap, read from the log). @default 1000 */
  maxBuffered?: number;
}

/**
 * Validates the cursor and reads its first page before resolving, so a malformed cursor
 * (BAD_USER_INPUT) or an expired one (EVENT_CURSOR_EXPIRED) is the subscription's error, not an
 * event. Returns the events in order; `return()` unsubscribes.
 */
export async function resumeEvents(options: ResumeOptions): Promise<AsyncIterableIterator<TrackingChange>> {
  const { log, pubsub, accountId } = options;
  const argument = options.argument ?? 'after';
  const pageSize = options.pageSize ?? 500;
  parseCursor(options.after, argument);
  const accept = compileFilter(options.filter);
  const live = pubsub.subscribeEvents(accountId, null, { maxBuffered: options.maxBuffered ?? 1000 });
  const unwatch = pubsub.watchTrackings(accountId, options.filter?.trackingIds ?? []);
  let first: EventLogPage;
  try {
    first = await log.read(options.after, pageSize);
  } catch (e) {
    void live.return();
    unwatch();
    throw e instanceof InvalidEventCursorError ? new InvalidEventCursorError(argument) : e;
  }
  log.noteReplay(0, true);

  async function* run(): AsyncGenerator<TrackingChange> {
    let seen = options.after;
    let page = first;
    /** Reads the log after `seen` (up to `until`), yielding what passes the filter. */
    async function* fromLog(until?: string): AsyncGenerator<LoggedChange> {
      for (;;) {
        for (const e of page.events) {
          seen = e.cursor;
          log.noteReplay(1, false);
          if (accept(e)) yield e;
        }
        if (page.end) return;
        page = await log.read(seen, pageSize, until);
      }
    }
    try {
      yield* fromLog();
      let dropped = live.dropped();
      for await (const message of live) {
        // Not logged (Redis away): delivered live now, replayed with its cursor after a later resume.
        // The live subscription is unfiltered (the log is read unfiltered too): an event not passed
        // on here is not counted as delivered (pubsub stats, metrics).
        if (!message.cursor) {
          if (accept(message)) yield message;
          else live.skipped();
          continue;
        }
        const c = message as LoggedChange;
        if (compareCursors(c.cursor, seen) <= 0) {
          live.skipped(); // replayed from the log already
          continue;
        }
        if (c.prevCursor === seen && live.dropped() === dropped) {
          seen = c.cursor;
          if (accept(c)) yield c;
          else live.skipped();
          continue;
        }
        // A gap before this event: the log has it all, in order (this one included, as a replay).
        live.skipped();
        page = await log.read(seen, pageSize, c.cursor);
        yield* fromLog(c.cursor);
        dropped = live.dropped();
      }
    } finally {
      void live.return();
      unwatch();
    }
  }
  const events = run();
  // An async generator waiting for a live event would only see return() after that event arrives:
  // ending the live subscription first lets it finish now (the client left, or the gateway drains).
  const stop = (): void => {
    void live.return();
    unwatch();
  };
  const iterator: AsyncIterableIterator<TrackingChange> = {
    next: () => events.next(),
    return(value?: unknown) {
      stop();
      return events.return(value as TrackingChange);
    },
    throw(error?: unknown) {
      stop();
      return events.throw(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
