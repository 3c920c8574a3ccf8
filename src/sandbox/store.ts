/**
 * The sandbox's data: trackings (by id, legacy id and slug+number) and courier connections.
 * Created per sandbox (no module state), cleared by reset.
 */
import type { CourierConnection, Tracking } from '../aftership/wire-types.js';
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
  remove(id: string): TrackingRecord | undefined;
  records(): TrackingRecord[];
  connections: Map<string, ConnectionRecord>;
  /** Retrack counts survive deletion? No: they live on the record. */
  clear(): void;
  /** Called when a tracking's slug changes (PUT). */
  reindex(rec: TrackingRecord, oldSlug: string): void;
}

const numberKey = (slug: string, n: string): string => `${slug} ${n.toUpperCase()}`;

export function createStore(): Store {
  const byId = new Map<string, TrackingRecord>();
  const byLegacy = new Map<string, string>();
  const byNumber = new Map<string, string>();
  const connections = new Map<string, ConnectionRecord>();
  return {
    find(id) {
      return byId.get(id) ?? byId.get(byLegacy.get(id) ?? '');
    },
    findByNumber(slug, n) {
      return byId.get(byNumber.get(numberKey(slug, n)) ?? '');
    },
    insert(rec) {
      const t: Tracking = rec.data;
      byId.set(t.id ?? '', rec);
      if (t.legacy_id) byLegacy.set(t.legacy_id, t.id ?? '');
      byNumber.set(numberKey(t.slug ?? '', t.tracking_number ?? ''), t.id ?? '');
    },
    remove(id) {
      const rec = byId.get(id);
      if (!rec) return undefined;
      byId.delete(id);
      if (rec.data.legacy_id) byLegacy.delete(rec.data.legacy_id);
      byNumber.delete(numberKey(rec.data.slug ?? '', rec.data.tracking_number ?? ''));
      return rec;
    },
    records: () => [...byId.values()],
    connections,
    clear() {
      byId.clear();
      byLegacy.clear();
      byNumber.clear();
      connections.clear();
    },
    reindex(rec, oldSlug) {
      byNumber.delete(numberKey(oldSlug, rec.data.tracking_number ?? ''));
      byNumber.set(numberKey(rec.data.slug ?? '', rec.data.tracking_number ?? ''), rec.data.id ?? '');
    },
  };
}
