/**
 * The state behind a RateBudget: sliding-window logs of sends, and pauses.
 *
 * The store is the only part that must be shared when several gateway instances use one
 * AfterShip account, so it is a small async interface whose every method is one atomic step.
 *
 * Why sends are stamped twice: AfterShip counts a request when it ARRIVES, which we never see;
 * we only know it arrived after we sent it and before its answer came back. So a send occupies
 * its windows from the moment it is granted until `windowMs` after it completes (answer, timeout
 * or drop). Then the (L+1)-th send of a window starts at least `windowMs` after the 1st could
 * have arrived, whatever the network latency: no rolling second at AfterShip holds more than L.
 *
 * A Redis implementation: per window key a sorted set, member = ticket, score = expiry
 * (in flight: start + inflightTtlMs; completed: end + windowMs); `tryAcquire` is one Lua script
 * over all keys (ZREMRANGEBYSCORE -inf now, ZCARD, pause GET, then ZADD to every key or compute
 * retryAt from the scores, taking min(score, now + windowMs) for in-flight members);
 * `complete` re-scores the ticket in every key.
 */

/** One limit to respect: at most `limit` sends in ANY interval of `windowMs` (a sliding log, not fixed windows). */
export interface BudgetWindow {
  /** e.g. `acct:ep:GET /trackings` or `acct:account`. Pauses use the same keys. */
  key: string;
  windowMs: number;
  /** 0 or less: this window is off. */
  limit: number;
}

export type AcquireResult = (
  | { ok: true }
  /**
   * `retryAtMs`: the earliest time the same call could succeed, assuming no other sends and
   * that sends still in flight complete now. `blockedBy`: the key that decided it.
   */
  | { ok: false; retryAtMs: number; blockedBy: string }
) & {
  /**
   * With a `demand`: per window (same order), how many waiters each OTHER requester has queued
   * there now. The store's view of the whole account's demand (see `Demand`).
   */
  others?: number[][];
};

/**
 * What one requester (a gateway instance's rate budget) has queued, told to the store on every
 * `tryAcquire` so that several instances sharing a store see each other's demand:
 * - each gets the others' queue lengths back (`others`), to decide at once whether a waiter's turn
 *   can come within its max wait, instead of waiting that long to find out;
 * - the store shares scarce slots fairly between requesters with waiters: when a window has no more
 *   free slots than requesters that hold fewer of its sends than the asker, the asker yields
 *   (refused with `retryAtMs` = now + TURN_MS, blockedBy that window). So sends alternate between
 *   instances, which is what the estimates above assume.
 * A requester's entry lives until shortly after it is due back (its retry time, or now after a
 * grant) plus DEMAND_GRACE_MS, so an instance that stops asking stops counting.
 */
export interface Demand {
  /** The requester; its tickets are `${owner}:<anything without ':'>`. */
  owner: string;
  /** Waiters it has queued per window (same order as the windows), the asking one included. */
  waiting: readonly number[];
}

/** How long a requester that yielded its turn waits before asking again. */
export const TURN_MS = 50;
/** How long past its expected return a requester's demand still counts. */
export const DEMAND_GRACE_MS = 250;

/** The owner of a ticket: everything before its last ':'. */
export const ownerOf = (ticket: string): string => ticket.slice(0, ticket.lastIndexOf(':'));

export interface BudgetStore {
  /**
   * Atomically: "may I send one request now under all these windows?"
   * - Refused while any window key is paused (`pausedUntil(key) > now`): retryAt = the pause end.
   * - A send occupies a window from its start until `windowMs` after `complete(...)` (or until
   *   start + inflightTtlMs if it is never completed). Refused when a window already holds
   *   `limit` sends; retryAt = when enough of them will have left.
   * - Otherwise records the send, under `ticket`, in EVERY window (start = now) and answers ok.
   *   Nothing is recorded on refusal.
   * When several keys block, retryAtMs is the latest of them and blockedBy names that key.
   */
  tryAcquire(windows: readonly BudgetWindow[], now: number, ticket: string, demand?: Demand): Promise<AcquireResult>;
  /** The send `ticket` finished at `at` (answer received, timed out or dropped). Idempotent. */
  complete(keys: readonly string[], ticket: string, at: number): Promise<void>;
  /** Refuse sends on `key` until `untilMs` (keeps the later of an existing and the new pause). */
  pause(key: string, untilMs: number): Promise<void>;
  /** End of the pause on `key`, or 0 when not paused. */
  pausedUntil(key: string): Promise<number>;
}

export interface MemoryBudgetStoreOptions {
  /** A send never completed stops counting this long after its start (leak guard). @default 60000 */
  inflightTtlMs?: number;
}

interface Entry {
  ticket: string;
  start: number;
  end?: number;
}

/** In-process store for one instance (tests, single-process deployments). */
export function createMemoryBudgetStore(options: MemoryBudgetStoreOptions = {}): BudgetStore {
  const ttl = options.inflightTtlMs ?? 60_000;
  const logs = new Map<string, Entry[]>();
  const pauses = new Map<string, number>();
  /** Per window key: requester → waiters queued and until when that counts. */
  const demands = new Map<string, Map<string, { waiting: number; until: number }>>();
  const expiry = (e: Entry, windowMs: number): number => (e.end !== undefined ? e.end + windowMs : e.start + ttl);

  /** Other requesters with waiters on `key` (expired entries dropped). */
  const othersOn = (key: string, owner: string, now: number): [string, number][] => {
    const d = demands.get(key);
    if (!d) return [];
    for (const [o, e] of d) if (e.until <= now) d.delete(o);
    return [...d].filter(([o, e]) => o !== owner && e.waiting > 0).map(([o, e]) => [o, e.waiting]);
  };

  return {
    async tryAcquire(windows, now, ticket, demand) {
      let retryAtMs = -Infinity;
      let blockedBy = '';
      const block = (at: number, key: string): void => {
        if (at > retryAtMs) {
          retryAtMs = at;
          blockedBy = key;
        }
      };
      const others = demand ? windows.map((w) => othersOn(w.key, demand.owner, now)) : undefined;
      windows.forEach((w, i) => {
        const paused = pauses.get(w.key) ?? 0;
        if (paused > now) block(paused, w.key);
        if (w.limit <= 0) return;
        const log = logs.get(w.key)?.filter((e) => expiry(e, w.windowMs) > now) ?? [];
        logs.set(w.key, log);
        if (log.length >= w.limit) {
          const leaves = log.map((e) => (e.end !== undefined ? e.end + w.windowMs : now + w.windowMs)).sort((a, b) => a - b);
          block(leaves[log.length - w.limit], w.key);
        } else if (demand && others![i].length > 0) {
          // Fair share: yield when every free slot is due to a requester holding fewer sends here.
          const held = (owner: string): number => log.filter((e) => ownerOf(e.ticket) === owner).length;
          const mine = held(demand.owner);
          const behind = others![i].filter(([o]) => held(o) < mine).length;
          if (w.limit - log.length <= behind) block(now + TURN_MS, w.key);
        }
      });
      const ok = blockedBy === '';
      if (demand) {
        windows.forEach((w, i) => {
          const waiting = (demand.waiting[i] ?? 0) - (ok ? 1 : 0);
          let d = demands.get(w.key);
          if (!d) demands.set(w.key, (d = new Map()));
          if (waiting > 0) d.set(demand.owner, { waiting, until: (ok ? now : retryAtMs) + DEMAND_GRACE_MS });
          else d.delete(demand.owner);
        });
      }
      const seen = others ? { others: others.map((list) => list.map(([, n]) => n)) } : {};
      if (!ok) return { ok: false, retryAtMs, blockedBy, ...seen };
      for (const w of windows) {
        if (w.limit <= 0) continue;
        logs.get(w.key)!.push({ ticket, start: now });
      }
      return { ok: true, ...seen };
    },
    async complete(keys, ticket, at) {
      for (const key of keys) {
        const e = logs.get(key)?.find((x) => x.ticket === ticket);
        if (e && e.end === undefined) e.end = Math.max(at, e.start);
      }
    },
    async pause(key, untilMs) {
      if (untilMs > (pauses.get(key) ?? 0)) pauses.set(key, untilMs);
    },
    async pausedUntil(key) {
      return pauses.get(key) ?? 0;
    },
  };
}
