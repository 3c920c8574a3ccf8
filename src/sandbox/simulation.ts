/**
 * The moving world. Simulation time is the clock plus a skew: `advance(ms)` adds to the skew and
 * `speed` > 1 adds to it on every auto tick, so speed compresses every time scale alike (at 1
 * the world runs at AfterShip's real pace, see timing.ts). Due events are applied in time order
 * from a priority queue, each updating the tracking and sending `tracking_update` (and
 * `edd_revise` when the EDD moved, `tracking_pending_time` for a shipment Pending too long).
 * New shipments arrive at `newShipmentsPerHour` (simulation hours); finished world shipments
 * older than AfterShip's 120-day retention are forgotten.
 */
import type { Clock, TimerHandle } from '../lib/clock.js';
import type { Tracking } from '../aftership/wire-types.js';
import type { Store } from './store.js';
import type { WebhookDispatcher } from './webhooks.js';
import { applyStep, type PlannedEvent, type TrackingRecord } from './tracking-model.js';
import { worldShipment } from './lifecycle.js';
import { HOUR_MS, RETENTION_MS, toSecond } from './timing.js';
import type { Rng } from './random.js';
import type { World } from './world.js';
import { createEventQueue } from './event-queue.js';

export interface Simulation {
  /** Simulation time (ms). */
  now(): number;
  /** Moves simulation time forward and applies everything that fell due; waits for first webhook attempts. */
  advance(ms: number): Promise<number>;
  /** Applies the next planned event of one tracking now. */
  moveTracking(id: string): Promise<Tracking | undefined>;
  /** (Re)schedules a tracking whose plan changed outside the simulation (API calls, seeding). */
  schedule(rec: TrackingRecord): void;
  /** Runs the world on the clock: every tickMs, applies what fell due (speed > 1 also moves time ahead). */
  start(tickMs?: number): void;
  stop(): void;
  /** Replaces the generator and reschedules every tracking (after reset). */
  restart(rng: Rng): void;
}

export interface SimulationOptions {
  clock: Clock;
  store: Store;
  world: World;
  webhooks: WebhookDispatcher;
  rng: Rng;
  speed: number;
  /** New world shipments per simulated hour (0: none). */
  newShipmentsPerHour: number;
  /** `tracking_pending_time` threshold for arriving shipments (0: off). */
  pendingAlertMs: number;
}

export function createSimulation(options: SimulationOptions): Simulation {
  const { clock, store, world, webhooks } = options;
  let rng = options.rng;
  let skew = 0;
  let spawnCount = 0;
  let nextSpawnAt = Number.POSITIVE_INFINITY;
  let nextSweepAt = 0;
  const queue = createEventQueue();
  let timer: TimerHandle | undefined;
  const now = (): number => clock.now() + skew;
  const meanArrivalMs = options.newShipmentsPerHour > 0 ? HOUR_MS / options.newShipmentsPerHour : Number.POSITIVE_INFINITY;
  // Arrivals are evenly paced with jitter (0.5-1.5 x the mean gap), so a count over hours is close to the rate.
  const arrivalGap = (): number => meanArrivalMs * (0.5 + rng.next());

  const schedule = (rec: TrackingRecord): void => {
    const next = rec.plan[0];
    if (next) queue.push(rec, next.at);
  };

  function emit(event: 'tracking_update' | 'edd_revise' | 'tracking_pending_time', data: Tracking, firstTag: boolean, at: number): void {
    webhooks.enqueue(event, data, firstTag, at);
  }

  /** Applies the record's first planned event at `at`. */
  function applyNext(rec: TrackingRecord, at: number): void {
    const planned: PlannedEvent | undefined = rec.plan.shift();
    if (!planned) return;
    const state = world.state(rec);
    if (planned.kind === 'pending-alert') {
      if (state.data.tag === 'Pending') emit('tracking_pending_time', state.data, false, at);
    } else if (planned.kind === 'recheck') {
      state.data.active = false; // a retrack found nothing new
      world.changed(rec);
    } else {
      const result = applyStep(state, state.script[planned.index], at);
      if (rec.recipe) rec.history.push(at);
      world.changed(rec);
      emit('tracking_update', state.data, result.tagChanged, at);
      if (result.eddChanged) emit('edd_revise', state.data, false, at);
    }
    schedule(rec);
  }

  function spawn(at: number): void {
    const key = rng.forkKey(`spawn-${spawnCount++}`);
    const rec = worldShipment({ key }, at, { now: at, pendingAlertMs: options.pendingAlertMs });
    if (store.findByNumber(rec.slug, rec.trackingNumber)) return;
    store.insert(rec);
    schedule(rec);
  }

  /** Forgets finished world shipments past AfterShip's retention (checked once a simulated hour). */
  function sweep(at: number): void {
    if (at < nextSweepAt) return;
    nextSweepAt = at + HOUR_MS;
    const cutoff = at - RETENTION_MS;
    const old = store.ordered();
    const gone: string[] = [];
    for (let i = 0; i < old.length && old[i].createdMs < cutoff; i++) {
      const r = old[i];
      if (r.world && !r.summary.active && r.plan.length === 0) gone.push(r.id);
    }
    for (const id of gone) store.remove(id);
  }

  /** Applies every due event in time order; returns how many. */
  function runDue(): number {
    const limit = now();
    let applied = 0;
    for (;;) {
      const head = queue.peek();
      const nextAt = head ? head.at : Number.POSITIVE_INFINITY;
      if (nextSpawnAt <= limit && nextSpawnAt <= nextAt) {
        const at = nextSpawnAt;
        nextSpawnAt = toSecond(at + arrivalGap());
        spawn(at);
        continue;
      }
      if (!head || nextAt > limit) break;
      queue.pop();
      const rec = head.rec;
      // Stale entries (plan changed, tracking deleted) are skipped.
      if (rec.plan[0]?.at !== nextAt || store.find(rec.id) !== rec) continue;
      applyNext(rec, nextAt);
      applied++;
    }
    sweep(limit);
    return applied;
  }

  const tick = (tickMs: number) => (): void => {
    skew += tickMs * (options.speed - 1);
    runDue();
    timer = clock.setTimer(tick(tickMs), tickMs);
  };

  const restart = (next: Rng): void => {
    rng = next;
    spawnCount = 0;
    queue.clear();
    for (const rec of store.ordered()) schedule(rec);
    nextSpawnAt = toSecond(now() + arrivalGap());
    nextSweepAt = 0;
  };
  restart(rng);

  return {
    now,
    async advance(ms) {
      if (!(ms >= 0)) throw new RangeError('advance(ms) needs ms >= 0');
      skew += ms;
      const n = runDue();
      await webhooks.idle();
      return n;
    },
    async moveTracking(id) {
      const rec = store.find(id);
      // A pending notice is not a lifecycle event, and moot once the shipment moves.
      while (rec?.plan[0]?.kind === 'pending-alert') rec.plan.shift();
      if (!rec || rec.plan.length === 0) return undefined;
      const at = Math.max(now(), rec.createdMs);
      const planned = rec.plan[0].at;
      applyNext(rec, at);
      // The rest of the plan keeps its spacing after this moment.
      const shift = at - planned + 1000;
      if (shift > 0) for (const p of rec.plan) p.at += shift;
      schedule(rec);
      await webhooks.idle();
      return world.state(rec).data;
    },
    schedule,
    start(tickMs = 1000) {
      if (timer) return;
      timer = clock.setTimer(tick(tickMs), tickMs);
    },
    stop() {
      timer?.cancel();
      timer = undefined;
    },
    restart,
  };
}
