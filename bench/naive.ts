/**
 * The baseline the gateway is measured against: the GraphQL wrapper most people write first.
 * One resolver per field, each calling AfterShip's REST API itself: no DataLoader, no cache, no
 * merging of tracking-number lookups, no predict-batch. Fields that are already in the parent's
 * REST payload (checkpoints, estimates, tag...) cost nothing; every field backed by another
 * resource (a tracking's `courier`, a lookup, a prediction) is one REST call per occurrence.
 * This is the kind-hearted baseline: a wrapper that re-fetched the tracking per field would call more.
 *
 * The schema is a subset of the gateway's with the same field names, so the bench sends the very
 * same operation text to both.
 */
import { execute, parse, type ExecutionResult } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { API_PATH_PREFIX, type Checkpoint, type Courier, type EddResponse, type Tracking, type TrackingList } from '../src/aftership/wire-types.js';

const typeDefs = /* GraphQL */ `
  type Query {
    tracking(id: ID!): Tracking
    trackingByNumber(trackingNumber: String!, slug: String): Tracking
    trackings(first: Int): TrackingConnection!
    predictEstimatedDeliveries(inputs: [EstimatedDeliveryPredictionInput!]!): [EstimatedDeliveryPrediction!]!
  }
  type TrackingConnection { edges: [TrackingEdge!]! }
  type TrackingEdge { node: Tracking! }
  type Tracking {
    aftershipId: String!
    trackingNumber: String!
    slug: String
    tag: String
    subtag: String
    courier: Courier
    checkpoints: [Checkpoint!]!
    latestCheckpoint: Checkpoint
    latestEstimatedDelivery: EstimatedDelivery
  }
  type Checkpoint { message: String tag: String subtag: String checkpointTime: String city: String countryRegion: String }
  type EstimatedDelivery { datetime: String datetimeMin: String datetimeMax: String }
  type Courier { slug: String! name: String! }
  input AddressInput { countryRegion: String! state: String postalCode: String city: String }
  input EstimatedDeliveryPredictionInput { slug: String! originAddress: AddressInput! destinationAddress: AddressInput! pickupTime: String }
  type EstimatedDeliveryPrediction {
    slug: String!
    courier: Courier
    estimatedDelivery: EstimatedDelivery
  }
`;

interface AddressInput {
  countryRegion: string;
  state?: string | null;
  postalCode?: string | null;
  city?: string | null;
}

interface EddInput {
  slug: string;
  originAddress: AddressInput;
  destinationAddress: AddressInput;
  pickupTime?: string | null;
}

export interface NaiveOptions {
  /** The AfterShip (sandbox) root, e.g. http://127.0.0.1:5555 */
  baseUrl: string;
  apiKey: string;
}

export interface NaiveExecutor {
  execute(query: string, variables?: Record<string, unknown>): Promise<ExecutionResult>;
  /** REST calls made so far (the sandbox's own log is what the bench reports). */
  calls(): number;
}

class RestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function createNaiveExecutor(options: NaiveOptions): NaiveExecutor {
  let calls = 0;
  const rest = async <T>(method: 'GET' | 'POST', path: string, query?: Record<string, string>, body?: unknown): Promise<T> => {
    calls++;
    const qs = query ? `?${new URLSearchParams(query).toString()}` : '';
    const res = await fetch(`${options.baseUrl}${API_PATH_PREFIX}${path}${qs}`, {
      method,
      headers: { 'as-api-key': options.apiKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const envelope = (await res.json()) as { meta?: { message?: string }; data: T };
    if (!res.ok) throw new RestError(res.status, `AfterShip ${method} ${path}: ${res.status} ${envelope.meta?.message ?? ''}`);
    return envelope.data;
  };
  const courierBySlug = async (slug: string | null | undefined): Promise<Courier | null> => {
    if (!slug) return null;
    const list = await rest<{ couriers: Courier[] }>('GET', '/couriers', { slug });
    return list.couriers.find((c) => c.slug === slug) ?? null;
  };
  const address = (a: AddressInput) => ({ country_region: a.countryRegion, state: a.state ?? undefined, postal_code: a.postalCode ?? undefined, city: a.city ?? undefined });

  const schema = createSchema({
    typeDefs,
    resolvers: {
      Query: {
        tracking: async (_: unknown, args: { id: string }) => {
          try {
            return await rest<Tracking>('GET', `/trackings/${encodeURIComponent(args.id)}`);
          } catch (e) {
            if (e instanceof RestError && e.status === 404) return null;
            throw e;
          }
        },
        trackingByNumber: async (_: unknown, args: { trackingNumber: string; slug?: string | null }) => {
          const list = await rest<TrackingList>('GET', '/trackings', { tracking_numbers: args.trackingNumber, ...(args.slug ? { slug: args.slug } : {}) });
          return list.trackings.find((t) => t.tracking_number === args.trackingNumber && (!args.slug || t.slug === args.slug)) ?? null;
        },
        trackings: async (_: unknown, args: { first?: number | null }) => {
          const list = await rest<TrackingList>('GET', '/trackings', { limit: String(args.first ?? 50) });
          return { edges: list.trackings.map((node) => ({ node })) };
        },
        predictEstimatedDeliveries: (_: unknown, args: { inputs: EddInput[] }) =>
          Promise.all(
            args.inputs.map((i) =>
              rest<EddResponse>('POST', '/estimated-delivery-date/predict', undefined, {
                slug: i.slug,
                origin_address: address(i.originAddress),
                destination_address: address(i.destinationAddress),
                pickup_time: i.pickupTime ?? undefined,
              }),
            ),
          ),
      },
      Tracking: {
        aftershipId: (t: Tracking) => t.id,
        trackingNumber: (t: Tracking) => t.tracking_number,
        courier: (t: Tracking) => courierBySlug(t.slug),
        checkpoints: (t: Tracking) => t.checkpoints ?? [],
        latestCheckpoint: (t: Tracking) => t.checkpoints?.at(-1) ?? null,
        latestEstimatedDelivery: (t: Tracking) => {
          const e = t.latest_estimated_delivery;
          return e ? { datetime: e.datetime ?? null, datetimeMin: e.datetime_min ?? null, datetimeMax: e.datetime_max ?? null } : null;
        },
      },
      Checkpoint: {
        checkpointTime: (c: Checkpoint) => c.checkpoint_time ?? null,
        countryRegion: (c: Checkpoint) => c.country_region ?? null,
      },
      EstimatedDeliveryPrediction: {
        courier: (p: EddResponse) => courierBySlug(p.slug),
        estimatedDelivery: (p: EddResponse) =>
          p.estimated_delivery_date || p.estimated_delivery_date_min || p.estimated_delivery_date_max
            ? { datetime: p.estimated_delivery_date ?? null, datetimeMin: p.estimated_delivery_date_min ?? null, datetimeMax: p.estimated_delivery_date_max ?? null }
            : null,
      },
    },
  });

  return {
    async execute(query, variables) {
      return (await execute({ schema, document: parse(query), variableValues: variables })) as ExecutionResult;
    },
    calls: () => calls,
  };
}
