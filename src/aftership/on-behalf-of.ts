/**
 * The client as one caller sees it: every call carries the caller's key (`CallOptions.client`), so the
 * rate budget takes turns between callers (rate-budget.ts). Built per request by the GraphQL context,
 * so loaders and resolvers pass nothing themselves.
 */
import type { AfterShipClient, CallOptions } from './types.js';

type Method = Exclude<keyof AfterShipClient, 'stats' | 'withScope'>;

/** Where each method takes its CallOptions (its last parameter; earlier ones may be omitted). */
const OPTIONS_AT: Record<Method, number> = {
  listTrackings: 1,
  getTracking: 2,
  getTrackingByNumber: 2,
  createTracking: 1,
  updateTracking: 2,
  deleteTracking: 1,
  retrackTracking: 1,
  markTrackingCompleted: 2,
  listCouriers: 1,
  detectCouriers: 1,
  predictEdd: 1,
  predictEddBatch: 1,
  listCourierConnections: 1,
  getCourierConnection: 1,
  createCourierConnection: 1,
  updateCourierConnection: 2,
  deleteCourierConnection: 1,
};

export function onBehalfOf(client: AfterShipClient, key: string): AfterShipClient {
  const bound = { stats: () => client.stats(), withScope: (scope) => onBehalfOf(client.withScope(scope), key) } as AfterShipClient;
  for (const method of Object.keys(OPTIONS_AT) as Method[]) {
    const at = OPTIONS_AT[method];
    const call = (client[method] as (...args: unknown[]) => Promise<unknown>).bind(client);
    (bound as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const given = args[at] as CallOptions | undefined;
      const next = [...args];
      next[at] = { ...given, client: given?.client ?? key };
      return call(...next);
    };
  }
  return bound;
}
