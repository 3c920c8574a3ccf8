/**
 * The account's rate budget: a priority queue in front of a BudgetStore.
 *
 * Guarantees (for the sends that go through one store):
 * - per endpoint, at most `limitsPerSecond[endpoint]` sends in ANY rolling second (sliding log);
 * - account-wide, at most `accountLimitPerMinute` sends in ANY rolling minute (0 = off);
 * - `interactive` waiters are served before `background` ones: per endpoint always, and across
 *   endpoints when the account window is what blocks;
 * - inside the interactive lane, clients take turns (`client` of each acquire: the least recently
 *   served client with a waiter goes next), so one client's flood of lookups cannot starve the
 *   others' queries; its own waiters keep their order;
 * - nobody waits longer than its max wait (`queueTimeoutMs`): a waiter whose estimated turn is
 *   later fails at once with RATE_LIMITED + `retryAfterMs`, and a hard deadline backs that up;
 * - with a shared store (several instances), the estimate counts the other instances' queues too:
 *   every `tryAcquire` tells the store this instance's demand and learns theirs (`Demand`), and the
 *   store makes the instances take turns, so a waiter's turn is predictable from both. Demand that
 *   appears on another instance later is learnt at this instance's next store call (within about
 *   one window): a waiter then too late fails then, not at its deadline;
 * - `pause(endpoint | 'account', until)` (fed by `X-RateLimit-Remaining: 0` and 429s) holds the queue.
 *
 * A send occupies its windows until `windowMs` after it completes (see budget-store-memory.ts),
 * so network latency cannot squeeze limit+1 arrivals into one of AfterShip's seconds; callers
 * must call `permit.complete()` when the attempt is over. Windows are `marginMs` longer than
 * nominal to absorb millisecond rounding between clocks.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock, type TimerHandle } from '../lib/clock.js';
import { DEFAULT_ACCOUNT_LIMIT_PER_MINUTE, ENDPOINT_LIMITS_PER_SECOND, type EndpointKey } from './endpoints.js';
import { AfterShipError, ErrorCode } from './errors.js';
import type { Priority } from './types.js';
import { createMemoryBudgetStore, type AcquireResult, type BudgetStore, type BudgetWindow, type Demand } from './budget-store-memory.js';

export { createMemoryBudgetStore };
export type { AcquireResult, BudgetStore, BudgetWindow, Demand } from './budget-store-memory.js';

export interface RateBudgetOptions {
  /** @default ENDPOINT_LIMITS_PER_SECOND */
  limitsPerSecond?: Partial<Record<EndpointKey, number>>;
  /** @default 600 (AFTERSHIP_RATE_LIMIT_PER_MINUTE); 0 = off */
  accountLimitPerMinute?: number;
  /** A request that would wait longer fails fast with RATE_LIMITED. @default 10000 */
  queueTimeoutMs?: number;
  /** @default systemClock */
  clock?: Clock;
  /** @default createMemoryBudgetStore() */
  store?: BudgetStore;
  /** Added to every window length (see module comment). @default 10 */
  marginMs?: number;
  /** Prefix of store keys, so one shared store can hold several accounts. @default 'default' */
  keyPrefix?: string;
}

export interface Permit {
  /** Milliseconds spent in the queue. */
  waitedMs: number;
  /** The request is over (answered, timed out, dropped, or never sent): its windows start to drain now. */
  complete(): void;
}

export interface AcquireOptions {
  /** Overrides queueTimeoutMs for this wait (the client shrinks it when retrying after 429s). */
  maxWaitMs?: number;
  /** Queue at the front of the lane: retries have waited their turn once already. */
  front?: boolean;
  /** Who asked (src/auth/viewer.ts clientKeyOf): interactive waiters of different clients take turns. @default '' */
  client?: string;
}

export interface RateBudgetStats {
  granted: number;
  /** Waiters failed with RATE_LIMITED. */
  rejected: number;
  waiting: { interactive: number; background: number };
}

export interface RateBudget {
  /** Resolves when one request on `endpoint` may be sent (and counts it as sent). */
  acquire(endpoint: EndpointKey, priority?: Priority, signal?: AbortSignal, options?: AcquireOptions): Promise<Permit>;
  /** Holds `endpoint`'s queue (or every queue, for 'account') until `untilMs` on the budget's clock. */
  pause(target: EndpointKey | 'account', untilMs: number): Promise<void>;
  /** Waiters queued for an endpoint (all endpoints when omitted). */
  waiting(endpoint?: EndpointKey): number;
  limitPerSecond(endpoint: EndpointKey): number;
  readonly queueTimeoutMs: number;
  stats(): RateBudgetStats;
}

interface Waiter {
  ticket: string;
  endpoint: EndpointKey;
  priority: Priority;
  client: string;
  front: boolean;
  seq: number;
  enqueuedAt: number;
  maxWaitMs: number;
  resolve(p: Permit): void;
  reject(e: unknown): void;
  cleanup(): void;
}

const SECOND = 1000;
const MINUTE = 60_000;

export function createRateBudget(options: RateBudgetOptions = {}): RateBudget {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? createMemoryBudgetStore();
  const queueTimeoutMs = options.queueTimeoutMs ?? 10_000;
  const accountLimit = options.accountLimitPerMinute ?? DEFAULT_ACCOUNT_LIMIT_PER_MINUTE;
  const margin = options.marginMs ?? 10;
  const prefix = options.keyPrefix ?? 'default';
  /** This budget as a requester of the (possibly shared) store: its tickets are `${owner}:<seq>`. */
  const owner = `${prefix}:${randomUUID().slice(0, 8)}`;
  const accountKey = `${prefix}:account`;
  const limits: Record<string, number> = { ...ENDPOINT_LIMITS_PER_SECOND, ...options.limitsPerSecond };
  for (const [ep, l] of Object.entries(limits)) {
    if (!Number.isFinite(l) || l < 1) throw new Error(`Rate limit for ${ep} must be a number >= 1, got ${String(l)}`);
  }
  if (!Number.isFinite(accountLimit) || accountLimit < 0) {
    throw new Error(`accountLimitPerMinute must be >= 0 (0 = off), got ${String(accountLimit)}`);
  }

  const epKey = (ep: EndpointKey): string => `${prefix}:ep:${ep}`;
  const windowsOf = (ep: EndpointKey): BudgetWindow[] => [
    { key: epKey(ep), windowMs: SECOND + margin, limit: limits[ep] },
    { key: accountKey, windowMs: MINUTE + margin, limit: accountLimit },
  ];

  const queues = new Map<EndpointKey, { interactive: Waiter[]; background: Waiter[] }>();
  /** Last known "not before" per store key, from refusals and pauses: used to estimate waits. */
  const blockedUntil = new Map<string, number>();
  /** The other requesters' queue lengths per store key, as the store last told them, and when. */
  const othersWaiting = new Map<string, { counts: number[]; at: number }>();
  let seq = 0;
  /** When each client was last granted an interactive slot (a counter, not a time): turns go to the least recent. */
  const lastServed = new Map<string, number>();
  let turn = 0;
  let granted = 0;
  let rejected = 0;
  let timer: TimerHandle | undefined;
  let timerAt = Infinity;
  let pumping = false;
  let again = false;

  const lanes = (ep: EndpointKey) => {
    let q = queues.get(ep);
    if (!q) queues.set(ep, (q = { interactive: [], background: [] }));
    return q;
  };
  const remove = (w: Waiter): void => {
    const q = lanes(w.endpoint)[w.priority];
    const i = q.indexOf(w);
    if (i >= 0) q.splice(i, 1);
    w.cleanup();
  };
  const rateLimited = (w: Waiter, retryAfterMs: number): AfterShipError =>
    new AfterShipError({
      code: ErrorCode.RateLimited,
      message: `AfterShip rate budget for ${w.endpoint} is exhausted; retry in ${Math.max(1, Math.ceil(retryAfterMs / 1000))}s`,
      retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)),
      endpoint: w.endpoint,
    });
  const fail = (w: Waiter, retryAfterMs: number): void => {
    remove(w);
    rejected++;
    w.reject(rateLimited(w, retryAfterMs));
  };

  /**
   * The interactive waiter to serve next in a lane: a re-send at the front first; else the first
   * waiter of the client served least recently (clients take turns, each in its own order).
   */
  const nextInteractive = (lane: readonly Waiter[]): Waiter | undefined => {
    const first = lane[0];
    if (!first || first.front || lane.length === 1) return first;
    let best = first;
    let bestAt = lastServed.get(first.client) ?? 0;
    const seen = new Set([first.client]);
    for (const w of lane) {
      if (seen.has(w.client)) continue;
      seen.add(w.client);
      const at = lastServed.get(w.client) ?? 0;
      if (at < bestAt) [best, bestAt] = [w, at];
    }
    return best;
  };

  /**
   * Interactive waiters served before `w` when clients take turns: its own client's earlier ones, and
   * of every other client as many as `w` has before it plus one.
   */
  const turnsBefore = (w: Waiter, lanesToCount: Iterable<readonly Waiter[]>): number => {
    const ahead = new Map<string, number>();
    let own = 0;
    let fronts = 0;
    for (const lane of lanesToCount) {
      for (const o of lane) {
        if (o === w) continue;
        if (o.front) fronts++;
        else if (o.client === w.client) {
          if (o.seq < w.seq) own++;
        } else ahead.set(o.client, (ahead.get(o.client) ?? 0) + 1);
      }
    }
    let n = own + fronts;
    for (const count of ahead.values()) n += Math.min(count, own + 1);
    return n;
  };

  /** Position in the endpoint queue (interactive lane first) and across all queues. */
  const positions = (w: Waiter): { inEndpoint: number; inAccount: number } => {
    const q = lanes(w.endpoint);
    if (w.priority === 'interactive') {
      const all = [...queues.values()].map((other) => other.interactive);
      return { inEndpoint: turnsBefore(w, [q.interactive]), inAccount: turnsBefore(w, all) };
    }
    const inEndpoint = q.interactive.length + q.background.indexOf(w);
    let inAccount = 0;
    for (const other of queues.values()) {
      inAccount += other.interactive.length;
      for (const o of other.background) if (o.seq < w.seq) inAccount++;
    }
    return { inEndpoint, inAccount };
  };

  /**
   * Sends before a waiter at `position` of this instance's queue on `key`: its own predecessors,
   * and as the instances take turns, up to position + 1 of each other instance's waiters. A view
   * older than the window is forgotten (this instance made no store call since: it had no waiters).
   */
  const sendsBefore = (key: string, position: number, windowMs: number, now: number): number => {
    const seen = othersWaiting.get(key);
    if (!seen || now - seen.at > windowMs) return position;
    return seen.counts.reduce((sum, n) => sum + Math.min(n, position + 1), position);
  };

  /** When this waiter's turn is expected, from what the store last told us. */
  const estimate = (w: Waiter, now: number): number => {
    const pos = positions(w);
    const epAt = Math.max(now, blockedUntil.get(epKey(w.endpoint)) ?? 0);
    const epSends = sendsBefore(epKey(w.endpoint), pos.inEndpoint, SECOND + margin, now);
    let at = epAt + Math.floor(epSends / limits[w.endpoint]) * (SECOND + margin);
    if (accountLimit > 0) {
      const accAt = Math.max(now, blockedUntil.get(accountKey) ?? 0);
      const accSends = sendsBefore(accountKey, pos.inAccount, MINUTE + margin, now);
      at = Math.max(at, accAt + Math.floor(accSends / accountLimit) * (MINUTE + margin));
    }
    return at;
  };

  /** This instance's queues as the store needs them, per window of `ep` (endpoint, account). */
  const demandOf = (ep: EndpointKey): Demand => {
    const q = lanes(ep);
    let all = 0;
    for (const other of queues.values()) all += other.interactive.length + other.background.length;
    return { owner, waiting: [q.interactive.length + q.background.length, all] };
  };

  const learn = (windows: readonly BudgetWindow[], r: AcquireResult, now: number): void => {
    r.others?.forEach((counts, i) => othersWaiting.set(windows[i].key, { counts, at: now }));
  };

  const sweep = (now: number): void => {
    for (const q of [...queues.values()]) {
      for (const w of [...q.interactive, ...q.background]) {
        const at = estimate(w, now);
        if (at > w.enqueuedAt + w.maxWaitMs) fail(w, at - now);
      }
    }
  };

  const schedule = (at: number): void => {
    if (at >= timerAt && timer) return;
    timer?.cancel();
    timerAt = at;
    timer = clock.setTimer(() => {
      timer = undefined;
      timerAt = Infinity;
      void pump();
    }, Math.max(1, at - clock.now()));
  };

  async function pumpOnce(): Promise<void> {
    let nextAt = Infinity;
    const blockedEndpoints = new Set<EndpointKey>();
    let accountBlockedForInteractive = false;
    for (;;) {
      const heads: Waiter[] = [];
      for (const [ep, q] of queues) {
        if (blockedEndpoints.has(ep)) continue;
        const head = nextInteractive(q.interactive) ?? q.background[0];
        if (head) heads.push(head);
      }
      heads.sort((a, b) => (a.priority === b.priority ? a.seq - b.seq : a.priority === 'interactive' ? -1 : 1));
      let progressed = false;
      for (const w of heads) {
        // Background must not take account budget an interactive waiter is waiting for.
        if (w.priority === 'background' && accountBlockedForInteractive) continue;
        let now = clock.now();
        const windows = windowsOf(w.endpoint);
        const r = await store.tryAcquire(windows, now, w.ticket, demandOf(w.endpoint));
        now = clock.now();
        learn(windows, r, now);
        const permit: Permit = {
          waitedMs: now - w.enqueuedAt,
          complete: () => {
            store.complete(windows.map((x) => x.key), w.ticket, clock.now()).catch(() => undefined);
          },
        };
        // Still queued, even if a re-send was put in front of it meanwhile: a granted slot is its own.
        if (!lanes(w.endpoint)[w.priority].includes(w)) {
          // The waiter left (abort, deadline) while the store answered: nothing will be sent.
          if (r.ok) {
            granted++;
            permit.complete();
          }
          progressed = true;
          break;
        }
        if (r.ok) {
          remove(w);
          granted++;
          if (w.priority === 'interactive') lastServed.set(w.client, ++turn);
          // Forget clients long gone: a turn counter is only compared between waiting clients.
          if (lastServed.size > 10_000) lastServed.clear();
          w.resolve(permit);
          progressed = true;
          break;
        }
        blockedUntil.set(r.blockedBy, r.retryAtMs);
        blockedEndpoints.add(w.endpoint);
        if (r.blockedBy === accountKey && w.priority === 'interactive') accountBlockedForInteractive = true;
        nextAt = Math.min(nextAt, r.retryAtMs);
      }
      if (!progressed) break;
    }
    sweep(clock.now());
    let any = false;
    for (const q of queues.values()) if (q.interactive.length + q.background.length > 0) any = true;
    if (any && nextAt < Infinity) schedule(nextAt);
  }

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        try {
          await pumpOnce();
        } catch (cause) {
          // A broken shared store must not hang callers: fail everybody waiting now.
          for (const q of [...queues.values()]) {
            for (const w of [...q.interactive, ...q.background]) {
              remove(w);
              w.reject(new AfterShipError({ code: ErrorCode.UpstreamUnavailable, message: 'Rate budget store failed', endpoint: w.endpoint, cause }));
            }
          }
        }
      } while (again);
    } finally {
      pumping = false;
    }
  }

  function acquire(endpoint: EndpointKey, priority: Priority = 'interactive', signal?: AbortSignal, opts: AcquireOptions = {}): Promise<Permit> {
    if (!(endpoint in limits)) return Promise.reject(new Error(`Unknown AfterShip endpoint "${endpoint}"`));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Permit>((resolve, reject) => {
      const now = clock.now();
      const maxWaitMs = Math.max(0, opts.maxWaitMs ?? queueTimeoutMs);
      let deadline: TimerHandle | undefined;
      const onAbort = (): void => {
        remove(w);
        reject(signal?.reason);
      };
      const w: Waiter = {
        ticket: `${owner}:${seq}`,
        endpoint,
        priority,
        client: opts.client ?? '',
        front: opts.front ?? false,
        seq: seq++,
        enqueuedAt: now,
        maxWaitMs,
        resolve,
        reject,
        cleanup: () => {
          deadline?.cancel();
          signal?.removeEventListener('abort', onAbort);
        },
      };
      if (opts.front) lanes(endpoint)[priority].unshift(w);
      else lanes(endpoint)[priority].push(w);
      signal?.addEventListener('abort', onAbort, { once: true });
      const at = estimate(w, now);
      if (at > now + maxWaitMs) {
        fail(w, at - now);
        return;
      }
      // Backstop: whatever the estimates said, never wait longer than maxWaitMs.
      deadline = clock.setTimer(() => fail(w, Math.max(SECOND, estimate(w, clock.now()) - clock.now())), maxWaitMs + 1);
      void pump();
    });
  }

  return {
    acquire,
    async pause(target, untilMs) {
      const key = target === 'account' ? accountKey : epKey(target);
      if (untilMs > (blockedUntil.get(key) ?? 0)) blockedUntil.set(key, untilMs);
      await store.pause(key, untilMs);
      void pump();
    },
    waiting(endpoint) {
      if (endpoint) {
        const q = queues.get(endpoint);
        return q ? q.interactive.length + q.background.length : 0;
      }
      let n = 0;
      for (const q of queues.values()) n += q.interactive.length + q.background.length;
      return n;
    },
    limitPerSecond: (endpoint) => limits[endpoint],
    queueTimeoutMs,
    stats() {
      let interactive = 0;
      let background = 0;
      for (const q of queues.values()) {
        interactive += q.interactive.length;
        background += q.background.length;
      }
      return { granted, rejected, waiting: { interactive, background } };
    },
  };
}
