/**
 * Cross-request merging of lookups by tracking number into
 * `GET /trackings?tracking_numbers=a,b,c&limit=200` (at most 50 numbers per call).
 *
 * A batch lives in three phases:
 * 1. collecting: open for `windowMs` after its first lookup (a few ms, so concurrent GraphQL
 *    requests of the process land in the same batch);
 * 2. acquiring: waiting in the rate-budget queue for `GET /trackings`. Still open: new numbers
 *    keep joining until it holds `maxSize`. So demand above the budget turns into bigger
 *    batches instead of longer queues;
 * 3. sent: closed; lookups of a number it carries join its answer instead of asking again.
 *
 * Each client (`client` of the lookup) fills its own batches, queued under its name: the rate
 * budget's turns between clients then hold for lookups by number too, and a flood of one client's
 * numbers fills that client's batches, not the ones the others wait in.
 *
 * Matching: by tracking number (case-insensitive, trimmed) and, when given, slug. Without a slug
 * and with several trackings of one number (different couriers), the first in AfterShip's list
 * order (newest first) wins. A number not returned resolves null. AfterShip's list only covers
 * trackings created in the last 120 days (its `created_at_min` default), and 200 results per page
 * are plenty for 50 numbers, so no paging.
 */
import type { Clock, TimerHandle } from '../lib/clock.js';
import { MAX_TRACKING_NUMBERS_PER_LIST, type EndpointKey } from './endpoints.js';
import { AfterShipError, ErrorCode } from './errors.js';
import type { Permit, RateBudget } from './rate-budget.js';
import type { CallScope } from './recorder.js';
import type { Priority } from './types.js';
import type { Tracking } from './wire-types.js';
import { raceSignal } from './single-flight.js';

const LIST: EndpointKey = 'GET /trackings';

export interface TrackingBatcherOptions {
  clock: Clock;
  budget: RateBudget;
  /** How long a new batch collects before it queues for budget. @default 3 */
  windowMs?: number;
  /** @default 50 (MAX_TRACKING_NUMBERS_PER_LIST) */
  maxSize?: number;
  /** Sends one list call for these numbers; the budget permit is already held. `scope`: the batch opener's. */
  fetchBatch(numbers: string[], priority: Priority, permit: Permit, scope: CallScope | undefined, client: string): Promise<Tracking[]>;
  /** Called once for every lookup that joined an existing batch (with the joiner's scope). */
  onMerged?(scope: CallScope | undefined): void;
  /** Called once for every lookup failed because its batch got no budget in time. */
  onRateLimited?(): void;
}

export interface TrackingBatcher {
  /** `scope`: the operation asking; the batch's call is made in the scope of the lookup that opened it. */
  lookup(trackingNumber: string, slug?: string, priority?: Priority, signal?: AbortSignal, scope?: CallScope, client?: string): Promise<Tracking | null>;
  /** Batches not yet answered (collecting, acquiring or sent). */
  pending(): number;
}

interface Member {
  slug?: string;
  resolve(t: Tracking | null): void;
  reject(e: unknown): void;
  detach(): void;
}

interface Batch {
  priority: Priority;
  /** Whose lookups it carries (clients take turns in the rate budget). */
  client: string;
  /** The operation whose lookup opened the batch: its call counts for that operation. */
  scope?: CallScope;
  /** Normalized number → the number as first given, and who waits for it. */
  numbers: Map<string, { number: string; members: Member[] }>;
  phase: 'collecting' | 'acquiring' | 'sent';
  timer?: TimerHandle;
  acquire: AbortController;
  result?: Promise<Tracking[]>;
}

const normalize = (n: string): string => n.trim().toUpperCase();

/** Rejects what can never be a tracking number, and anything that would break the comma list. */
export function validateTrackingNumber(n: string): string | undefined {
  if (typeof n !== 'string') return 'a tracking number must be a string';
  const t = n.trim();
  if (t.length === 0) return 'the tracking number is empty';
  if (t.length > 100) return 'the tracking number is longer than 100 characters';
  if (/[,\s]/.test(t)) return `the tracking number "${t.slice(0, 40)}" contains a comma or whitespace`;
  return undefined;
}

export function matchTracking(list: readonly Tracking[], number: string, slug?: string): Tracking | null {
  const key = normalize(number);
  return list.find((t) => normalize(t.tracking_number ?? '') === key && (slug === undefined || t.slug === slug)) ?? null;
}

export function createTrackingBatcher(options: TrackingBatcherOptions): TrackingBatcher {
  const windowMs = options.windowMs ?? 3;
  const maxSize = options.maxSize ?? MAX_TRACKING_NUMBERS_PER_LIST;
  if (!(windowMs >= 0)) throw new Error(`batch windowMs must be >= 0, got ${windowMs}`);
  if (!Number.isInteger(maxSize) || maxSize < 1 || maxSize > MAX_TRACKING_NUMBERS_PER_LIST) {
    throw new Error(`batch maxSize must be 1..${MAX_TRACKING_NUMBERS_PER_LIST}, got ${maxSize}`);
  }
  /** Batches not yet sent (collecting or acquiring); a full one only takes numbers it already has. */
  const open: Batch[] = [];
  const sent = new Map<string, Batch>();
  let live = 0;

  const close = (b: Batch): void => {
    const i = open.indexOf(b);
    if (i >= 0) open.splice(i, 1);
  };

  function startAcquire(b: Batch): void {
    if (b.phase !== 'collecting') return;
    b.timer?.cancel();
    b.phase = 'acquiring';
    options.budget.acquire(LIST, b.priority, b.acquire.signal, { client: b.client }).then(
      (permit) => send(b, permit),
      (e: unknown) => {
        close(b);
        live--;
        const limited = e instanceof AfterShipError && e.code === ErrorCode.RateLimited;
        for (const { members } of b.numbers.values()) {
          for (const m of members) {
            if (limited) options.onRateLimited?.();
            m.reject(e);
          }
        }
      },
    );
  }

  function send(b: Batch, permit: Permit): void {
    close(b);
    b.phase = 'sent';
    const entries = [...b.numbers.entries()];
    if (entries.length === 0) {
      live--;
      permit.complete();
      return;
    }
    const result = options.fetchBatch(
      entries.map(([, v]) => v.number),
      b.priority,
      permit,
      b.scope,
      b.client,
    );
    b.result = result;
    for (const [key] of entries) sent.set(key, b);
    result.then(
      (list) => {
        for (const { number, members } of b.numbers.values()) for (const m of members) m.resolve(matchTracking(list, number, m.slug));
      },
      (e: unknown) => {
        for (const { members } of b.numbers.values()) for (const m of members) m.reject(e);
      },
    ).finally(() => {
      live--;
      for (const [key] of entries) if (sent.get(key) === b) sent.delete(key);
    });
  }

  function lookup(trackingNumber: string, slug?: string, priority: Priority = 'interactive', signal?: AbortSignal, scope?: CallScope, client = ''): Promise<Tracking | null> {
    const invalid = validateTrackingNumber(trackingNumber);
    if (invalid) {
      return Promise.reject(new AfterShipError({ code: ErrorCode.InvalidTrackingNumber, message: `Invalid tracking number: ${invalid}`, endpoint: LIST }));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const key = normalize(trackingNumber);
    const number = trackingNumber.trim();

    const inFlight = sent.get(key);
    if (inFlight?.result) {
      options.onMerged?.(scope);
      return raceSignal(inFlight.result.then((list) => matchTracking(list, number, slug)), signal);
    }

    // Same number already waiting in this client's batches (background lookups: in anyone's, any
    // lane; the interactive lane is not slower); else room in one of its own.
    let batch = open.find((b) => b.numbers.has(key) && (priority === 'background' || (b.priority === priority && b.client === client)));
    let joined = batch !== undefined;
    if (!batch) {
      batch = open.find((b) => b.priority === priority && b.client === client && b.numbers.size < maxSize);
      joined = batch !== undefined;
    }
    if (!batch) {
      const b: Batch = { priority, client, scope, numbers: new Map(), phase: 'collecting', acquire: new AbortController() };
      b.timer = options.clock.setTimer(() => startAcquire(b), windowMs);
      open.push(b);
      live++;
      batch = b;
    }
    if (joined) options.onMerged?.(scope);
    const b = batch;

    return new Promise<Tracking | null>((resolve, reject) => {
      let entry = b.numbers.get(key);
      if (!entry) b.numbers.set(key, (entry = { number, members: [] }));
      const onAbort = (): void => {
        member.detach();
        if (b.phase !== 'sent') {
          const e = b.numbers.get(key);
          if (e) {
            e.members = e.members.filter((m) => m !== member);
            if (e.members.length === 0) b.numbers.delete(key);
          }
          if (b.numbers.size === 0) {
            b.timer?.cancel();
            close(b);
            if (b.phase === 'collecting') live--;
            else b.acquire.abort(signal?.reason);
          }
        }
        reject(signal?.reason);
      };
      const member: Member = {
        slug,
        resolve: (t) => {
          member.detach();
          resolve(t);
        },
        reject: (e) => {
          member.detach();
          reject(e);
        },
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      entry.members.push(member);
      signal?.addEventListener('abort', onAbort, { once: true });
      // Full: it takes no new numbers (see lookup); a collecting batch need not wait out its window.
      if (b.numbers.size >= maxSize) startAcquire(b);
    });
  }

  return { lookup, pending: () => live };
}
