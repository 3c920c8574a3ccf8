/**
 * Materialising trackings. World shipments keep only their summary, plan and history in memory;
 * the full Tracking (with checkpoints, EDDs...) is rebuilt on demand from the generator seed in
 * their recipe, replaying the steps at the times in their history, and kept in a bounded cache.
 * A rebuild equals the object the simulation would have kept, since both go through the same
 * generator and `applyStep`. Records changed through the API are pinned (state kept, never rebuilt).
 */
import { createRng } from './random.js';
import { makeShipment } from './shipment.js';
import { applyStep, summaryOf, type TrackingRecord, type TrackingState } from './tracking-model.js';
import type { Store } from './store.js';

export interface World {
  /** The full state of a tracking: cached, pinned, or rebuilt now. Do not keep it across changes. */
  state(rec: TrackingRecord): TrackingState;
  /** Keeps the record's state for good: call before changing its data through the API. */
  pin(rec: TrackingRecord): TrackingState;
  /** After a change to a record's state: refresh its summary and the store's version. */
  changed(rec: TrackingRecord): void;
  /** Drops every cached state (after a reset). */
  clear(): void;
}

/** Rebuilds a world shipment's state from its recipe and history. */
export function rebuild(rec: TrackingRecord): TrackingState {
  const recipe = rec.recipe;
  if (!recipe) throw new Error(`tracking ${rec.id} is pinned but has no state`);
  const { state } = makeShipment(createRng(recipe.key), rec.createdMs, recipe);
  for (let i = 0; i < rec.history.length; i++) applyStep(state, state.script[i], rec.history[i]);
  return state;
}

export function createWorld(store: Store, cacheSize = 2000): World {
  // Insertion order = least recently used first.
  const cached = new Set<TrackingRecord>();

  const remember = (rec: TrackingRecord): void => {
    cached.delete(rec);
    cached.add(rec);
    if (cached.size <= cacheSize) return;
    const oldest = cached.values().next().value as TrackingRecord;
    cached.delete(oldest);
    if (oldest.recipe) oldest.state = undefined;
  };

  const state = (rec: TrackingRecord): TrackingState => {
    if (!rec.recipe) {
      if (!rec.state) throw new Error(`tracking ${rec.id} is pinned but has no state`);
      return rec.state;
    }
    rec.state ??= rebuild(rec);
    remember(rec);
    return rec.state;
  };

  return {
    state,
    pin(rec) {
      const kept = state(rec);
      cached.delete(rec);
      rec.recipe = null;
      return kept;
    },
    changed(rec) {
      if (rec.state) rec.summary = summaryOf(rec.state.data);
      store.touch();
    },
    clear() {
      for (const rec of cached) if (rec.recipe) rec.state = undefined;
      cached.clear();
    },
  };
}
