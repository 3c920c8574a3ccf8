/**
 * Fills and refreshes one account's replica from AfterShip's list endpoint, in the client's
 * background lane (served only when no user call waits), paced below the endpoint's limit so user
 * lookups batched into the same endpoint keep room:
 *
 * - warm-up (a full pass) at start: trackings updated in the window, most recently updated first
 *   (slices: the last hour, day, week, then the rest of the window), 200 per call;
 * - while the account's webhooks are not flowing: every `syncIntervalMs` an incremental pass
 *   (`updated_at_min` = start of the last completed pass) catches what changed;
 * - every `fullSyncIntervalMs` a full pass again, which also finds deleted trackings: held ones in
 *   the window that the pass did not list are dropped.
 * A failed call is retried after a back-off (the page is asked again); nothing a user waits for
 * depends on it: lookups of trackings not yet replicated take the normal path.
 */
import { MAX_LIST_LIMIT } from '../aftership/endpoints.js';
import type { AfterShipClient } from '../aftership/types.js';
import type { Tracking } from '../aftership/wire-types.js';
import { GatewayError } from '../lib/errors.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { ReplicaStore } from './store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Slice boundaries (age of updated_at) of a full pass, most recent first. */
const SLICES_MS = [HOUR, DAY, 7 * DAY];
const MAX_BACKOFF_MS = 60_000;

export interface ReplicaSyncOptions {
  client: AfterShipClient;
  store: ReplicaStore;
  clock: Clock;
  logger: Logger;
  /** Trackings updated within this long are replicated. */
  windowMs: number;
  /** List calls the sync starts per second at most (AfterShip allows 6). @default 4 */
  callsPerSecond?: number;
  /** Incremental pass interval while webhooks are not flowing. @default 60_000 */
  syncIntervalMs?: number;
  /** Full pass interval (finds deletions). @default 86_400_000 */
  fullSyncIntervalMs?: number;
  /** Forget a tracking AfterShip no longer lists (cache and replica, with a tombstone). */
  forget(id: string): void;
  /** How long a lookup of an unknown id waits for the warm-up to list it. @default 10_000 */
  waitMs?: number;
  /** Metrics. */
  recorder?: { listCall(kind: 'full' | 'incremental'): void };
}

export type ReplicaSyncState = 'warming' | 'ready' | 'stopped';

export interface ReplicaProgress {
  state: ReplicaSyncState;
  /** Trackings listed by the current (or last) full pass. */
  loaded: number;
  /** How many the current full pass will list, as far as AfterShip's totals tell so far. */
  total?: number;
  /** List calls made by the sync so far. */
  calls: number;
  /** ISO 8601 of the first full pass's start and end. */
  startedAt?: string;
  warmAt?: string;
  lastError?: string;
}

export interface ReplicaSync {
  /** Starts the warm-up in the background (once). */
  start(): void;
  /** Resolves when the first full pass completed (or the sync stopped). */
  warmup(): Promise<void>;
  /**
   * While the warm-up runs: waits (at most `waitMs`) for it to list a tracking the gateway has never
   * seen, the cheapest way to learn it (200 per call); undefined after that, or at once when warm.
   */
  awaitListed(id: string): Promise<Tracking | undefined>;
  progress(): ReplicaProgress;
  /** One incremental pass now (tests, tools). */
  syncNow(): Promise<void>;
  /** One full pass now (tests, tools). */
  fullSyncNow(): Promise<void>;
  stop(): void;
}

/** AfterShip's strict date format: `YYYY-MM-DDTHH:mm:ss+00:00`. */
const afterShipDate = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
const iso = (ms: number): string => new Date(ms).toISOString();

export function createReplicaSync(options: ReplicaSyncOptions): ReplicaSync {
  const { client, store, clock, logger, windowMs } = options;
  const minGapMs = 1000 / Math.max(0.1, options.callsPerSecond ?? 4);
  const syncIntervalMs = options.syncIntervalMs ?? 60_000;
  const fullSyncIntervalMs = options.fullSyncIntervalMs ?? DAY;
  const controller = new AbortController();
  const signal = controller.signal;
  let state: ReplicaSyncState = 'warming';
  let loaded = 0;
  let total: number | undefined;
  let calls = 0;
  let startedAt: number | undefined;
  let warmAt: number | undefined;
  let lastError: string | undefined;
  let lastCallAt = -Infinity;
  let lastFullAt = -Infinity;
  /** Start of the last completed pass: everything changed since is what an incremental pass lists. */
  let lastPassAt = -Infinity;
  let started = false;
  let running: Promise<void> = Promise.resolve();
  let warmed!: () => void;
  const warm = new Promise<void>((r) => (warmed = r));

  /** One page, retried after a back-off until it succeeds (or the sync stops). */
  async function page(query: Record<string, string | number>, kind: 'full' | 'incremental') {
    for (let failures = 0; ; failures++) {
      const wait = lastCallAt + minGapMs - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
      lastCallAt = clock.now();
      try {
        const list = await client.listTrackings(query, { priority: 'background', signal });
        calls++;
        options.recorder?.listCall(kind);
        return { list, at: lastCallAt };
      } catch (e) {
        if (signal.aborted) throw e;
        lastError = e instanceof GatewayError ? `${e.code}: ${e.message}` : String(e);
        const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures);
        logger.warn({ code: e instanceof GatewayError ? e.code : undefined, retryInMs: backoff }, `replica ${kind} pass: a list call failed; asking again in ${backoff} ms`);
        await clock.sleep(backoff, signal);
      }
    }
  }

  /** Lists [min, max] (updated_at), storing every tracking; returns how many were listed. */
  async function listRange(min: number, max: number | undefined, kind: 'full' | 'incremental', onTotal?: (n: number) => void): Promise<number> {
    let cursor: string | undefined;
    let listed = 0;
    let first = true;
    do {
      const query: Record<string, string | number> = { updated_at_min: afterShipDate(min), limit: MAX_LIST_LIMIT };
      if (max !== undefined) query.updated_at_max = afterShipDate(max);
      if (cursor) query.cursor = cursor;
      const { list, at } = await page(query, kind);
      if (first) onTotal?.(list.pagination?.total ?? 0);
      first = false;
      const trackings: Tracking[] = Array.isArray(list.trackings) ? list.trackings : [];
      for (const t of trackings) store.put(t, at);
      listed += trackings.length;
      if (kind === 'full') loaded += trackings.length;
      cursor = list.pagination?.has_next_page && list.pagination.next_cursor ? list.pagination.next_cursor : undefined;
    } while (cursor);
    return listed;
  }

  async function fullPass(): Promise<void> {
    const passStart = clock.now();
    const from = passStart - windowMs;
    loaded = 0;
    total = 0;
    startedAt ??= passStart;
    const bounds = [...SLICES_MS.filter((ms) => ms < windowMs).map((ms) => passStart - ms), from];
    logger.info({ windowDays: Math.round(windowMs / DAY), trackingsHeld: store.size() }, 'replica: full pass started (most recently updated first)');
    let upper: number | undefined;
    for (const lower of bounds) {
      await listRange(lower, upper, 'full', (n) => (total = (total ?? 0) + n));
      logger.info({ loaded, total, calls }, `replica: ${loaded} of about ${total} trackings listed`);
      upper = lower;
    }
    // Changed while the pass ran (moved into a slice already listed): list them before judging absence.
    await listRange(passStart - 1000, undefined, 'full');
    for (const id of store.unseenSince(passStart, from)) options.forget(id);
    store.passCompleted(passStart, true);
    lastFullAt = lastPassAt = passStart;
    if (warmAt === undefined) {
      warmAt = clock.now();
      state = 'ready';
      logger.info({ trackings: store.size(), calls, ms: warmAt - passStart }, `replica warm: ${store.size()} trackings in ${((warmAt - passStart) / 1000).toFixed(1)} s, ${calls} list calls`);
      store.releaseWaiters();
      warmed();
    }
  }

  async function incrementalPass(): Promise<void> {
    const passStart = clock.now();
    // One second of overlap: AfterShip's dates have second resolution.
    const changed = await listRange(Math.max(passStart - windowMs, lastPassAt - 1000), undefined, 'incremental');
    store.passCompleted(passStart, false);
    lastPassAt = passStart;
    if (changed) logger.debug({ changed }, 'replica: incremental pass');
  }

  /** Runs one pass at a time; a failure is logged (the loop carries on). */
  const exclusive = (pass: () => Promise<void>): Promise<void> => {
    const run = running.then(pass).catch((e: unknown) => {
      if (!signal.aborted) logger.warn({ error: String(e) }, 'replica pass failed');
    });
    running = run;
    return run;
  };

  async function loop(): Promise<void> {
    await exclusive(fullPass);
    while (!signal.aborted) {
      await clock.sleep(syncIntervalMs, signal).catch(() => undefined);
      if (signal.aborted) return;
      if (clock.now() - lastFullAt >= fullSyncIntervalMs) await exclusive(fullPass);
      else if (!store.live()) await exclusive(incrementalPass);
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      void loop();
    },
    warmup: () => warm,
    awaitListed: (id) => (state === 'warming' && !store.numberOf(id) ? store.whenHeld(id, options.waitMs ?? 10_000) : Promise.resolve(undefined)),
    progress: () => ({
      state,
      loaded,
      ...(total !== undefined ? { total } : {}),
      calls,
      ...(startedAt !== undefined ? { startedAt: iso(startedAt) } : {}),
      ...(warmAt !== undefined ? { warmAt: iso(warmAt) } : {}),
      ...(lastError ? { lastError } : {}),
    }),
    syncNow: () => exclusive(incrementalPass),
    fullSyncNow: () => exclusive(fullPass),
    stop() {
      state = 'stopped';
      controller.abort(new Error('replica stopped'));
      store.releaseWaiters();
      warmed();
    },
  };
}
