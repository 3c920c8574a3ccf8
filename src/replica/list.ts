/**
 * `GET /trackings` pages answered from the replica, when that answer is exactly AfterShip's:
 *
 * - the replica's coverage is complete (a full pass finished, nothing evicted since) and current
 *   (webhooks flowing: `coverage().to` is now);
 * - every parameter of the query is one the replica can evaluate as AfterShip does: `tag`, `slug`,
 *   `tracking_numbers` (case-insensitive), `order_id`, `shipment_tags` (any of), `origin`,
 *   `destination`, `courier_destination_country_region`, `return_to_sender`, `transit_time` and the
 *   four date bounds (whole seconds, inclusive). `keyword` (AfterShip's free-text search, whose
 *   matching is not documented) is not: such a page is always asked of AfterShip;
 * - the query's date window lies inside the replica's: every tracking it can match was updated at
 *   or after max(`updated_at_min`, `created_at_min`, default 120 days ago), which must not be before
 *   the replica's window start (`REPLICA_WINDOW_DAYS`; with 120, an unbounded list qualifies).
 *
 * Order is AfterShip's: newest `created_at` first, then id descending (AfterShip documents no order;
 * its cursor example is the keyset `[created_at ms, id]`, and its lists read newest first). Pages
 * resume after a keyset (`ListKey`), so a page from here and one from AfterShip continue each other.
 *
 * The sorted index (created_at, id) is built on first use and kept by the replica's change events
 * (a tracking's created_at never changes: only additions and removals move it).
 */
import { MAX_TRACKING_NUMBERS_PER_LIST } from '../aftership/endpoints.js';
import type { GetTrackingsQuery, Tracking } from '../aftership/wire-types.js';
import type { TrackingReplica } from './types.js';

/** A position in AfterShip's list order: the tracking's created_at (ms) and id. */
export interface ListKey {
  createdMs: number;
  id: string;
}

export interface ReplicaListPage {
  items: Tracking[];
  /** Position of items[0] among all matches (0 = the first of the list). */
  index: number;
  /** Matches in all pages. */
  total: number;
  hasNextPage: boolean;
}

export interface ReplicaLists {
  /**
   * Up to `limit` matches after `from` (a keyset, or `skip` matches from the start), or undefined
   * when the replica cannot answer this query exactly now (the caller asks AfterShip).
   */
  page(query: GetTrackingsQuery, from: { after?: ListKey; skip?: number }, limit: number): Promise<ReplicaListPage | undefined>;
}

const DAY_MS = 86_400_000;
/** AfterShip lists trackings created in the last 120 days by default. */
const DEFAULT_CREATED_MIN_MS = 120 * DAY_MS;
/** Parameters that select no trackings (paging and projection). */
const PAGING = new Set(['limit', 'cursor']);

/** AfterShip's order, ascending: walk backwards for newest first. */
export function compareKeys(a: ListKey, b: ListKey): number {
  return a.createdMs - b.createdMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function keyOf(t: Pick<Tracking, 'created_at' | 'id'>): ListKey | undefined {
  const createdMs = t.created_at ? Date.parse(t.created_at) : NaN;
  return t.id && Number.isFinite(createdMs) ? { createdMs, id: t.id } : undefined;
}

const csv = (v: unknown): string[] | undefined =>
  v === undefined || v === null || v === '' ? undefined : String(v).split(',').map((s) => s.trim()).filter(Boolean);

interface Compiled {
  match(t: Tracking): boolean;
  createdMin: number;
  createdMax: number;
  /** Lowest updated_at a match can have. */
  updatedFloor: number;
  /** The query's selecting parameters as text: the key of a memoised total. */
  signature: string;
}

/** The query as a predicate, or undefined when a parameter is one the replica cannot evaluate exactly. */
function compile(query: GetTrackingsQuery, now: number): Compiled | undefined {
  const q = query as Record<string, unknown>;
  const tests: ((t: Tracking) => boolean)[] = [];
  let createdMin = now - DEFAULT_CREATED_MIN_MS;
  let createdMax = now;
  let updatedFloor = -Infinity;
  const signature: string[] = [];
  for (const [name, raw] of Object.entries(q)) {
    if (raw === undefined || raw === null || PAGING.has(name)) continue;
    signature.push(`${name}=${String(raw)}`);
    const values = csv(raw);
    const date = (): number | undefined => {
      const ms = Date.parse(String(raw));
      return Number.isFinite(ms) ? ms : undefined;
    };
    switch (name) {
      case 'tag':
        if (values) tests.push((t) => values.includes(t.tag ?? 'Pending'));
        break;
      case 'slug':
        if (values) tests.push((t) => values.includes(t.slug ?? ''));
        break;
      case 'tracking_numbers': {
        if (!values || values.length > MAX_TRACKING_NUMBERS_PER_LIST) return undefined;
        const set = new Set(values.map((v) => v.toUpperCase()));
        tests.push((t) => set.has((t.tracking_number ?? '').toUpperCase()));
        break;
      }
      case 'order_id':
        if (values) tests.push((t) => values.includes(t.order_id ?? ''));
        break;
      case 'shipment_tags':
        if (values) tests.push((t) => (t.shipment_tags ?? []).some((s) => values.includes(s)));
        break;
      case 'origin':
        if (values) tests.push((t) => values.includes(t.origin_country_region ?? ''));
        break;
      case 'destination':
        if (values) tests.push((t) => values.includes(t.destination_country_region ?? ''));
        break;
      case 'courier_destination_country_region':
        if (values) tests.push((t) => values.includes(t.courier_destination_country_region ?? ''));
        break;
      case 'return_to_sender':
        if (values) tests.push((t) => values.includes(String(t.return_to_sender === true)));
        break;
      case 'transit_time': {
        const n = Number(raw);
        if (!Number.isInteger(n)) return undefined;
        tests.push((t) => t.transit_time === n);
        break;
      }
      case 'created_at_min':
      case 'created_at_max':
      case 'updated_at_min':
      case 'updated_at_max': {
        const ms = date();
        if (ms === undefined) return undefined;
        if (name === 'created_at_min') createdMin = ms;
        else if (name === 'created_at_max') createdMax = ms;
        else if (name === 'updated_at_min') {
          updatedFloor = ms;
          tests.push((t) => Date.parse(t.updated_at ?? '') >= ms);
        } else tests.push((t) => Date.parse(t.updated_at ?? '') <= ms);
        break;
      }
      default:
        // keyword, fields, anything new: AfterShip's answer is the only exact one.
        return undefined;
    }
  }
  // AfterShip's bounds are whole seconds: created_at_max covers its whole second.
  createdMax = Math.floor(createdMax / 1000) * 1000 + 999;
  return {
    match: (t) => tests.every((test) => test(t)),
    createdMin,
    createdMax,
    updatedFloor: Math.max(updatedFloor, createdMin),
    signature: signature.sort().join('&'),
  };
}

export function createReplicaLists(replica: TrackingReplica, now: () => number = Date.now): ReplicaLists {
  /** Ascending by (created_at, id); built on first use. */
  let order: ListKey[] | undefined;
  let building: Promise<ListKey[] | undefined> | undefined;
  /** Any change (a memoised total is stale); `moves`: additions, removals and resets (the order is). */
  let version = 0;
  let moves = 0;
  let total: { key: string; value: number } | undefined;

  /** Index of the first key not before `k`. */
  const lowerBound = (k: ListKey): number => {
    const list = order!;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(list[mid], k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  replica.onChange((change) => {
    version++;
    if (change.kind !== 'put' || !change.previous) moves++;
    if (!order) return;
    if (change.kind === 'reset') {
      order = undefined;
      return;
    }
    // An update keeps its place (created_at never changes); additions and removals move the index.
    if (change.kind === 'put' && change.previous) return;
    const k = keyOf(change.kind === 'put' ? change.tracking : change.previous);
    if (!k) {
      // Held without a created_at (never from AfterShip): it has no place in the order; build() says so.
      if (change.kind === 'put') order = undefined;
      return;
    }
    const at = lowerBound(k);
    const here = order[at] !== undefined && compareKeys(order[at], k) === 0;
    if (change.kind === 'put' && !here) order.splice(at, 0, k);
    else if (change.kind === 'delete' && here) order.splice(at, 1);
  });

  /**
   * The held trackings in list order, from a scan (which yields to the event loop); undefined when
   * trackings were added or removed meanwhile (the scan may have missed them: the caller asks
   * AfterShip this time, the next page builds again).
   */
  function build(): Promise<ListKey[] | undefined> {
    building ??= (async () => {
      const at = moves;
      const keys: ListKey[] = [];
      let placeless = false;
      for await (const t of replica.scan()) {
        const k = keyOf(t);
        if (k) keys.push(k);
        else placeless = true;
      }
      // A tracking with no place in the order would be missing from every page: not exact.
      if (moves !== at || placeless) return undefined;
      order = keys.sort(compareKeys);
      return order;
    })().finally(() => (building = undefined));
    return building;
  }

  return {
    async page(query, from, limit) {
      const exact = (): Compiled | undefined => {
        const coverage = replica.coverage();
        // Complete, and current: changes are known up to now only while webhooks flow.
        if (!coverage.complete || coverage.to !== coverage.asOf) return undefined;
        const compiled = compile(query, now());
        return compiled && compiled.updatedFloor >= Date.parse(coverage.from) ? compiled : undefined;
      };
      if (!exact()) return undefined;
      const list = order ?? (await build());
      // Checked again after the build's awaits: nothing below awaits.
      const compiled = exact();
      if (!list || !compiled || list !== order) return undefined;
      const lo = lowerBound({ createdMs: compiled.createdMin, id: '' });
      const hi = lowerBound({ createdMs: compiled.createdMax + 1, id: '' });
      const matches = (i: number): Tracking | undefined => {
        const t = replica.get(list[i].id);
        return t && compiled.match(t) ? t : undefined;
      };
      const totalKey = `${version}|${lo}|${hi}|${compiled.signature}`;
      if (total?.key !== totalKey) {
        let n = 0;
        for (let i = lo; i < hi; i++) if (matches(i)) n++;
        total = { key: totalKey, value: n };
      }
      // Newest first: walk down from the start point; one match past the page tells whether there is a next one.
      let end = hi;
      let index = 0;
      if (from.after) {
        end = Math.min(hi, lowerBound(from.after));
        // Its index: the matches above it (the page's first item comes after them).
        for (let i = end; i < hi; i++) if (matches(i)) index++;
      }
      let skip = from.after ? 0 : (from.skip ?? 0);
      index += skip;
      const items: Tracking[] = [];
      let hasNextPage = false;
      for (let i = end - 1; i >= lo; i--) {
        const t = matches(i);
        if (!t) continue;
        if (skip > 0) {
          skip--;
          continue;
        }
        if (items.length === limit) {
          hasNextPage = true;
          break;
        }
        items.push(t);
      }
      return { items, index, total: total.value, hasNextPage };
    },
  };
}
