/**
 * The sandbox's data: trackings (by id, legacy id and slug+number, and in list order) and courier
 * connections. Created per sandbox (no module state), cleared by reset. The list order is kept
 * sorted (oldest first by created time, then id) so GET /trackings pages by binary search instead
 * of sorting the account on every call; `version` changes whenever any tracking does.
 */
import type { CourierConnection } from '../aftership/wire-types.js';
import type { TrackingRecord } from './tracking-model.js';

export interface ConnectionRecord {
  data: Required<Pick<CourierConnection, 'id' | 'courier_slug' | 'created_at' | 'updated_at'>> & { credentials: Record<string, string> };
  createdMs: number;
}

export interface Store {
  /** Resolves an id or a legacy id. */
  find(idOrLegacyId: string): TrackingRecord | undefined;
  findByNumber(slug: string, trackingNumber: string): TrackingRecord | undefined;
  insert(rec: TrackingRecord): void;
  /** Inserts many at once (one sort). */
  insertMany(recs: readonly TrackingRecord[]): void;
  remove(id: string): TrackingRecord | undefined;
  /** Every tracking, oldest first (created time, then id). Read only. */
  ordered(): readonly TrackingRecord[];
  count(): number;
  /** Bumped by every insert, remove and change (see touch). */
  version(): number;
  /** Records that some tracking changed. */
  touch(): void;
  connections: Map<string, ConnectionRecord>;
  clear(): void;
  /** Called when a tracking's slug changes (PUT). */
  reindex(rec: TrackingRecord, oldSlug: string): void;
}

const numberKey = (slug: string, n: string): string => `${slug} ${n.toUpperCase()}`;

/** Sort order of the list: created time, then id. */
export function compareRecords(a: TrackingRecord, b: TrackingRecord): number {
  return a.createdMs - b.createdMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Index of the first record not before (ms, id) in `list` (sorted by compareRecords). */
export function lowerBound(list: readonly TrackingRecord[], ms: number, id = ''): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = list[mid];
    if (r.createdMs < ms || (r.createdMs === ms && r.id < id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createStore(): Store {
  const byId = new Map<string, TrackingRecord>();
  const byLegacy = new Map<string, TrackingRecord>();
  const byNumber = new Map<string, TrackingRecord>();
  const connections = new Map<string, ConnectionRecord>();
  let order: TrackingRecord[] = [];
  let version = 0;

  const index = (rec: TrackingRecord): void => {
    byId.set(rec.id, rec);
    if (rec.legacyId) byLegacy.set(rec.legacyId, rec);
    byNumber.set(numberKey(rec.slug, rec.trackingNumber), rec);
  };

  return {
    find: (id) => byId.get(id) ?? byLegacy.get(id),
    findByNumber: (slug, n) => byNumber.get(numberKey(slug, n)),
    insert(rec) {
      index(rec);
      const last = order[order.length - 1];
      // New trackings are nearly always the newest: appending keeps the order.
      if (!last || compareRecords(last, rec) < 0) order.push(rec);
      else order.splice(lowerBound(order, rec.createdMs, rec.id), 0, rec);
      version++;
    },
    insertMany(recs) {
      for (const rec of recs) index(rec);
      order = [...order, ...recs].sort(compareRecords);
      version++;
    },
    remove(id) {
      const rec = byId.get(id);
      if (!rec) return undefined;
      byId.delete(id);
      if (rec.legacyId) byLegacy.delete(rec.legacyId);
      byNumber.delete(numberKey(rec.slug, rec.trackingNumber));
      const at = lowerBound(order, rec.createdMs, rec.id);
      if (order[at] === rec) order.splice(at, 1);
      version++;
      return rec;
    },
    ordered: () => order,
    count: () => byId.size,
    version: () => version,
    touch() {
      version++;
    },
    connections,
    clear() {
      byId.clear();
      byLegacy.clear();
      byNumber.clear();
      connections.clear();
      order = [];
      version++;
    },
    reindex(rec, oldSlug) {
      byNumber.delete(numberKey(oldSlug, rec.trackingNumber));
      byNumber.set(numberKey(rec.slug, rec.trackingNumber), rec);
    },
  };
}
