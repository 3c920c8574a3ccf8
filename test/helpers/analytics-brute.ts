/**
 * Delivery statistics computed the slow, obvious way, straight from the definitions in
 * src/analytics/figures.ts and without any of its helpers: what the analytics tests hold the module
 * (and the gateway's deliveryStats) to.
 */
import type { Tracking } from '../../src/aftership/wire-types.js';
import type { DeliveryStatsFilter, Dimension } from '../../src/analytics/index.js';

const DAY = 86_400_000;

export const ms = (s: string | null | undefined): number | null => {
  if (!s || !/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const withZone = s.length > 10 && !/(Z|[+-]\d\d:?\d\d)$/.test(s) ? s + 'Z' : s;
  const v = new Date(withZone).getTime();
  return Number.isNaN(v) ? null : v;
};
const day = (s: string | null | undefined): string | null => (s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null);
const dayNumber = (d: string): number => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / DAY;

function nearestRank(values: number[], p: number): number | null {
  if (!values.length) return null;
  // The smallest value v with at least p% of the values <= v.
  const candidates = [...new Set(values)].sort((a, b) => a - b);
  for (const v of candidates) if (values.filter((x) => x <= v).length * 100 >= p * values.length) return v;
  return null;
}

export function bruteFigures(ts: Tracking[]) {
  const delivered = ts.filter((t) => t.tag === 'Delivered');
  const transit = delivered.flatMap((t) => {
    const a = ms(t.shipment_pickup_date);
    const b = ms(t.shipment_delivery_date);
    return a !== null && b !== null ? [(b - a) / DAY] : [];
  });
  let onTime = 0, onTimeMeasured = 0, eddOk = 0, eddMeasured = 0;
  for (const t of delivered) {
    const d = day(t.shipment_delivery_date);
    if (!d) continue;
    const o = t.order_promised_delivery_date;
    const f = t.first_estimated_delivery;
    const promise = day(o?.promised_delivery_date) ?? day(o?.promised_delivery_date_max) ?? day(f?.datetime) ?? day(f?.datetime_max);
    if (promise) {
      onTimeMeasured++;
      if (dayNumber(d) <= dayNumber(promise)) onTime++;
    }
    const edd = day(t.aftership_estimated_delivery_date?.estimated_delivery_date);
    if (edd) {
      eddMeasured++;
      if (Math.abs(dayNumber(d) - dayNumber(edd)) <= 1) eddOk++;
    }
  }
  const exceptions: Record<string, number> = {};
  for (const t of ts) {
    const subs = new Set<string>();
    for (const c of t.checkpoints ?? []) if (c.tag === 'Exception' && c.subtag) subs.add(c.subtag);
    if (t.tag === 'Exception' && t.subtag) subs.add(t.subtag);
    for (const s of subs) exceptions[s] = (exceptions[s] ?? 0) + 1;
  }
  const byTag: Record<string, number> = {};
  for (const t of ts) if (t.tag) byTag[t.tag] = (byTag[t.tag] ?? 0) + 1;
  return {
    count: ts.length,
    delivered: delivered.length,
    byTag,
    transit: { measured: transit.length, p50: nearestRank(transit, 50), p90: nearestRank(transit, 90), max: transit.length ? Math.max(...transit) : null },
    onTime: { rate: onTimeMeasured ? onTime / onTimeMeasured : null, measured: onTimeMeasured },
    edd: { rate: eddMeasured ? eddOk / eddMeasured : null, measured: eddMeasured },
    exceptions,
    failedAttempts: ts.reduce((n, t) => n + (t.failed_delivery_attempts ?? 0), 0),
    withFailedAttempts: ts.filter((t) => (t.failed_delivery_attempts ?? 0) > 0).length,
  };
}

export function bruteGroups(ts: Tracking[], dims: Dimension[]): Map<string, Tracking[]> {
  const out = new Map<string, Tracking[]>();
  const value = (t: Tracking, d: Dimension): (string | null)[] => {
    const created = ms(t.created_at);
    switch (d) {
      case 'COURIER': return [t.slug || null];
      case 'ORIGIN_COUNTRY': return [t.origin_country_region || null];
      case 'DESTINATION_COUNTRY': return [t.destination_country_region || t.courier_destination_country_region || null];
      case 'TAG': return [t.tag || null];
      case 'SHIPMENT_TAG': return t.shipment_tags?.length ? [...new Set(t.shipment_tags)] : [null];
      case 'DAY': return [created === null ? null : new Date(created).toISOString().slice(0, 10)];
      case 'WEEK': {
        if (created === null) return [null];
        const dt = new Date(created);
        const back = (dt.getUTCDay() + 6) % 7; // days since Monday
        return [new Date(Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth(), dt.getUTCDate() - back)).toISOString().slice(0, 10)];
      }
    }
  };
  for (const t of ts) {
    let keys: (string | null)[][] = [[]];
    for (const d of dims) keys = keys.flatMap((k) => value(t, d).map((v) => [...k, v]));
    for (const k of keys) {
      const text = JSON.stringify(k);
      out.set(text, [...(out.get(text) ?? []), t]);
    }
  }
  return out;
}

export function bruteFilter(f: DeliveryStatsFilter | undefined): (t: Tracking) => boolean {
  if (!f) return () => true;
  const within = (v: number | null, r?: { from?: number | null; to?: number | null } | null) => !r || (v !== null && (r.from == null || v >= r.from) && (r.to == null || v < r.to));
  return (t) =>
    (!f.slugs?.length || f.slugs.includes(t.slug ?? '')) &&
    (!f.originCountryRegions?.length || f.originCountryRegions.includes(t.origin_country_region ?? '')) &&
    (!f.destinationCountryRegions?.length || f.destinationCountryRegions.includes(t.destination_country_region || t.courier_destination_country_region || '')) &&
    (!f.tags?.length || f.tags.includes(t.tag as never)) &&
    (!f.shipmentTags?.length || (t.shipment_tags ?? []).some((s) => f.shipmentTags!.includes(s))) &&
    (!f.shipmentDirection || (t.shipment_direction === 'return' ? 'return' : 'forward') === f.shipmentDirection) &&
    within(ms(t.created_at), f.createdAt) &&
    within(ms(t.shipment_pickup_date), f.shippedAt) &&
    within(ms(t.shipment_delivery_date), f.deliveredAt);
}

