/**
 * A shipment's life on the timeline: the steps whose time has come are history (applied), the
 * rest is the plan the simulation plays out, plus the `tracking_pending_time` notice when the
 * shipment will still be Pending at the account's threshold.
 */
import { createRng, type Rng } from './random.js';
import type { StepTemplate } from './scripts.js';
import { makeShipment, type ShipmentRoute } from './shipment.js';
import { transitOf } from './tracking-edd.js';
import { gapsOf, timesFrom, toSecond } from './timing.js';
import { daysBetween } from './format.js';
import { isTerminal } from './fixtures/subtags.js';
import { isReturnSubtag, recordOf, summaryOf, type PlannedEvent, type Recipe, type Summary, type TrackingRecord, type TrackingState } from './tracking-model.js';

/** Planned steps for times[from...]. */
export function stepsPlan(times: readonly number[], from = 0): PlannedEvent[] {
  const plan: PlannedEvent[] = [];
  for (let i = from; i < times.length; i++) plan.push({ at: times[i], kind: 'step', index: i });
  return plan;
}

/** Adds the `tracking_pending_time` notice if the shipment is still Pending `thresholdMs` after creation (and that is after `now`). */
export function addPendingAlert(plan: PlannedEvent[], createdMs: number, now: number, thresholdMs: number, historyLength: number): void {
  if (!(thresholdMs > 0) || historyLength > 0) return;
  const at = createdMs + thresholdMs;
  const first = plan[0];
  if (at <= now || (first?.kind === 'step' && first.at <= at)) return;
  let i = 0;
  while (i < plan.length && plan[i].at <= at) i++;
  plan.splice(i, 0, { at, kind: 'pending-alert' });
}

/** Chooses the creation time from the gaps (the seed places some shipments so a given step is current). */
export type CreatedAt = number | ((gaps: readonly number[], script: readonly StepTemplate[], timing: Rng) => number);

export interface WorldShipmentOptions {
  now: number;
  pendingAlertMs: number;
}

/**
 * The summary of a fresh shipment after its first `done` steps, without building checkpoints:
 * what `applyStep` would leave in the fields lists filter on (world.test checks they agree).
 */
export function summaryAfter(st: TrackingState, times: readonly number[], done: number, createdMs: number): Summary {
  const base = summaryOf(st.data);
  if (done === 0) return base;
  const last = st.script[done - 1];
  let pickup: number | null = null;
  let returned = false;
  for (let i = 0; i < done; i++) {
    if (pickup === null && st.script[i].tag === 'InTransit') pickup = times[i];
    if (isReturnSubtag(st.script[i].subtag)) returned = true;
  }
  const lastAt = times[done - 1] ?? createdMs;
  return {
    ...base,
    tag: last.tag, updatedMs: lastAt, active: !isTerminal(last.tag, last.subtag), returnToSender: returned,
    transitTime: pickup === null ? null : Math.max(1, daysBetween(pickup, lastAt)),
    courierDestination: pickup === null ? null : st.destination.country,
  };
}

/**
 * A world shipment (seeded or arriving) from its recipe: created at `created`, its steps timed
 * with realistic gaps, those up to `now` done. Only its summary is kept: the full tracking is
 * rebuilt when asked for (world.ts).
 */
export function worldShipment(recipe: Recipe, created: CreatedAt, options: WorldShipmentOptions): TrackingRecord {
  const rng = createRng(recipe.key);
  // Timing has its own generator, so a rebuild (which knows the creation time) draws the same shipment.
  const timing = rng.fork('timing');
  let gaps: number[] = [];
  let createdMs = 0;
  const { state } = makeShipment(rng, (script: StepTemplate[], r: ShipmentRoute) => {
    gaps = gapsOf(timing, script, r.profile.kind, transitOf(r.profile.slug, r.profile.kind, r.from, r.to, r.service));
    createdMs = toSecond(typeof created === 'number' ? created : created(gaps, script, timing));
    return createdMs;
  }, recipe);
  const times = timesFrom(createdMs, gaps);
  let done = 0;
  while (done < times.length && times[done] <= options.now) done++;
  const plan = stepsPlan(times, done);
  addPendingAlert(plan, createdMs, options.now, options.pendingAlertMs, done);
  return recordOf(state, createdMs, { recipe, history: times.slice(0, done), plan, world: true, summary: summaryAfter(state, times, done, createdMs) });
}
