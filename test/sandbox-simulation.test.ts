/**
 * The moving world: seeded content, valid lifecycles as simulation time passes, determinism per
 * randomSeed, auto-advance and speed, and replacement of finished shipments.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock.js';
import { TAGS, type Tracking } from '../src/aftership/wire-types.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createCourierRegistry } from '../src/sandbox/detect.js';

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
function make(options: Parameters<typeof createSandbox>[0]): Sandbox {
  const s = createSandbox(options);
  open.push(s);
  return s;
}

/** Which tag may follow which (REFERENCE §7). */
const NEXT: Record<string, string[]> = {
  Pending: ['InfoReceived', 'InTransit', 'Expired', 'Exception'],
  InfoReceived: ['InTransit', 'Expired', 'Exception'],
  InTransit: ['InTransit', 'OutForDelivery', 'AvailableForPickup', 'Exception', 'Delivered'],
  OutForDelivery: ['Delivered', 'AttemptFail', 'AvailableForPickup', 'Exception'],
  AttemptFail: ['OutForDelivery', 'Exception', 'AvailableForPickup', 'Delivered'],
  AvailableForPickup: ['Delivered', 'Exception'],
  Exception: ['InTransit', 'Exception', 'OutForDelivery'],
  Delivered: [],
  Expired: [],
};

function checkInvariants(t: Tracking): void {
  const cps = t.checkpoints ?? [];
  const last = cps.at(-1);
  if (last) expect([t.tag, t.subtag, t.subtag_message]).toEqual([last.tag, last.subtag, last.subtag_message]);
  let prev = 'Pending';
  for (const c of cps) {
    expect(NEXT[prev], `${t.id}: ${prev} -> ${c.tag}`).toContain(c.tag);
    prev = c.tag!;
    expect(c.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(c.subtag!.startsWith(c.tag!)).toBe(true);
  }
  const times = cps.map((c) => Date.parse(c.created_at!));
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  const scans = cps.map((c) => Date.parse(c.checkpoint_time!));
  expect([...scans].sort((a, b) => a - b)).toEqual(scans);
  cps.forEach((c, i) => expect(scans[i]).toBeLessThanOrEqual(times[i]));
  if (t.tag === 'Delivered' || t.tag === 'Expired') expect(t.active).toBe(false);
  expect(t.return_to_sender).toBe(cps.some((c) => c.subtag === 'Exception_010' || c.subtag === 'Exception_011'));
  if (t.tag === 'Delivered') expect(t.shipment_delivery_date).toBeTruthy();
}

describe('the seeded world', () => {
  it('has 60 trackings over 10+ couriers, every tag, matching numbers and rich fields', () => {
    const s = make({ apiKey: 'k', clock: new ManualClock() });
    const all = s.store.list();
    expect(all).toHaveLength(60);
    expect(new Set(all.map((t) => t.slug)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(all.map((t) => t.tag))).toEqual(new Set(TAGS));
    const registry = createCourierRegistry();
    for (const t of all) {
      expect(registry.matching(t.tracking_number!, [registry.get(t.slug!)!]), t.tracking_number).toHaveLength(1);
      checkInvariants(t);
    }
    const some = (f: (t: Tracking) => unknown): boolean => all.some((t) => f(t));
    expect(some((t) => t.checkpoints!.some((c) => c.coordinate && c.city))).toBe(true);
    expect(some((t) => t.latest_estimated_delivery && t.aftership_estimated_delivery_date && t.courier_estimated_delivery_date)).toBe(true);
    expect(some((t) => t.signed_by)).toBe(true);
    expect(some((t) => t.transit_time !== null && t.on_time_status)).toBe(true);
    expect(some((t) => t.return_to_sender)).toBe(true);
    expect(some((t) => t.custom_fields && t.order_id && t.shipment_weight && t.customers!.length)).toBe(true);
    expect(some((t) => t.shipment_pickup_date && t.courier_tracking_link && t.subscribed_emails!.length)).toBe(true);
    expect(some((t) => t.courier_connection_id)).toBe(true);
    expect(some((t) => t.return_shipment) && some((t) => t.forward_shipment)).toBe(true);
  });

  it('is the same for the same randomSeed and different for another', () => {
    const start = Date.UTC(2026, 5, 1, 9, 0, 0);
    const a = make({ apiKey: 'k', clock: new ManualClock(start), randomSeed: 7 }).store.list();
    const b = make({ apiKey: 'k', clock: new ManualClock(start), randomSeed: 7 }).store.list();
    const c = make({ apiKey: 'k', clock: new ManualClock(start), randomSeed: 8 }).store.list();
    expect(b).toEqual(a);
    expect(c.map((t) => t.id)).not.toEqual(a.map((t) => t.id));
  });

  it('can be empty', () => {
    expect(make({ apiKey: 'k', clock: new ManualClock(), seed: 0 }).store.count()).toBe(0);
  });
});

describe('the simulation', () => {
  it('moves trackings through valid lifecycles, deterministically', async () => {
    const start = Date.UTC(2026, 5, 1, 9, 0, 0);
    const a = make({ apiKey: 'k', clock: new ManualClock(start), seed: 30 });
    const b = make({ apiKey: 'k', clock: new ManualClock(start), seed: 30 });
    const before = new Map(a.store.list().map((t) => [t.id, t.checkpoints!.length]));
    for (let i = 0; i < 12; i++) {
      await a.advance(5 * 60_000);
      await b.advance(5 * 60_000);
    }
    const after = a.store.list();
    expect(b.store.list()).toEqual(after);
    let moved = 0;
    for (const t of after) {
      checkInvariants(t);
      if (t.checkpoints!.length > (before.get(t.id) ?? 0)) moved++;
    }
    expect(moved).toBeGreaterThan(15);
    // Finished seeded shipments are replaced by new ones, so the world keeps moving.
    expect(after.length).toBeGreaterThan(30);
    expect(after.filter((t) => t.active).length).toBeGreaterThan(5);
  });

  it('moves on its own with autoAdvance: changes within 10 seconds at speed 1, faster at speed 20', async () => {
    const clock = new ManualClock();
    const slow = make({ apiKey: 'k', clock, autoAdvance: true });
    const fast = make({ apiKey: 'k', clock, autoAdvance: true, speed: 20 });
    const snapshot = (s: Sandbox) => new Map(s.store.list().map((t) => [t.id, t.updated_at]));
    const s0 = snapshot(slow);
    const f0 = snapshot(fast);
    for (let i = 0; i < 10; i++) clock.advance(1000);
    const changed = (s: Sandbox, before: Map<string | undefined, string | undefined>) =>
      s.store.list().filter((t) => before.get(t.id) !== t.updated_at).length;
    expect(changed(slow, s0)).toBeGreaterThan(0);
    expect(changed(fast, f0)).toBeGreaterThan(changed(slow, s0));
    expect(fast.now() - slow.now()).toBe(19 * 10_000);
  });

  it('gives created trackings a lifecycle too, and moveTracking steps one tracking', async () => {
    const s = make({ apiKey: 'k', clock: new ManualClock(), seed: 0 });
    const res = await s.handle(new Request('http://x/tracking/2026-07/trackings', {
      method: 'POST', headers: { 'as-api-key': 'k' }, body: JSON.stringify({ tracking_number: '1Z12345E0205271688', destination_country_region: 'USA' }),
    }));
    const created = (await res.json()).data as Tracking;
    expect(s.store.plannedEvents(created.id!).length).toBeGreaterThan(0);
    const moved = await s.moveTracking(created.id!);
    expect(moved!.tag).not.toBe('Pending');
    await s.advance(24 * 3_600_000);
    const done = s.store.get(created.id!)!;
    checkInvariants(done);
    expect(done.active).toBe(false);
    expect(s.store.count()).toBe(1); // API-created trackings are not replaced
  });

  it('reset rebuilds the seeded world', async () => {
    const s = make({ apiKey: 'k', clock: new ManualClock(), seed: 5 });
    const ids = s.store.list().map((t) => t.id);
    await s.advance(3_600_000);
    await s.reset();
    expect(s.store.list().map((t) => t.id).sort()).toEqual([...ids].sort());
  });
});
