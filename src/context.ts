/**
 * The per-request GraphQL context: process-wide dependencies plus this request's DataLoaders.
 */
import type { AfterShipClient } from './aftership/types.js';
import type { Viewer } from './auth/viewer.js';
import type { GatewayCache } from './cache/index.js';
import type { Logger } from './lib/logger.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { RealtimePubSub } from './realtime/pubsub.js';

export interface GraphQLContext {
  client: AfterShipClient;
  cache: GatewayCache;
  /** The AfterShip account (organisation) this request acts for; cache entries are keyed by it. */
  accountId: string;
  loaders: Loaders;
  logger: Logger;
  /** Live tracking changes for subscriptions (absent: subscriptions disabled). */
  pubsub?: RealtimePubSub;
  /** Who is asking (absent when the gateway runs without access control). */
  viewer?: Viewer;
}

export interface ContextDeps {
  client: AfterShipClient;
  cache: GatewayCache;
  accountId: string;
  logger: Logger;
  pubsub?: RealtimePubSub;
  viewer?: Viewer;
}

/** Call once per request: every request gets fresh DataLoaders. */
export function createContext(deps: ContextDeps): GraphQLContext {
  return {
    client: deps.client,
    cache: deps.cache,
    accountId: deps.accountId,
    logger: deps.logger,
    loaders: createLoaders(deps),
    pubsub: deps.pubsub,
    viewer: deps.viewer,
  };
}
