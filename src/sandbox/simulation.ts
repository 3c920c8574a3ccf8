/**
 * The moving world. Simulation time is the clock plus a skew: `advance(ms)` adds to the skew and
 * `speed` > 1 adds to it on every auto tick. Due planned events are applied in time order, each
 * one updating the tracking and sending `tracking_update` (and `edd_revise` when the EDD moved).
 * A seeded shipment that finishes is replaced by a new one shortly after, so the world stays
 * busy for hours at speed 1 (about one change every few seconds with 60 trackings).
 */
import type { Clock, TimerHandle } from '../lib/clock.js';
import type { Tracking } from '../aftership/wire-types.js';
import type { Store } from './store.js';
import type { WebhookDispatcher } from './webhooks.js';
import { applyStep, type TrackingRecord } from './tracking-model.js';
import { liveGapMs, makeShipment } from './shipment.js';
import { planLive } from './seed.js';
import type { Rng } from './random.js';

export interface Simulation {
  /** Simulation time (ms). */
  now(): number;
  /** Moves simulation time forward and applies everything that fell due; waits for first webhook attempts. */
  advance(ms: number): Promise<number>;
  /** Applies the next planned event of one tracking now. */
  moveTracking(id: string): Promise<Tracking | undefined>;
  /** Runs the world on the clock: every tickMs, applies what fell due (speed > 1 also moves time ahead). */
  start(tickMs?: number): void;
  stop(): void;
  /** Replaces the generator (after reset). */
  setRng(rng: Rng): void;
}

export interface SimulationOptions {
  clock: Clock;
  store: Store;
  webhooks: WebhookDispatcher;
  rng: Rng;
  speed: number;
  /** Past this many trackings, a new shipment replaces the oldest finished world shipment. */
  maxTrackings: number;
}

export function createSimulation(options: SimulationOptions): Simulation {
  const { clock, store, webhooks } = options;
  let rng = options.rng;
  let skew = 0;
  let spawnCount = 0;
  const spawns: number[] = [];
  let timer: TimerHandle | undefined;
  const now = (): number => clock.now() + skew;

  function emit(rec: TrackingRecord, tagChanged: boolean, eddChanged: boolean, at: number): void {
    webhooks.enqueue('tracking_update', rec.data, tagChanged, at);
    if (eddChanged) webhooks.enqueue('edd_revise', rec.data, false, at);
  }

  function applyNext(rec: TrackingRecord, at: number): void {
    const planned = rec.plan.shift();
    if (!planned) return;
    if (planned.step === null) {
      rec.data.active = false; // a retrack found nothing new
      return;
    }
    const result = applyStep(rec, planned.step, at);
    emit(rec, result.tagChanged, result.eddChanged, at);
    if (rec.data.active === false && rec.replenish) spawns.push(at + liveGapMs(rng));
  }

  function spawn(at: number): void {
    if (store.records().length >= options.maxTrackings) {
      // Make room by forgetting the oldest finished world shipment (AfterShip keeps 120 days only).
      const oldest = store.records().filter((r) => r.replenish && !r.data.active && !r.plan.length).sort((a, b) => a.createdMs - b.createdMs)[0];
      if (!oldest) return;
      store.remove(oldest.data.id ?? '');
    }
    const s = makeShipment(rng.fork(`spawn-${spawnCount++}`), at);
    s.rec.plan = planLive(rng, s.script, at);
    s.rec.replenish = true;
    store.insert(s.rec);
  }

  /** Applies every due event in time order; returns how many. */
  function runDue(): number {
    const limit = now();
    let applied = 0;
    for (;;) {
      let next: TrackingRecord | undefined;
      for (const rec of store.records()) {
        const p = rec.plan[0];
        if (p && p.at <= limit && (!next || p.at < next.plan[0].at)) next = rec;
      }
      spawns.sort((a, b) => a - b);
      const spawnAt = spawns[0];
      if (spawnAt !== undefined && spawnAt <= limit && (!next || spawnAt <= next.plan[0].at)) {
        spawns.shift();
        spawn(spawnAt);
        continue;
      }
      if (!next) return applied;
      applyNext(next, next.plan[0].at);
      applied++;
    }
  }

  const tick = (tickMs: number) => (): void => {
    skew += tickMs * (options.speed - 1);
    runDue();
    timer = clock.setTimer(tick(tickMs), tickMs);
  };

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
      if (!rec || rec.plan.length === 0) return undefined;
      const at = Math.max(now(), rec.createdMs);
      applyNext(rec, at);
      // Keep the rest of the plan after this moment.
      const behind = rec.plan.length ? at - rec.plan[0].at : 0;
      if (behind >= 0) for (const p of rec.plan) p.at += behind + 1000;
      await webhooks.idle();
      return rec.data;
    },
    start(tickMs = 1000) {
      if (timer) return;
      timer = clock.setTimer(tick(tickMs), tickMs);
    },
    stop() {
      timer?.cancel();
      timer = undefined;
    },
    setRng(next) {
      rng = next;
      spawns.length = 0;
      spawnCount = 0;
    },
  };
}
