/**
 * The per-request GraphQL context: process-wide dependencies plus this request's DataLoaders.
 */
import type { AfterShipClient } from './aftership/types.js';
import type { Tracking } from './aftership/wire-types.js';
import { guardClient } from './auth/scope-guard.js';
import { AuthError, clientKeyOf, type Viewer } from './auth/viewer.js';
import { onBehalfOf } from './aftership/on-behalf-of.js';
import type { GatewayCache } from './cache/index.js';
import type { Logger } from './lib/logger.js';
import { createLoaders, type LoaderDeps, type Loaders } from './loaders/index.js';
import type { RealtimePubSub } from './realtime/pubsub.js';
import type { EventLog } from './realtime/event-log.js';
import type { OperationScope } from './observability/operation.js';
import type { TrackingReplica } from './replica/types.js';
import type { ReplicaLists } from './replica/list.js';

/** What a request's context is made from: what its loaders need, and the rest of the request's world. */
export interface ContextDeps extends LoaderDeps {
  /** Live tracking changes for subscriptions (absent: subscriptions disabled). */
  pubsub?: RealtimePubSub;
  /** The account's retained events, for `trackingEvents(after:)` (absent: no resuming). */
  eventLog?: EventLog;
  /** An SSE reconnect's `Last-Event-ID` header: the cursor of the last event the client received. */
  lastEventId?: string;
  /** Who is asking (absent when the gateway runs without access control). */
  viewer?: Viewer;
  /** The account's warm replica (src/replica/types.ts): what analytics and exports read. */
  replica?: TrackingReplica;
  /** `trackings` pages the replica answers exactly (src/replica/list.ts); absent when the replica is off. */
  replicaLists?: ReplicaLists;
}

export interface GraphQLContext extends ContextDeps {
  loaders: Loaders;
  /** The operation's request id, trace and cost report (absent in contexts built without one). */
  operation?: OperationScope;
  /** The cursor of the event a subscription is delivering now: SSE sends it as the event's `id:`. */
  eventCursor: { current?: string };
}

/** Call once per request: every request gets fresh DataLoaders. */
export function createContext(deps: ContextDeps & { operation?: OperationScope }): GraphQLContext {
  return { ...deps, loaders: createLoaders(deps), eventCursor: {} };
}

/** A client built by `build` when one of its members is first read. */
function lazyClient(build: () => AfterShipClient): AfterShipClient {
  let built: AfterShipClient | undefined;
  return new Proxy({} as AfterShipClient, { get: (_target, member) => Reflect.get((built ??= build()), member) });
}

export interface ContextFactoryDeps {
  /** The account's client and pubsub; throws for an account the gateway does not serve. */
  account(accountId: string): {
    client: AfterShipClient;
    realtime: { pubsub: RealtimePubSub; eventLog?: EventLog };
    replica?: TrackingReplica;
    replicaSync?: NonNullable<LoaderDeps['warmup']>;
    replicaLists?: ReplicaLists;
  };
  cache: GatewayCache;
  logger: Logger;
  /** The scope of one operation (request id, trace, cost report); absent: none. */
  operation?(facts: { requestId?: string; request?: Request; logger: Logger }): OperationScope;
}

/** What the factory reads from yoga's server context (set by the HTTP plugins or the WebSocket binding). */
export interface RequestFacts {
  viewer?: Viewer;
  requestId?: string;
  /** Who is asking (src/http/use-client-limits.ts); over WebSocket, derived from the viewer. */
  clientKey?: string;
  /** The HTTP request (absent over WebSocket): its trace context and `x-cost-report`. */
  request?: Request;
}

/**
 * yoga's `context` option: the viewer (authenticated before GraphQL runs) picks the account and its
 * scopes; the request id goes on the logger, so every line logged for the request carries it.
 */
export function createContextFactory(deps: ContextFactoryDeps): (facts: RequestFacts) => GraphQLContext {
  return ({ viewer, requestId, request, clientKey }) => {
    // Without a viewer nothing runs (access control did not pass this request).
    if (!viewer) throw new AuthError('UNAUTHENTICATED', 'Authentication required');
    const runtime = deps.account(viewer.accountId);
    // Operations over WebSocket have no HTTP request id: the scope makes one.
    const operation = deps.operation?.({ requestId, request, logger: deps.logger });
    const logger = operation?.logger ?? (requestId ? deps.logger.child({ requestId }) : deps.logger);
    logger.debug({ account: viewer.accountId, viewer: viewer.name }, 'GraphQL request');
    return createContext({
      // Out-of-scope calls are refused here too, before any HTTP call, whatever the resolver does.
      // Every call carries who asked: the rate budget takes turns between clients. Built on first use:
      // an operation answered from the cache never calls AfterShip, and the chain of wrappers is
      // about fifty closures (the profile of a cached query showed it).
      client: lazyClient(() => onBehalfOf(guardClient(operation ? runtime.client.withScope(operation) : runtime.client, viewer), clientKey ?? clientKeyOf(viewer))),
      cache: deps.cache,
      accountId: viewer.accountId,
      logger,
      lookups: operation,
      pubsub: runtime.realtime.pubsub,
      eventLog: runtime.realtime.eventLog,
      // Only over HTTP (SSE): a WebSocket's upgrade headers would apply to every operation on it.
      lastEventId: request?.headers.get('last-event-id') ?? undefined,
      replica: runtime.replica,
      warmup: runtime.replicaSync,
      replicaLists: runtime.replicaLists,
      viewer,
      operation,
    });
  };
}
