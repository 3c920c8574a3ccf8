/**
 * Shipment lifecycles: the ordered carrier events a shipment will go through, from the first
 * carrier scan to the end (REFERENCE §7): Pending -> InfoReceived -> InTransit (hops through
 * real hubs, customs when international) -> OutForDelivery -> Delivered, with branches for
 * failed attempts, pickup points, delays (which revise the EDD), returns, losses and expiry.
 */
import type { TagName } from '../aftership/wire-types.js';
import type { Rng } from './random.js';
import { hubsIn, type Place } from './fixtures/places.js';

export interface StepEvent {
  code: string;
  reason: { code: string } | null;
}

export type EddEffect = { kind: 'set' } | { kind: 'revise'; days: number; reason: string };

export interface StepTemplate {
  tag: TagName;
  subtag: string;
  message: string;
  place: Place | null;
  events: StepEvent[];
  edd?: EddEffect;
}

export type Outcome =
  | 'delivered' | 'attempt-fail' | 'pickup-point' | 'delayed' | 'returned' | 'pickup-missed' | 'lost' | 'cancelled'
  | 'expired' | 'expired-after-info';

/** How a typical merchant's shipments end (percent): most delivered, a few exceptions of each kind. */
export const OUTCOME_WEIGHTS: readonly [Outcome, number][] = [
  ['delivered', 49], ['attempt-fail', 9], ['pickup-point', 9], ['delayed', 10], ['returned', 5], ['pickup-missed', 2],
  ['lost', 4], ['cancelled', 2], ['expired', 5], ['expired-after-info', 5],
];

export function pickOutcome(rng: Rng): Outcome {
  const total = OUTCOME_WEIGHTS.reduce((a, [, w]) => a + w, 0);
  let x = rng.next() * total;
  for (const [o, w] of OUTCOME_WEIGHTS) {
    x -= w;
    if (x < 0) return o;
  }
  return 'delivered';
}

const step = (tag: TagName, subtag: string, message: string, place: Place | null, extra: Partial<StepTemplate> = {}): StepTemplate => ({
  tag, subtag, message, place, events: [], ...extra,
});

function hubsBetween(rng: Rng, from: Place, to: Place): Place[] {
  const hubs = hubsIn(from.country).filter((p) => p.city !== from.city && p.city !== to.city);
  const count = hubs.length ? rng.int(1, Math.min(2, hubs.length)) : 0;
  const chosen: Place[] = [];
  for (let i = 0; i < count; i++) {
    const h = rng.pick(hubs.filter((x) => !chosen.includes(x)));
    if (h) chosen.push(h);
  }
  return chosen;
}

function destinationHub(rng: Rng, to: Place): Place {
  const hubs = hubsIn(to.country).filter((p) => p.city !== to.city);
  return hubs.length ? rng.pick(hubs) : to;
}

/** Steps from the carrier's first scan to arrival at the destination's local facility. */
function transitLeg(rng: Rng, from: Place, to: Place, carrier: string, delay?: StepTemplate[]): StepTemplate[] {
  const steps: StepTemplate[] = [
    step('InTransit', 'InTransit_002', `Picked up by ${carrier}`, from, { events: [{ code: 'picked_up', reason: null }], edd: { kind: 'set' } }),
    step('InTransit', 'InTransit_007', 'Departed from facility', from),
  ];
  const customsDelay = delay?.some((d) => CUSTOMS_DELAYS.has(d.subtag)) ?? false;
  let delayed = false;
  for (const hub of hubsBetween(rng, from, to)) {
    steps.push(step('InTransit', 'InTransit_003', `Arrived at ${carrier} sort facility`, hub));
    if (delay && !delayed && !customsDelay) {
      steps.push(...delay.map((d) => ({ ...d, place: d.place ?? hub })));
      delayed = true;
    }
    steps.push(step('InTransit', 'InTransit_007', 'Departed from facility', hub));
  }
  if (from.country !== to.country) {
    const entry = destinationHub(rng, to);
    steps.push(step('InTransit', 'InTransit_001', 'Departed country of origin, in transit to destination country', null));
    steps.push(step('InTransit', 'InTransit_004', 'Arrived at destination country', entry));
    steps.push(step('InTransit', 'InTransit_006', 'Handed over to customs for clearance', entry));
    if (delay && !delayed) {
      steps.push(...delay.map((d) => ({ ...d, place: d.place ?? entry })));
      delayed = true;
    }
    steps.push(step('InTransit', 'InTransit_005', 'Customs clearance completed', entry));
    if (entry.city !== to.city) steps.push(step('InTransit', 'InTransit_007', 'Departed from facility', entry));
  }
  if (delay && !delayed) steps.push(...delay.map((d) => ({ ...d, place: d.place ?? from })));
  steps.push(step('InTransit', 'InTransit_003', 'Arrived at local delivery facility', to));
  return steps;
}

const DELAYS: readonly { subtag: string; message: string; reason: string; days: [number, number] }[] = [
  { subtag: 'Exception_017', message: 'Delay due to severe weather conditions', reason: 'extreme_weather', days: [1, 3] },
  { subtag: 'Exception_016', message: 'Delay in the carrier network, shipment will be forwarded as soon as possible', reason: 'carrier_processing', days: [1, 2] },
  { subtag: 'Exception_004', message: 'Held by customs, awaiting clearance', reason: 'customs_clearance', days: [2, 4] },
  { subtag: 'Exception_019', message: 'Flight delayed, shipment rescheduled on next available flight', reason: 'carrier_processing', days: [1, 2] },
  { subtag: 'Exception_006', message: 'Held for payment of import duties and taxes', reason: 'customs_clearance', days: [2, 5] },
  { subtag: 'Exception_018', message: 'Held by customs, documents missing or incorrect', reason: 'customs_clearance', days: [2, 6] },
];

/** Delays that only happen at customs (international routes). */
const CUSTOMS_DELAYS: ReadonlySet<string> = new Set(['Exception_004', 'Exception_006', 'Exception_018']);

/** Why a parcel goes back to its sender. */
const RETURNS: readonly StepTemplate[] = [
  { tag: 'Exception', subtag: 'Exception_007', message: 'Incorrect or incomplete address, unable to deliver', place: null, events: [] },
  { tag: 'Exception', subtag: 'Exception_002', message: 'Recipient moved, no forwarding address', place: null, events: [] },
  { tag: 'Exception', subtag: 'Exception_003', message: 'Delivery refused by the recipient', place: null, events: [] },
];

/** The full list of carrier events for a shipment with the given outcome (the Pending state comes before them). */
export function buildScript(rng: Rng, outcome: Outcome, from: Place, to: Place, carrier: string, recipient: string): StepTemplate[] {
  const info = step('InfoReceived', 'InfoReceived_001', `Shipment information received by ${carrier}, awaiting item`, from);
  const expired = step('Expired', 'Expired_001', 'No tracking information received in the last 30 days', null);
  if (outcome === 'expired') return [expired];
  if (outcome === 'expired-after-info') return [info, expired];
  if (outcome === 'cancelled') return [info, step('Exception', 'Exception_020', 'Shipment cancelled by the sender', from)];
  let delay: StepTemplate[] | undefined;
  if (outcome === 'delayed') {
    const d = rng.pick(from.country !== to.country ? DELAYS : DELAYS.filter((x) => !CUSTOMS_DELAYS.has(x.subtag)));
    delay = [
      step('Exception', d.subtag, d.message, null, { edd: { kind: 'revise', days: rng.int(d.days[0], d.days[1]), reason: d.reason } }),
      step('InTransit', 'InTransit_008', 'Problem resolved, shipment back in transit', null),
    ];
  }
  const steps = [info, ...transitLeg(rng, from, to, carrier, delay)];
  const ofd = (message = 'Out for delivery') => step('OutForDelivery', 'OutForDelivery_001', message, to);
  const attempt = () => step('AttemptFail', rng.pick(['AttemptFail_001', 'AttemptFail_002', 'AttemptFail_003']), 'Delivery attempted, recipient not available, notice left', to);
  const goBack = (why: StepTemplate): StepTemplate[] => [
    { ...why, place: why.place ?? to },
    step('Exception', 'Exception_010', 'Returning to sender', to, { events: [{ code: 'returned_to_sender', reason: why.subtag === 'Exception_007' ? { code: 'incorrect_missing_address' } : null }] }),
    step('Exception', 'Exception_011', 'Returned to sender', from, { events: [{ code: 'returned_to_sender', reason: null }] }),
  ];
  const pickup = step('AvailableForPickup', 'AvailableForPickup_001', `Available for pickup at ${carrier} service point`, to);
  const collected = step('Delivered', 'Delivered_002', 'Collected by the customer at the service point', to, { events: [{ code: 'picked_up_by_customer', reason: null }] });
  switch (outcome) {
    case 'returned': {
      const why = rng.pick(RETURNS);
      if (why.subtag === 'Exception_003') steps.push(ofd(), ...goBack(why));
      else steps.push(ofd(), attempt(), ...goBack(why));
      return steps;
    }
    case 'pickup-missed':
      steps.push(pickup, ...goBack(step('Exception', 'Exception_008', 'Not collected from the service point within the holding period', to)));
      return steps;
    case 'lost':
      steps.splice(steps.length - 1, 0, rng.chance(0.7)
        ? step('Exception', 'Exception_013', 'Shipment could not be located, declared lost', null)
        : step('Exception', 'Exception_012', 'Shipment damaged in transit', null));
      return steps.slice(0, steps.findIndex((s) => s.tag === 'Exception') + 1);
    case 'pickup-point':
      steps.push(pickup, collected);
      return steps;
    case 'attempt-fail': {
      steps.push(ofd(), attempt());
      const r = rng.next();
      // After a failed attempt: taken to a service point, or tried again (once or twice).
      if (r < 0.2) {
        steps.push(pickup, collected);
        return steps;
      }
      steps.push(ofd('Out for delivery (second attempt)'));
      if (r < 0.45) steps.push(attempt(), ofd('Out for delivery (third attempt)'));
      break;
    }
    default:
      steps.push(ofd());
  }
  const r = rng.next();
  if (r < 0.6) steps.push(step('Delivered', 'Delivered_001', 'Delivered, left at front door', to));
  else if (r < 0.85) steps.push(step('Delivered', 'Delivered_003', `Delivered, signed for by ${recipient}`, to, { events: [{ code: 'signed', reason: null }] }));
  else steps.push(step('Delivered', 'Delivered_005', 'Delivered to neighbour', to, { events: [{ code: 'delivered_to_neighbor', reason: null }] }));
  return steps;
}
