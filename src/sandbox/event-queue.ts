/**
 * The simulation's agenda: a binary min-heap of (time, tracking), earliest first and, at equal
 * times, first scheduled first (so runs are deterministic). Entries are never updated in place:
 * rescheduling pushes a new one and the simulation skips entries that no longer match the plan.
 */
import type { TrackingRecord } from './tracking-model.js';

export interface QueueEntry {
  at: number;
  seq: number;
  rec: TrackingRecord;
}

export interface EventQueue {
  push(rec: TrackingRecord, at: number): void;
  peek(): QueueEntry | undefined;
  pop(): QueueEntry | undefined;
  size(): number;
  clear(): void;
}

const before = (a: QueueEntry, b: QueueEntry): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export function createEventQueue(): EventQueue {
  let heap: QueueEntry[] = [];
  let seq = 0;
  return {
    push(rec, at) {
      const entry = { at, seq: seq++, rec };
      let i = heap.push(entry) - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(entry, heap[parent])) break;
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = entry;
    },
    peek: () => heap[0],
    pop() {
      const top = heap[0];
      const last = heap.pop();
      if (!top || !last || heap.length === 0) return top;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const child = l + 1 < heap.length && before(heap[l + 1], heap[l]) ? l + 1 : l;
        if (!before(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
      return top;
    },
    size: () => heap.length,
    clear() {
      heap = [];
      seq = 0;
    },
  };
}
