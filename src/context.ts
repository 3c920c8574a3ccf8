/**
 * The per-request GraphQL context: process-wide dependencies plus this request's DataLoaders.
 */
import type { Viewer } from './auth/viewer.js';
import { createLoaders, type LoaderDeps, type Loaders } from './loaders/index.js';
import type { RealtimePubSub } from './realtime/pubsub.js';

/** What a request's context is made from: what its loaders need, and the rest of the request's world. */
export interface ContextDeps extends LoaderDeps {
  /** Live tracking changes for subscriptions (absent: subscriptions disabled). */
  pubsub?: RealtimePubSub;
  /** Who is asking (absent when the gateway runs without access control). */
  viewer?: Viewer;
}

export interface GraphQLContext extends ContextDeps {
  loaders: Loaders;
}

/** Call once per request: every request gets fresh DataLoaders. */
export function createContext(deps: ContextDeps): GraphQLContext {
  return { ...deps, loaders: createLoaders(deps) };
}
