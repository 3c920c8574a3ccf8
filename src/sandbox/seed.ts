/**
 * The seeded world: `count` trackings across many couriers, every tag present, each with a past
 * (real-looking history over days, applied through the same code as live events) and, unless
 * finished, a future plan the simulation plays out. Same randomSeed + same start time -> same world.
 */
import type { TagName } from '../aftership/wire-types.js';
import { COURIER_PROFILES } from './fixtures/courier-profiles.js';
import { createRng, type Rng } from './random.js';
import { historyGapMs, liveGapMs, makeShipment, type Shipment } from './shipment.js';
import type { Outcome, StepTemplate } from './scripts.js';
import { applyStep, type PlannedStep } from './tracking-model.js';
import type { Store } from './store.js';
import { utcIso, DAY_MS } from './format.js';

type Target = TagName | 'End';

/** The first trackings are fixed so every tag (and a return, a loss) is always present. */
const TARGETS: readonly [Target, Outcome][] = [
  ['Pending', 'delivered'], ['InfoReceived', 'delivered'], ['InTransit', 'delayed'], ['OutForDelivery', 'delivered'],
  ['AttemptFail', 'attempt-fail'], ['Delivered', 'delivered'], ['AvailableForPickup', 'pickup-point'],
  ['Exception', 'delayed'], ['Expired', 'expired'], ['End', 'returned'], ['End', 'lost'], ['InTransit', 'delivered'],
];

function cutFor(rng: Rng, script: StepTemplate[], target: Target | undefined): number {
  if (target === undefined) return rng.chance(0.4) ? script.length : rng.int(0, script.length - 1);
  if (target === 'End') return script.length;
  if (target === 'Pending') return 0;
  if (target === 'InTransit') {
    const idx = script.map((s, i) => (s.tag === 'InTransit' ? i : -1)).filter((i) => i >= 0);
    return rng.pick(idx.slice(1, 4)) + 1;
  }
  return script.findIndex((s) => s.tag === target) + 1;
}

/** Plans steps from `start` on with live (short) gaps. */
export function planLive(rng: Rng, steps: StepTemplate[], start: number): PlannedStep[] {
  let at = start;
  return steps.map((step) => {
    at += liveGapMs(rng);
    return { at, step };
  });
}

function seedOne(rng: Rng, now: number, target: [Target, Outcome] | undefined, index: number): Shipment {
  const profile = target ? undefined : COURIER_PROFILES[index % COURIER_PROFILES.length];
  const timing = rng.fork('timing');
  let cut = 0;
  let gaps: number[] = [];
  const shipment = makeShipment(rng, (script, chosen) => {
    cut = cutFor(timing, script, target?.[0]);
    gaps = script.slice(0, cut).map((s, i) => historyGapMs(timing, s, script[i - 1], chosen.kind));
    const span = gaps.reduce((a, b) => a + b, 0);
    const tail = cut === script.length ? timing.int(1, 72) * 3_600_000 : timing.int(10, 300) * 60_000;
    return Math.max(now - 100 * DAY_MS, now - span - tail);
  }, { outcome: target?.[1], profile });
  let at = shipment.rec.createdMs;
  for (let i = 0; i < cut; i++) {
    at += gaps[i];
    applyStep(shipment.rec, shipment.script[i], Math.min(at, now - 60_000));
  }
  // The world is caught mid-way: the next event of each shipment is anywhere within one gap.
  const plan = planLive(timing, shipment.script.slice(cut), now);
  if (plan.length) {
    const early = plan[0].at - (now + timing.int(1, Math.floor((plan[0].at - now) / 1000)) * 1000);
    for (const p of plan) p.at -= early;
  }
  shipment.rec.plan = plan;
  shipment.rec.replenish = true;
  return shipment;
}

export interface SeedOptions {
  count: number;
  randomSeed: number;
  now: number;
}

/** Fills the store with the seeded world and returns the generator the simulation continues with. */
export function seedWorld(store: Store, options: SeedOptions): Rng {
  const root = createRng(options.randomSeed);
  const connectionRng = root.fork('connections');
  const connectionId = connectionRng.hex(32);
  const connCreated = utcIso(options.now - 30 * DAY_MS);
  store.connections.set(connectionId, {
    data: {
      id: connectionId, courier_slug: 'ups-api', created_at: connCreated, updated_at: connCreated,
      credentials: { user_id: 'sandbox-shipping', password: 'sandbox-Passw0rd', access_license_number: connectionRng.hex(16).toUpperCase() },
    },
    createdMs: options.now - 30 * DAY_MS,
  });
  const shipments: Shipment[] = [];
  for (let i = 0; i < options.count; i++) {
    const target = i < TARGETS.length ? TARGETS[i] : undefined;
    const s = seedOne(root.fork(`tracking-${i}`), options.now, target, i);
    if (s.rec.data.slug === 'ups' && i % 2 === 0) s.rec.data.courier_connection_id = connectionId;
    shipments.push(s);
  }
  // One forward shipment with its return shipment, linked both ways.
  const forward = shipments.find((s) => s.rec.data.tag === 'Delivered');
  const ret = shipments.length > 12 ? shipments[shipments.length - 1] : undefined;
  if (forward && ret && forward !== ret) {
    ret.rec.data.shipment_direction = 'return';
    ret.rec.data.forward_shipment = { id: forward.rec.data.id };
    forward.rec.data.return_shipment = { id: ret.rec.data.id, tracking_number: ret.rec.data.tracking_number, slug: ret.rec.data.slug };
  }
  // Three changes in the first ten seconds, so a fresh sandbox visibly moves at once.
  shipments.filter((s) => s.rec.plan.length).slice(0, 3).forEach((s, i) => {
    const shift = s.rec.plan[0].at - (options.now + 2000 + i * 3000);
    for (const p of s.rec.plan) p.at -= shift;
  });
  for (const s of shipments) {
    if (!store.findByNumber(s.rec.data.slug ?? '', s.rec.data.tracking_number ?? '')) store.insert(s.rec);
  }
  return root.fork('simulation');
}
