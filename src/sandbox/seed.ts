/**
 * The seeded world: `count` trackings of one account, created over the last SEED_WINDOW_DAYS,
 * each lived up to now with realistic gaps (so the account holds the real mix: mostly delivered,
 * some in transit, a few exceptions, returns and expiries) and, unless finished, a plan the
 * simulation plays out. The first trackings are placed so every tag (and a return, a loss) is
 * always present. Only summaries are kept (see world.ts), so 100,000 trackings seed in seconds.
 * Same randomSeed + same start time -> same world.
 */
import type { TagName } from '../aftership/wire-types.js';
import { createRng, type Rng } from './random.js';
import type { Outcome, StepTemplate } from './scripts.js';
import type { Store } from './store.js';
import { utcIso, DAY_MS } from './format.js';
import { worldShipment, type CreatedAt } from './lifecycle.js';
import { HOUR_MS, SEED_WINDOW_DAYS } from './timing.js';
import type { TrackingRecord } from './tracking-model.js';
import type { World } from './world.js';

type Target = TagName | 'End';

/** The first trackings are fixed so every tag (and a return, a loss) is always present. */
const TARGETS: readonly [Target, Outcome][] = [
  ['Pending', 'delivered'], ['InfoReceived', 'delivered'], ['InTransit', 'delayed'], ['OutForDelivery', 'delivered'],
  ['AttemptFail', 'attempt-fail'], ['Delivered', 'delivered'], ['AvailableForPickup', 'pickup-point'],
  ['Exception', 'delayed'], ['Expired', 'expired'], ['End', 'returned'], ['End', 'lost'], ['InTransit', 'delivered'],
];

/** How many steps of the script are done for the target state. */
function cutFor(rng: Rng, script: readonly StepTemplate[], target: Target): number {
  if (target === 'End') return script.length;
  if (target === 'Pending') return 0;
  if (target === 'InTransit') {
    const idx = script.map((s, i) => (s.tag === 'InTransit' ? i : -1)).filter((i) => i >= 0);
    return rng.pick(idx.slice(1, 4)) + 1;
  }
  return script.findIndex((s) => s.tag === target) + 1;
}

/** A creation time that puts `target` current now: its step done, the next one still ahead. */
function placedFor(target: Target, now: number): CreatedAt {
  return (gaps, script, timing) => {
    const cut = cutFor(timing, script, target);
    const done = gaps.slice(0, cut).reduce((a, b) => a + b, 0);
    const into = cut < gaps.length ? gaps[cut] * (0.05 + 0.9 * timing.next()) : timing.int(1, 72) * HOUR_MS;
    return Math.max(now - 110 * DAY_MS, now - done - into);
  };
}

export interface SeedOptions {
  count: number;
  randomSeed: number;
  now: number;
  pendingAlertMs: number;
}

/** Fills the store with the seeded world and returns the generator the simulation continues with. */
export function seedWorld(store: Store, world: World, options: SeedOptions): Rng {
  const { now } = options;
  const root = createRng(options.randomSeed);
  const connectionRng = root.fork('connections');
  const connectionId = connectionRng.hex(32);
  const connCreated = utcIso(now - 30 * DAY_MS);
  store.connections.set(connectionId, {
    data: {
      id: connectionId, courier_slug: 'ups-api', created_at: connCreated, updated_at: connCreated,
      credentials: { user_id: 'sandbox-shipping', password: 'sandbox-Passw0rd', access_license_number: connectionRng.hex(16).toUpperCase() },
    },
    createdMs: now - 30 * DAY_MS,
  });
  // Half the account's UPS shipments go through its UPS connection.
  const connection = { id: connectionId, slug: 'ups' };
  const records: TrackingRecord[] = [];
  const numbers = new Set<string>();
  const spread = root.fork('created');
  for (let i = 0; i < options.count; i++) {
    const target = i < TARGETS.length ? TARGETS[i] : undefined;
    const recipe = { key: root.forkKey(`tracking-${i}`), outcome: target?.[1], connection: i % 2 === 0 ? connection : undefined };
    const created = target ? placedFor(target[0], now) : now - spread.next() * SEED_WINDOW_DAYS * DAY_MS;
    const rec = worldShipment(recipe, created, { now, pendingAlertMs: options.pendingAlertMs });
    const key = `${rec.slug} ${rec.trackingNumber}`;
    if (numbers.has(key)) continue; // AfterShip refuses a duplicate slug + number
    numbers.add(key);
    records.push(rec);
  }
  store.insertMany(records);
  linkReturn(records, world);
  return root.fork('simulation');
}

/** One delivered forward shipment with a return shipment, linked both ways (both pinned). */
function linkReturn(records: readonly TrackingRecord[], world: World): void {
  const forward = records.find((r) => r.summary.tag === 'Delivered');
  const ret = records.length > 12 ? records[records.length - 1] : undefined;
  if (!forward || !ret || forward === ret) return;
  const r = world.pin(ret).data;
  const f = world.pin(forward).data;
  r.shipment_direction = 'return';
  r.forward_shipment = { id: f.id };
  f.return_shipment = { id: r.id, tracking_number: r.tracking_number, slug: r.slug };
  world.changed(ret);
  world.changed(forward);
}
