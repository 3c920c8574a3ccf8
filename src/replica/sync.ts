/**
 * Fills and refreshes one account's replica from AfterShip's list endpoint, in the client's
 * background lane (served only when no user call waits), paced below the endpoint's limit so user
 * lookups batched into the same endpoint keep room:
 *
 * - warm-up (a full pass) at start: trackings updated in the window, most recently updated first
 *   (slices: the last hour, day, week, then the rest of the window), 200 per call;
 * - every `syncIntervalMs` an incremental pass from the start of the last completed pass: while the
 *   account's webhooks are not flowing, of what changed (`updated_at_min`); while they flow, of what
 *   was created (`created_at_min`: AfterShip sends no webhook for a tracking created elsewhere until
 *   its first status), so exact list pages from the replica (list.ts) show it within the interval;
 * - every `fullSyncIntervalMs` a full pass again, which also finds deleted trackings: held ones in
 *   the window that the pass did not list are dropped.
 * A failed call is retried after a back-off (the page is asked again); nothing a user waits for
 * depends on it: lookups of trackings not yet replicated take the normal path.
 *
 * With a shared copy (Redis, see shared.ts) an instance starts from the copy when a full pass was
 * written into it within `fullSyncIntervalMs`: it loads it and lists only what changed since its
 * `asOf` (no warm-up). Otherwise one instance warms up into it (the copy's lock) while the others wait
 * for it to be written; full passes are taken by one instance at a time the same way.
 */
import { MAX_LIST_LIMIT } from '../aftership/endpoints.js';
import type { AfterShipClient } from '../aftership/types.js';
import type { Tracking } from '../aftership/wire-types.js';
import { GatewayError } from '../lib/errors.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { mirrorToCopy, type ReplicaSharedCopy, type SharedCopyMeta } from './shared.js';
import type { ReplicaStore } from './store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Slice boundaries (age of updated_at) of a full pass, most recent first. */
const SLICES_MS = [HOUR, DAY, 7 * DAY];
const MAX_BACKOFF_MS = 60_000;
/** While webhooks flow, the shared copy is said current up to this long ago (writes still in flight). */
const HEARTBEAT_MARGIN_MS = 5_000;
/** How often an instance waiting for another one's warm-up looks at the shared copy again. */
const SHARED_POLL_MS = 1_000;

export interface ReplicaSyncOptions {
  client: AfterShipClient;
  store: ReplicaStore;
  clock: Clock;
  logger: Logger;
  /** Trackings updated within this long are replicated. */
  windowMs: number;
  /** List calls the sync starts per second at most (AfterShip allows 6). @default 4 */
  callsPerSecond?: number;
  /** Incremental pass interval (changes while webhooks are not flowing, creations while they flow). @default 60_000 */
  syncIntervalMs?: number;
  /** Full pass interval (finds deletions). @default 86_400_000 */
  fullSyncIntervalMs?: number;
  /** Forget a tracking AfterShip no longer lists (cache and replica, with a tombstone). */
  forget(id: string): void;
  /** How long a lookup of an unknown id waits for the warm-up to list it. @default 10_000 */
  waitMs?: number;
  /** Metrics. */
  recorder?: { listCall(kind: 'full' | 'incremental'): void };
  /** The copy shared with the other instances (Redis): started from when usable, and kept current. */
  shared?: ReplicaSharedCopy;
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
  /** Where the replica came from: the shared copy in Redis, or this instance's own warm-up. */
  source?: 'redis' | 'warm-up';
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
  /**
   * How a lookup of `id` goes now: undefined when warm or the id was seen (the normal path). While
   * warming, for an id never seen: `fetch` asks GET /trackings/:id in the interactive lane and waits
   * for the listing at the same time, whichever answers first (src/loaders), so the per-id budget
   * does not idle while the list endpoint warms and the interactive lane is never held back; `wait`
   * (while the shared copy loads, about a second) waits for it, then takes the normal path.
   */
  unseen(id: string): 'fetch' | 'wait' | undefined;
  progress(): ReplicaProgress;
  /** One incremental pass now (tests, tools). */
  syncNow(): Promise<void>;
  /** One full pass now (tests, tools). */
  fullSyncNow(): Promise<void>;
  /** A failed list call waiting out its back-off is asked again now (the account's OAuth connection was just made). */
  retryNow(): void;
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
  /** Ends the current back-off early (`retryNow`). */
  let backoffCut: AbortController | undefined;
  let source: 'redis' | 'warm-up' | undefined;
  const shared = options.shared;
  const mirror = shared ? mirrorToCopy(store, shared) : undefined;
  /** This instance holds the shared copy's lock (it runs the full pass into it). */
  let locked = false;
  /** Reading the shared copy (or whether there is one) now: lookups wait for it rather than race it. */
  let loadingCopy = shared !== undefined;
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
        // Once per streak at warn (an OAuth account not connected yet fails every minute until it is).
        const level = failures === 0 ? 'warn' : 'debug';
        logger[level]({ code: e instanceof GatewayError ? e.code : undefined, retryInMs: backoff }, `replica ${kind} pass: a list call failed; asking again in ${backoff} ms`);
        backoffCut = new AbortController();
        await clock.sleep(backoff, AbortSignal.any([signal, backoffCut.signal])).catch((cut: unknown) => {
          if (signal.aborted) throw cut;
        });
        backoffCut = undefined;
      }
    }
  }

  /** Lists [min, max] (updated_at), storing every tracking; returns how many were listed. */
  async function listRange(min: number, max: number | undefined, kind: 'full' | 'incremental', onTotal?: (n: number) => void, by: 'updated' | 'created' = 'updated'): Promise<number> {
    let cursor: string | undefined;
    let listed = 0;
    let first = true;
    do {
      const query: Record<string, string | number> = { [`${by}_at_min`]: afterShipDate(min), limit: MAX_LIST_LIMIT };
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
    shared?.passed({ asOf: passStart, full: { complete: store.coverage().complete, windowMs } });
    if (locked) {
      locked = false;
      await shared?.unlock();
    }
    if (warmAt === undefined) {
      source = 'warm-up';
      becameWarm(passStart, `replica warm: ${store.size()} trackings in ${((clock.now() - passStart) / 1000).toFixed(1)} s, ${calls} list calls`);
    }
  }

  function becameWarm(since: number, message: string): void {
    warmAt = clock.now();
    state = 'ready';
    logger.info({ trackings: store.size(), calls, ms: warmAt - since, source }, message);
    store.releaseWaiters();
    warmed();
  }

  const usable = (m: SharedCopyMeta, now: number): boolean =>
    m.windowMs === windowMs && now - m.fullAt < fullSyncIntervalMs && m.asOf > now - windowMs;

  /**
   * Loads the shared copy when it is usable and lists what changed since; false when this instance
   * warms up instead (holding the copy's lock, or alone while Redis is unreachable).
   */
  async function fromShared(copy: ReplicaSharedCopy): Promise<boolean> {
    try {
      return await fromSharedCopy(copy);
    } finally {
      loadingCopy = false;
    }
  }
  async function fromSharedCopy(copy: ReplicaSharedCopy): Promise<boolean> {
    let waiting = false;
    for (;;) {
      loadingCopy = true;
      const meta = await copy.meta().catch(() => 'unreachable' as const);
      if (meta === 'unreachable') {
        logger.warn('replica: the shared copy in Redis is unreachable; warming up on this instance alone');
        return false;
      }
      const loadStart = clock.now();
      if (meta && usable(meta, loadStart)) {
        try {
          await copy.load((trackings) => {
            mirror?.restore(trackings, meta.asOf);
            loaded += trackings.length;
          }, signal);
        } catch (e) {
          if (signal.aborted) throw e;
          logger.warn({ error: String(e) }, 'replica: reading the shared copy failed; warming up instead');
          return false;
        }
        loadingCopy = false;
        store.passCompleted(meta.fullAt, meta.complete);
        lastFullAt = meta.fullAt;
        lastPassAt = meta.asOf;
        startedAt ??= loadStart;
        source = 'redis';
        logger.info({ trackings: store.size(), asOf: iso(meta.asOf) }, 'replica: loaded the shared copy from Redis; listing what changed since');
        await incrementalPass();
        becameWarm(loadStart, `replica warm from Redis: ${store.size()} trackings in ${((clock.now() - loadStart) / 1000).toFixed(1)} s, ${calls} list calls`);
        return true;
      }
      const got = await copy.lock().catch(() => 'unreachable' as const);
      if (got === 'unreachable') return false;
      if (got) {
        logger.info({ copy: meta ? { fullAt: iso(meta.fullAt), asOf: iso(meta.asOf), windowMs: meta.windowMs } : 'none' }, 'replica: no usable shared copy in Redis (none, or its full pass is too old); warming up into it');
        locked = true;
        // A fresh full pass fills it: nothing AfterShip deleted may stay in it.
        await copy.reset().catch(() => undefined);
        return false;
      }
      if (!waiting) logger.info('replica: another instance is warming up the shared copy; waiting for it (lookups take the normal path meanwhile)');
      waiting = true;
      loadingCopy = false;
      await clock.sleep(SHARED_POLL_MS, signal);
    }
  }

  /** A full pass is due: with a shared copy only one instance runs it; the others learn its end from the copy. */
  async function fullPassDue(): Promise<void> {
    if (shared) {
      const got = await shared.lock().catch(() => 'unreachable' as const);
      if (got === false) {
        const meta = await shared.meta().catch(() => undefined);
        if (meta) lastFullAt = Math.max(lastFullAt, meta.fullAt);
        return;
      }
      locked = got === true;
    }
    await exclusive(fullPass);
  }

  async function incrementalPass(): Promise<void> {
    const passStart = clock.now();
    // One second of overlap: AfterShip's dates have second resolution.
    // While webhooks flow they bring every change, but not a tracking created elsewhere (AfterShip sends
    // nothing until its first status): only creations are listed then, usually in one call.
    const by = store.live() ? 'created' : 'updated';
    const changed = await listRange(Math.max(passStart - windowMs, lastPassAt - 1000), undefined, 'incremental', undefined, by);
    store.passCompleted(passStart, false);
    lastPassAt = passStart;
    // While webhooks flow, the copy is current as of the heartbeat margin (every instance's writes in flight).
    shared?.passed({ asOf: by === 'created' ? Math.min(passStart, clock.now() - HEARTBEAT_MARGIN_MS) : passStart });
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
    let warmFromCopy = false;
    if (shared) await exclusive(async () => void (warmFromCopy = await fromShared(shared)));
    if (signal.aborted) return;
    if (!warmFromCopy) await exclusive(fullPass);
    while (!signal.aborted) {
      await clock.sleep(syncIntervalMs, signal).catch(() => undefined);
      if (signal.aborted) return;
      if (clock.now() - lastFullAt >= fullSyncIntervalMs) await fullPassDue();
      // Webhooks flowing: they bring every change (every instance writes each to the shared copy), but not
      // a tracking created elsewhere, which the pass lists (by created_at_min) in about one call.
      else await exclusive(incrementalPass);
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
    unseen(id) {
      if (state !== 'warming' || store.numberOf(id)) return undefined;
      // Loading the shared copy is quick (10,000 trackings: B warm 4.2 s after its start, start-up included): no call races it.
      return loadingCopy ? 'wait' : 'fetch';
    },
    progress: () => ({
      state,
      loaded,
      ...(total !== undefined ? { total } : {}),
      calls,
      ...(startedAt !== undefined ? { startedAt: iso(startedAt) } : {}),
      ...(warmAt !== undefined ? { warmAt: iso(warmAt) } : {}),
      ...(lastError ? { lastError } : {}),
      ...(source ? { source } : {}),
    }),
    syncNow: () => exclusive(incrementalPass),
    fullSyncNow: () => exclusive(fullPass),
    retryNow: () => backoffCut?.abort(),
    stop() {
      state = 'stopped';
      controller.abort(new Error('replica stopped'));
      mirror?.detach();
      shared?.close();
      store.releaseWaiters();
      warmed();
    },
  };
}
