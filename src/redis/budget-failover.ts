/**
 * The rate budget's store when Redis may go away: the shared Redis store while it answers, and
 * a safe share of the budget (each limit divided by the expected number of instances) in memory
 * while it does not. It never throws, so a Redis outage never fails a request by itself.
 *
 * - Up: Redis decides. Every send granted is also logged in memory (without limits), so that on
 *   losing Redis this instance still counts its own sends of the current windows.
 * - Down: the memory log decides with divided limits (`floor(limit / instances)`, at least 1).
 * - Just back (for the longest window, 60 s): BOTH must agree. Sends made while Redis was away
 *   are not in Redis; requiring the instance's own share too keeps the total within the limit.
 *   A memory slot taken by a send Redis then refuses is released as completed (it counts for one
 *   window: conservative). Only when this instance did grant sends on its own during the outage.
 * Pauses are kept here too and apply in every mode. The instances' demand (`Demand`) is shared
 * through Redis only: while it is away each instance sees its own queue and its own share.
 *
 * Residual risk (documented in the README): the first window after Redis is lost, the others'
 * recent sends are unknown, so the total can reach the limit plus this instance's share; if only
 * some instances lose Redis (a partition), those add their shares to what the others use; with
 * more instances than a limit (e.g. 4 instances, 3/s), each still gets 1/s. AfterShip's 429s then
 * pause the endpoint (the client honours them), so an overshoot corrects itself.
 */
import { createMemoryBudgetStore, type AcquireResult, type BudgetStore, type BudgetWindow, type Demand } from '../aftership/budget-store-memory.js';
import type { RedisHealth } from './connection.js';

export interface FailoverBudgetStoreOptions {
  primary: BudgetStore;
  health: RedisHealth;
  /** Instances expected to share the account (GATEWAY_INSTANCES). @default 2 */
  instances?: number;
  /** A send never completed stops counting this long after its start. @default 60000 */
  inflightTtlMs?: number;
}

const UNLIMITED = Number.MAX_SAFE_INTEGER;

export function createFailoverBudgetStore(options: FailoverBudgetStoreOptions): BudgetStore {
  const { primary, health } = options;
  const instances = options.instances ?? 2;
  if (!Number.isInteger(instances) || instances < 1) throw new RangeError(`instances must be a whole number >= 1 (got ${instances})`);
  const local = createMemoryBudgetStore({ inflightTtlMs: options.inflightTtlMs });
  const pauses = new Map<string, number>();
  /** Tickets Redis granted (so `complete` goes to Redis too); bounded against leaks. */
  const inRedis = new Set<string>();
  /** After an outage, both stores must agree until then (caller time). */
  let bothUntil = 0;
  /** This instance granted sends Redis does not know about (cleared when "both" mode starts). */
  let grantedLocally = false;
  let longestWindow = 60_000;

  const share = (windows: readonly BudgetWindow[]): BudgetWindow[] =>
    windows.map((w) => (w.limit > 0 ? { ...w, limit: Math.max(1, Math.floor(w.limit / instances)) } : w));
  const mirror = (windows: readonly BudgetWindow[]): BudgetWindow[] => windows.map((w) => (w.limit > 0 ? { ...w, limit: UNLIMITED } : w));
  const remember = (ticket: string): void => {
    inRedis.add(ticket);
    if (inRedis.size > 100_000) inRedis.delete(inRedis.values().next().value as string);
  };

  /**
   * Without Redis this instance has 1/instances of each limit: to its budget's estimates that is
   * the same as instances - 1 others with endless queues taking turns with it.
   */
  const alone = (windows: readonly BudgetWindow[], demand: Demand | undefined, r: AcquireResult): AcquireResult =>
    demand ? { ...r, others: windows.map(() => Array<number>(instances - 1).fill(UNLIMITED)) } : r;

  const pausedBy = (windows: readonly BudgetWindow[], now: number): AcquireResult | undefined => {
    let best: AcquireResult | undefined;
    for (const w of windows) {
      const until = pauses.get(w.key) ?? 0;
      if (until > now && (!best || best.ok || until > best.retryAtMs)) best = { ok: false, retryAtMs: until, blockedBy: w.key };
    }
    return best;
  };

  async function viaRedis(windows: readonly BudgetWindow[], now: number, ticket: string, demand?: Demand): Promise<AcquireResult | undefined> {
    if (!health.up()) return undefined;
    try {
      const r = await primary.tryAcquire(windows, now, ticket, demand);
      if (r.ok) remember(ticket);
      return r;
    } catch {
      return undefined;
    }
  }

  return {
    async tryAcquire(windows, now, ticket, demand) {
      for (const w of windows) longestWindow = Math.max(longestWindow, w.windowMs);
      const paused = pausedBy(windows, now);
      if (paused) return paused;
      if (grantedLocally && health.up()) {
        grantedLocally = false;
        bothUntil = now + longestWindow;
      }
      if (now < bothUntil) {
        const mine = await local.tryAcquire(share(windows), now, ticket);
        if (!mine.ok) return alone(windows, demand, mine);
        const shared = await viaRedis(windows, now, ticket, demand);
        if (!shared) grantedLocally = true;
        else if (!shared.ok) await local.complete(windows.map((w) => w.key), ticket, now);
        return shared ?? alone(windows, demand, mine);
      }
      const shared = await viaRedis(windows, now, ticket, demand);
      if (!shared) {
        const mine = await local.tryAcquire(share(windows), now, ticket);
        if (mine.ok) grantedLocally = true;
        return alone(windows, demand, mine);
      }
      if (shared.ok) await local.tryAcquire(mirror(windows), now, ticket);
      return shared;
    },
    async complete(keys, ticket, at) {
      await local.complete(keys, ticket, at);
      if (inRedis.delete(ticket)) await primary.complete(keys, ticket, at).catch(() => undefined);
    },
    async pause(key, untilMs) {
      if (untilMs > (pauses.get(key) ?? 0)) pauses.set(key, untilMs);
      if (health.up()) await primary.pause(key, untilMs).catch(() => undefined);
    },
    async pausedUntil(key) {
      const mine = pauses.get(key) ?? 0;
      if (!health.up()) return mine;
      return Math.max(mine, await primary.pausedUntil(key).catch(() => 0));
    },
  };
}
