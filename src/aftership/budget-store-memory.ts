/**
 * The state behind a RateBudget: sliding-window logs and pauses.
 *
 * The store is the only part that must be shared when several gateway instances use one
 * AfterShip account, so it is a small async interface whose every method is one atomic step.
 * A Redis implementation maps each window to a sorted set of send timestamps and runs
 * `tryAcquire` as one Lua script (ZREMRANGEBYSCORE / ZCARD / ZRANGE / ZADD + PEXPIRE per key,
 * GET per pause key), which is exactly the algorithm of the memory store below.
 */

/** One limit to respect: at most `limit` sends in ANY interval of `windowMs` (a sliding log, not fixed windows). */
export interface BudgetWindow {
  /** e.g. `acct:ep:GET /trackings` or `acct:account`. Pauses use the same keys. */
  key: string;
  windowMs: number;
  /** 0 or less: this window is off. */
  limit: number;
}

export type AcquireResult =
  | { ok: true }
  /** `retryAtMs`: the earliest time at which the same call could succeed, assuming no other sends. */
  | { ok: false; retryAtMs: number; blockedBy: string };

export interface BudgetStore {
  /**
   * Atomically: "may I send one request now under all these windows?"
   * - Refused while any window key is paused (`pausedUntil(key) > now`): retryAt = the pause end.
   * - A send recorded at time s counts in a window at time t iff `t - windowMs < s <= t`.
   *   Refused when a window already holds `limit` sends; retryAt = when the oldest send that
   *   must leave does leave (the (count-limit+1)-th oldest + windowMs).
   * - Otherwise records a send at `now` in EVERY window and answers ok. Nothing is recorded on refusal.
   * When several keys block, retryAtMs is the latest of them and blockedBy names that key.
   */
  tryAcquire(windows: readonly BudgetWindow[], now: number): Promise<AcquireResult>;
  /** Refuse sends on `key` until `untilMs` (keeps the later of an existing and the new pause). */
  pause(key: string, untilMs: number): Promise<void>;
  /** End of the pause on `key`, or 0 when not paused. */
  pausedUntil(key: string): Promise<number>;
}

/** In-process store for one instance (tests, single-process deployments). */
export function createMemoryBudgetStore(): BudgetStore {
  const logs = new Map<string, number[]>();
  const pauses = new Map<string, number>();

  const prune = (log: number[], now: number, windowMs: number): void => {
    let drop = 0;
    while (drop < log.length && log[drop] <= now - windowMs) drop++;
    if (drop > 0) log.splice(0, drop);
  };

  return {
    async tryAcquire(windows, now) {
      let retryAtMs = -Infinity;
      let blockedBy = '';
      const block = (at: number, key: string): void => {
        if (at > retryAtMs) {
          retryAtMs = at;
          blockedBy = key;
        }
      };
      for (const w of windows) {
        const paused = pauses.get(w.key) ?? 0;
        if (paused > now) block(paused, w.key);
        if (w.limit <= 0) continue;
        const log = logs.get(w.key);
        if (!log) continue;
        prune(log, now, w.windowMs);
        if (log.length >= w.limit) block(log[log.length - w.limit] + w.windowMs, w.key);
      }
      if (blockedBy !== '') return { ok: false, retryAtMs, blockedBy };
      for (const w of windows) {
        if (w.limit <= 0) continue;
        let log = logs.get(w.key);
        if (!log) logs.set(w.key, (log = []));
        // Keep the log sorted even if callers pass a slightly older `now` (clock skew between callers).
        let i = log.length;
        while (i > 0 && log[i - 1] > now) i--;
        log.splice(i, 0, now);
      }
      return { ok: true };
    },
    async pause(key, untilMs) {
      if (untilMs > (pauses.get(key) ?? 0)) pauses.set(key, untilMs);
    },
    async pausedUntil(key) {
      return pauses.get(key) ?? 0;
    },
  };
}
