/**
 * Per-request DataLoaders on top of the shared cache and the AfterShip client.
 *
 * Contract of every loader: keys in, values (or Errors) out in key order; "does not exist"
 * is `null`, never an Error. Each load first asks the shared cache: a fresh hit costs nothing,
 * a stale hit is served at once and refreshed in the background (priority 'background'),
 * a miss goes to the client (whose own batcher merges lookups across requests).
 */
import DataLoader from 'dataloader';
import type { AfterShipClient } from '../aftership/types.js';
import type { Courier, CourierConnection, EddRequest, EddResponse, Tracking } from '../aftership/wire-types.js';
import { AfterShipError, ErrorCode, isAfterShipError } from '../aftership/errors.js';
import type { CacheEntryFacts, CacheKind, GatewayCache } from '../cache/index.js';
import { canonicalJson } from '../cache/canonical-json.js';
import type { Logger } from '../lib/logger.js';

export interface TrackingNumberKey {
  trackingNumber: string;
  slug?: string | null;
}

export interface Loaders {
  /** By AfterShip id or legacy id; null when AfterShip has no such tracking. */
  trackingById: DataLoader<string, Tracking | null>;
  /** By number (and slug); null when AfterShip has no such tracking. */
  trackingByNumber: DataLoader<TrackingNumberKey, Tracking | null, string>;
  /** From the (cached) list of every courier; null for an unknown slug. */
  courierBySlug: DataLoader<string, Courier | null>;
  /** A courier list, read once per request: all couriers, or only the account's active ones. */
  couriers(active?: boolean | null): Promise<Courier[]>;
  /** AI EDD predictions; a request's inputs are sent together through predict-batch. */
  eddPrediction: DataLoader<EddRequest, EddResponse, string>;
  /** Carrier (courier) connection by id; null when it does not exist. */
  carrierConnectionById: DataLoader<string, CourierConnection | null>;
  /**
   * Puts a tracking AfterShip just returned into the shared cache and this request's loaders;
   * returns the newest version known (the cache may already hold a newer one from a webhook).
   */
  primeTracking(tracking: Tracking): Tracking;
  /**
   * Forgets a tracking in the cache and this request's loaders: `deleted` leaves a tombstone so
   * late copies cannot resurrect it; otherwise the next read simply fetches it again.
   */
  forgetTracking(tracking: Pick<Tracking, 'id' | 'legacy_id' | 'tracking_number' | 'slug'>, deleted: boolean): void;
  primeCarrierConnection(connection: CourierConnection): void;
  forgetCarrierConnection(id: string): void;
}

/** How a loader's lookup was answered: from the shared cache (fresh or stale), or not. */
export type CacheLookupResult = 'hit' | 'stale' | 'miss';

/** Told of every lookup a loader answers from the shared cache or not (metrics, cost report, response cache). */
export interface CacheLookupRecorder {
  /** `entry`: on a hit, which entries answered and how long they stay fresh. */
  cacheLookup(kind: CacheKind, result: CacheLookupResult, entry?: CacheEntryFacts): void;
}

export interface LoaderDeps {
  client: AfterShipClient;
  cache: GatewayCache;
  /** The AfterShip account (organisation) this request acts for; cache entries are keyed by it. */
  accountId: string;
  logger: Logger;
  /** @default records nothing */
  lookups?: CacheLookupRecorder;
  /**
   * While the account's replica warms up (src/replica/sync.ts): how a lookup of an id never seen
   * is asked for (`unseen`), and the wait for the warm-up to list it; absent: the id is fetched at once.
   */
  warmup?: {
    unseen(id: string): 'fetch' | 'wait' | undefined;
    awaitListed(id: string): Promise<Tracking | undefined>;
  };
}

const numberKey = (key: TrackingNumberKey): string => `${key.slug ?? '*'}\u0000${key.trackingNumber}`;

/** The number lookups a tracking answers: by its number alone, and by number and slug. */
function numberKeysOf(tracking: Pick<Tracking, 'tracking_number' | 'slug'>): TrackingNumberKey[] {
  const trackingNumber = tracking.tracking_number;
  if (!trackingNumber) return [];
  return tracking.slug ? [{ trackingNumber }, { trackingNumber, slug: tracking.slug }] : [{ trackingNumber }];
}

/** null for "does not exist"; any other failure is rethrown. */
async function orNullWhenMissing<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (e) {
    if (isAfterShipError(e) && e.code === ErrorCode.NotFound) return null;
    throw e;
  }
}

/** Runs one lookup per key concurrently, keeping failures per key (DataLoader's contract). */
function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<(V | Error)[]> {
  return Promise.all(
    keys.map((key) => load(key).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))),
  );
}

export function createLoaders(deps: LoaderDeps): Loaders {
  const { client, cache, accountId, logger } = deps;
  const lookup = (kind: CacheKind, hit: { stale: boolean; entry: CacheEntryFacts } | undefined): void =>
    deps.lookups?.cacheLookup(kind, hit ? (hit.stale ? 'stale' : 'hit') : 'miss', hit?.entry);

  /** Runs `work` once per entry per process at a time, without blocking the request. */
  function refreshInBackground(kind: Parameters<GatewayCache['claimRefresh']>[0], key: string, work: () => Promise<void>): void {
    const release = cache.claimRefresh(kind, accountId, key);
    if (!release) return;
    work()
      .catch((e: unknown) => logger.warn({ kind, key, error: String(e) }, 'background refresh failed'))
      .finally(release);
  }

  /**
   * By id, through the 50-per-call number batch when the gateway knows the id's number (replicated
   * or seen before): GET /trackings/:id allows 5 calls a second. The per-id endpoint only when the
   * number is unknown or the batch did not find it (its list covers the last 120 days).
   */
  async function fetchById(id: string, priority: 'interactive' | 'background', signal?: AbortSignal): Promise<Tracking | null> {
    const known = cache.trackingNumberOf(accountId, id);
    if (known) {
      const viaNumber = await client.getTrackingByNumber(known.trackingNumber, known.slug, { priority, signal });
      if (viaNumber && (viaNumber.id === id || viaNumber.legacy_id === id)) return viaNumber;
    }
    return orNullWhenMissing(client.getTracking(id, undefined, { priority, signal }));
  }

  /**
   * A lookup the cache cannot answer. While the replica warms up, an id never seen goes to
   * GET /trackings/:id (its 5/s are not the list's 6/s: granted at once while it has room, queued
   * in the interactive lane otherwise) and waits for the warm-up's listing at the same time; the first
   * answer wins, and the call is dropped (even from the budget's queue) when the listing comes first.
   * A call the budget refuses (its wait would pass the queue timeout) leaves the listing to answer.
   * While the shared copy (Redis) loads, the lookup only waits for it (`wait`), then takes the normal path.
   * Either way the replica and its id → number index learn the tracking (the listing stores it; a
   * fetched one is stored by the caller).
   */
  async function lookUpMissing(id: string): Promise<Tracking | null> {
    const route = deps.warmup?.unseen(id);
    if (!route) return fetchById(id, 'interactive');
    const listed = deps.warmup!.awaitListed(id);
    if (route === 'wait') return (await listed) ?? fetchById(id, 'interactive');
    const drop = new AbortController();
    const fetching = fetchById(id, 'interactive', drop.signal);
    const fromList = listed.then((t) => {
      if (!t) return fetching;
      drop.abort(new Error('listed by the warm-up first'));
      return t;
    });
    // A failed call (refused by the budget, say) still gets the listing's answer if one comes; when the
    // warm-up ended without listing it, the normal path (queued in the budget) is tried once more.
    const fromCall = fetching.catch((e: unknown) =>
      listed.then((t) => t ?? (deps.warmup!.unseen(id) || drop.signal.aborted ? Promise.reject(e) : fetchById(id, 'interactive'))),
    );
    return Promise.race([fromCall, fromList]);
  }

  function refreshTracking(id: string): void {
    refreshInBackground('tracking', id, async () => {
      const fresh = await fetchById(id, 'background');
      if (fresh) cache.putTracking(accountId, fresh);
      else cache.deleteTracking(accountId, id);
    });
  }

  /** Stores what AfterShip returned; answers with the newest version the cache knows. */
  function store(tracking: Tracking): Tracking {
    if (cache.putTracking(accountId, tracking) || !tracking.id) return tracking;
    return cache.getTracking(accountId, tracking.id) ?? tracking;
  }

  const trackingById = new DataLoader<string, Tracking | null>((ids) =>
    settleEach(ids, async (id) => {
      const hit = cache.peekTracking(accountId, id);
      lookup('tracking', hit);
      if (hit) {
        if (hit.stale) refreshTracking(hit.value.id ?? id);
        return hit.value;
      }
      const fetched = await lookUpMissing(id);
      if (!fetched) return null;
      const stored = store(fetched);
      primeNumber(stored);
      return stored;
    }),
  );

  const trackingByNumber = new DataLoader<TrackingNumberKey, Tracking | null, string>(
    (keys) =>
      settleEach(keys, async (key) => {
        const slug = key.slug ?? undefined;
        const hit = cache.peekTrackingByNumber(accountId, key.trackingNumber, slug);
        lookup('tracking', hit);
        if (hit) {
          if (hit.stale && hit.value.id) refreshTracking(hit.value.id);
          return hit.value;
        }
        // Concurrent calls here are merged by the client into GET /trackings?tracking_numbers=...
        const fetched = await client.getTrackingByNumber(key.trackingNumber, slug);
        if (!fetched) return null;
        const stored = store(fetched);
        if (stored.id) trackingById.prime(stored.id, stored);
        return stored;
      }),
    { cacheKeyFn: numberKey },
  );

  function primeNumber(tracking: Tracking): void {
    for (const key of numberKeysOf(tracking)) trackingByNumber.prime(key, tracking);
  }

  const courierLists = new Map<string, Promise<Courier[]>>();
  function couriers(active?: boolean | null): Promise<Courier[]> {
    const scope = active ? 'active' : 'all';
    let list = courierLists.get(scope);
    if (!list) {
      list = (async () => {
        const hit = cache.peekCouriers(accountId, scope);
        lookup('couriers', hit);
        const query = active ? { active: true } : undefined;
        if (hit) {
          if (hit.stale) {
            refreshInBackground('couriers', scope, async () => {
              cache.putCouriers(accountId, scope, await client.listCouriers(query, { priority: 'background' }));
            });
          }
          return hit.value;
        }
        const fetched = await client.listCouriers(query);
        cache.putCouriers(accountId, scope, fetched);
        return fetched;
      })();
      // A failed list must not poison the rest of the request's retries of it.
      list.catch(() => courierLists.delete(scope));
      courierLists.set(scope, list);
    }
    return list;
  }

  const courierBySlug = new DataLoader<string, Courier | null>(async (slugs) => {
    const all = await couriers();
    const bySlug = new Map(all.map((c) => [c.slug, c]));
    return slugs.map((slug) => bySlug.get(slug) ?? null);
  });

  const eddPrediction = new DataLoader<EddRequest, EddResponse, string>(
    async (requests) => {
      // A prediction is a pure function of its input, so a stale one is served without refresh.
      const results: (EddResponse | Error | undefined)[] = requests.map((req) => {
        const hit = cache.peekEddPrediction(accountId, req);
        lookup('eddPrediction', hit);
        return hit?.value;
      });
      const missing = requests.map((req, i) => ({ req, i })).filter(({ i }) => results[i] === undefined);
      if (missing.length > 0) {
        let answers: EddResponse[];
        try {
          answers = await client.predictEddBatch(missing.map((m) => m.req));
        } catch (e) {
          // A batch fails as a whole when one item is refused: that item gets the refusal, the
          // others say why they have no answer, so the caller can name the input at fault.
          const at = e instanceof AfterShipError ? e.refusedItem : null;
          if (!(e instanceof AfterShipError) || at === null || !missing[at]) throw e;
          missing.forEach(({ i }, n) => {
            results[i] = n === at ? e : new AfterShipError({ code: ErrorCode.BadUserInput, message: 'Not predicted: another input of the same batch was refused.', cause: e });
          });
          return results as (EddResponse | Error)[];
        }
        missing.forEach(({ req, i }, n) => {
          const answer = answers[n];
          if (answer) {
            cache.putEddPrediction(accountId, req, answer);
            results[i] = answer;
          } else {
            results[i] = new Error(`AfterShip returned ${answers.length} predictions for ${missing.length} inputs`);
          }
        });
      }
      return results as (EddResponse | Error)[];
    },
    { cacheKeyFn: canonicalJson },
  );

  const carrierConnectionById = new DataLoader<string, CourierConnection | null>((ids) =>
    settleEach(ids, async (id) => {
      const hit = cache.peekCourierConnection(accountId, id);
      lookup('courierConnection', hit);
      if (hit) {
        if (hit.stale) {
          refreshInBackground('courierConnection', id, async () => {
            const fresh = await orNullWhenMissing(client.getCourierConnection(id, { priority: 'background' }));
            if (fresh) cache.putCourierConnection(accountId, fresh);
            else cache.deleteCourierConnection(accountId, id);
          });
        }
        return hit.value;
      }
      const fetched = await orNullWhenMissing(client.getCourierConnection(id));
      if (fetched) cache.putCourierConnection(accountId, fetched);
      return fetched;
    }),
  );

  return {
    trackingById,
    trackingByNumber,
    courierBySlug,
    couriers,
    eddPrediction,
    carrierConnectionById,
    primeTracking(tracking) {
      const stored = store(tracking);
      if (stored.id) trackingById.clear(stored.id).prime(stored.id, stored);
      for (const key of numberKeysOf(stored)) trackingByNumber.clear(key).prime(key, stored);
      return stored;
    },
    forgetTracking(tracking, deleted) {
      if (tracking.id) {
        if (deleted) cache.deleteTracking(accountId, tracking.id);
        else cache.evictTracking(accountId, tracking.id);
        trackingById.clear(tracking.id);
      }
      if (tracking.legacy_id) trackingById.clear(tracking.legacy_id);
      for (const key of numberKeysOf(tracking)) trackingByNumber.clear(key);
    },
    primeCarrierConnection(connection) {
      cache.putCourierConnection(accountId, connection);
      if (connection.id) carrierConnectionById.clear(connection.id).prime(connection.id, connection);
    },
    forgetCarrierConnection(id) {
      cache.deleteCourierConnection(accountId, id);
      carrierConnectionById.clear(id);
    },
  };
}
