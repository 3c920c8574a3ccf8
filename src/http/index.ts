/** The gateway's HTTP surface: yoga plugins, one per route or concern (see README.md), and the servers they run on. */
export { listenHttp, type HttpServer } from './listen.js';
export { bindGraphQLWebSocket, serveGraphQLOverWebSocket, DRAIN_CLOSE_CODE, DRAIN_CLOSE_REASON, WS_MAX_MESSAGE_BYTES, type GraphQLWebSocketDispose, type WebSocketOptions } from './websocket.js';
export { createReadiness, type Readiness, type ReadinessResult, type ReplicaReadiness } from './readiness.js';
export { useRequestId, type RequestIdContext, type RequestIdOptions } from './use-request-id.js';
export { useRequestErrors } from './use-request-errors.js';
export { useRequestBodyLimit } from './use-request-body-limit.js';
export { useEventIds } from './use-event-ids.js';
export { useReadiness, type ReadinessPluginOptions } from './use-readiness.js';
export { useMetrics, type MetricsPluginOptions } from './use-metrics.js';
export { serveAfterShipWebhooks, readNodeBody, type WebhookHandler, type WebhookRouteOptions } from './webhook-route.js';
export { useOAuthRoutes, type OAuthRoutesOptions } from './use-oauth-routes.js';
export { useGraphiQL, type GraphiQLPluginOptions } from './use-graphiql.js';
export { useHttpCaching, type HttpCachingOptions } from './use-http-caching.js';
export { useExamplePage, EXAMPLE_PAGE_PATH, type ExamplePageOptions } from './use-example-page.js';
export { useAccessControl, type AccessControlOptions, type ViewerContext } from './use-access-control.js';
export { parseTrustedDocuments, trustedQuery, useTrustedDocuments, PERSISTED_QUERY_NOT_FOUND, PERSISTED_QUERY_NOT_IN_LIST, type TrustedDocuments } from './trusted-documents.js';
export { useNoIntrospection } from './use-no-introspection.js';
export { useExports, coverageHeader, EXPORT_PATHS, type ExportsOptions } from './use-exports.js';
