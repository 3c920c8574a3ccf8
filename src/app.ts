/**
 * The one place that wires the gateway together:
 * config → access control → (sandbox) → per-account AfterShip client + realtime → cache → yoga and its
 * HTTP plugins (src/http/README.md) → HTTP + WebSocket server. No module-level state: tests start as many
 * apps as they like.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import { createYoga } from 'graphql-yoga';
import { isSandboxMode, SANDBOX_API_KEY, type Config } from './config.js';
import { createLogger, yogaLogging, type Logger } from './lib/logger.js';
import { configSecrets } from './log-secrets.js';
import { logStartup } from './startup-log.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createSandbox, type Sandbox } from './sandbox/index.js';
import { createGatewayCache, type GatewayCache } from './cache/index.js';
import { createReplicas, withReplica } from './replica/index.js';
import { createContextFactory, type GraphQLContext } from './context.js';
import { schema } from './schema/index.js';
import { faultOf, maskError } from './schema/error-mapping.js';
import { useCostGuard } from './schema/cost-guard.js';
import { useDocumentLimits } from './schema/document-limits.js';
import { createGatewayAuth, type GatewayAuth, type TokenStore } from './auth/index.js';
import { accessKeyOf, type Viewer } from './auth/viewer.js';
import { createAccountRuntimes, type AccountRuntime, type AccountRuntimes, type SharedState } from './account-runtime.js';
import { createRedisScaleOut, type RedisScaleOut } from './redis/index.js';
import { corsOptions } from './http/cors.js';
import { createEventLoopMonitor, type EventLoopMonitor } from './http/event-loop.js';
import { useClientLimits, type ClientContext } from './http/use-client-limits.js';
import { createAfterShipHealth, type AfterShipHealth } from './aftership/health.js';
import { createReadiness, listenHttp, serveGraphQLOverWebSocket, type HttpServer, type ReadinessResult, type ReplicaReadiness, type RequestIdContext, type ViewerContext } from './http/index.js';
import { serveAfterShipWebhooks, useAccessControl, useExports, useGraphiQL, useMetrics, useOAuthRoutes, useReadiness, useRequestBodyLimit, useRequestErrors, useRequestId, useEventIds, useHttpCaching } from './http/index.js';
import { trustedQuery, useNoIntrospection, useTrustedDocuments } from './http/index.js';
import { EXAMPLE_PAGE_PATH, useExamplePage } from './http/index.js';
import { createObservability, operationOf, useOperationObserver, type Observability } from './observability/index.js';
import { createResponseStore, useResponseCache, type ResponseStore } from './response-cache/index.js';

export interface AppDeps {
  /** Transport to AfterShip (tests inject faults here). @default globalThis.fetch */
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: Logger;
  /** Shared state for several instances (Redis); default in memory. */
  shared?: SharedState;
  /** The recent event-loop lag in ms, for load shedding (tests inject one). @default createEventLoopMonitor().lag */
  eventLoopLag?: () => number;
}

export interface App {
  /** Base URL of the gateway, e.g. http://127.0.0.1:4000 */
  readonly url: string;
  /** The embedded sandbox, in sandbox mode. */
  readonly sandbox?: Sandbox;
  /** A look inside the running gateway, for tests, benchmarks and operators' tooling; requests never go through it. */
  readonly ops: AppOps;
  readonly logger: Logger;
  /**
   * Graceful shutdown (SIGTERM/SIGINT): /readyz answers 503 at once and no new connection is
   * accepted; in-flight HTTP operations finish (up to DRAIN_TIMEOUT_MS), WebSocket subscribers get
   * 1001 (graphql-ws clients reconnect elsewhere), SSE streams complete; then `stop()`.
   */
  drain(): Promise<DrainReport>;
  /** Stops at once: open connections are cut. */
  stop(): Promise<void>;
}

export interface DrainReport {
  /** Requests still unanswered at the deadline, cut. */
  cut: number;
  /** WebSocket connections closed with 1001. */
  websockets: number;
  ms: number;
}

export interface AppOps {
  /** An account's AfterShip client and realtime (webhooks, pubsub, polling). @default the default account */
  account(accountId?: string): AccountRuntime;
  readonly cache: GatewayCache;
  /** The OAuth token store, when an account uses OAuth. */
  readonly tokenStore?: TokenStore;
  /** Shared state across instances, when REDIS_URL is set. */
  readonly scaleOut?: RedisScaleOut;
  /** Metrics and tracing. */
  readonly observability: Observability;
  /** Whole query results (absent when RESPONSE_CACHE_MAX_BYTES is 0). */
  readonly responseCache?: ResponseStore;
  /** What /readyz answers now. */
  readiness(): ReadinessResult;
  /** AfterShip's health as last probed for the default account (for metrics: never waits, probes at most every AFTERSHIP_HEALTH_INTERVAL_MS). */
  aftershipHealth(): AfterShipHealth;
  /** The same, once the probe in flight (the one made at start, say) has answered. */
  checkAftership(): Promise<AfterShipHealth>;
}

/** What yoga's context factory receives: set by the HTTP plugins, or by the WebSocket binding (no `request` there). */
type ServerContext = { req?: IncomingMessage; request?: Request } & ViewerContext & RequestIdContext & ClientContext;

const GRAPHQL_PATH = '/graphql';
/** The example tracking page's build output (`npm run example:build`), from src/ or dist/ alike. */
const EXAMPLE_PAGE_DIR = fileURLToPath(new URL('../examples/tracking-page/dist/', import.meta.url));

/** What a start has opened so far: closed in this order by `stop()`, and by a start that fails half-way. */
interface Opened {
  accounts?: AccountRuntimes;
  disposeWs?: () => Promise<void>;
  http?: HttpServer;
  sandbox?: Sandbox;
  auth?: GatewayAuth;
  scaleOut?: RedisScaleOut;
  observability?: Observability;
  eventLoop?: EventLoopMonitor;
}

async function closeOpened(o: Opened): Promise<void> {
  await o.accounts?.stop();
  await o.disposeWs?.();
  await o.http?.close();
  await o.sandbox?.close();
  await o.auth?.close();
  await o.scaleOut?.close();
  o.eventLoop?.stop();
  // Last: the spans of everything above are exported.
  await o.observability?.close();
}

/**
 * Starts the gateway. When any step fails (a busy port, an unreadable token store...), everything
 * opened before it is closed again and the error is rethrown: nothing keeps listening or running.
 */
export async function startApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const opened: Opened = {};
  try {
    return await wire(config, deps, opened);
  } catch (e) {
    // The start's own error is the one to report; a failure while closing must not replace it.
    await closeOpened(opened).catch(() => undefined);
    throw e;
  }
}

async function wire(config: Config, deps: AppDeps, opened: Opened): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const sandboxMode = isSandboxMode(config);
  // In sandbox mode the gateway and its sandbox agree on a fresh webhook secret.
  const sandboxWebhookSecret = sandboxMode ? (config.aftership.webhookSecret ?? randomBytes(24).toString('base64url')) : undefined;
  const logger = deps.logger ?? createLogger({ level: config.logLevel, secrets: configSecrets(config, sandboxWebhookSecret) });

  const http = (opened.http = await listenHttp(config.port, config.host, config.http));
  const url = `http://127.0.0.1:${http.port}`;
  const sandbox = (opened.sandbox = sandboxMode
    ? createSandbox({
        ...{ apiKey: SANDBOX_API_KEY, webhookUrl: `${url}/webhooks/aftership`, webhookSecret: sandboxWebhookSecret, autoAdvance: true },
        ...{ seed: config.sandbox.seed, speed: config.sandbox.speed, logger: logger.child({ component: 'sandbox' }) },
      })
    : undefined);
  const baseUrl = sandbox ? await sandbox.listen(config.sandbox.port, '127.0.0.1') : config.aftership.baseUrl;

  const observability = (opened.observability = await createObservability(config.observability, { clock }));
  const auth = (opened.auth = createGatewayAuth(config.auth, { clock, logger: logger.child({ component: 'auth' }), fetch: deps.fetch }));
  // With REDIS_URL: one rate budget, dedup, pub/sub and coherent caches across instances.
  const scaleOut = (opened.scaleOut = config.redis
    ? createRedisScaleOut({ url: config.redis.url, prefix: config.redis.prefix, instances: config.redis.instances, clock, logger })
    : undefined);
  // Told of every write to the shared cache (here or, through the Redis mirror, on another instance).
  const responseCache = config.responseCacheMaxBytes > 0 ? createResponseStore({ maxBytes: config.responseCacheMaxBytes, clock }) : undefined;
  // The replica sits behind the process's own cache: another instance's writes reach it too.
  // The response cache is told of the replica's changes too (warm-up and list passes write there only).
  const replicas = createReplicas(config.replica, clock, { changes: responseCache });
  const local = createGatewayCache({ clock, onChange: responseCache });
  const own = config.replica.enabled ? withReplica(local, (a) => replicas.existing(a)) : local;
  const coherent = scaleOut?.coherentCache(own);
  const cache: GatewayCache = coherent ?? own;
  const defaultAccountId = auth.accounts.defaultAccountId;
  const accounts = (opened.accounts = createAccountRuntimes({
    ...{ config, registry: auth.accounts, baseUrl, cache, replicas, clock, logger, fetch: deps.fetch },
    fallbackWebhookSecret: (id) => (id === defaultAccountId ? sandboxWebhookSecret : undefined),
    shared: deps.shared ?? scaleOut?.shared,
    recorders: observability.metrics,
  }));
  observability.metrics.collectFrom({
    ...{ accounts: () => accounts.all(), cache: () => cache.stats(), redisUp: scaleOut ? () => scaleOut.up() : undefined },
    responseCache: responseCache ? () => responseCache.stats() : undefined,
  });
  // An OAuth account just connected here: its runtime (and warm-up) starts now, or a warm-up waiting
  // out a refused call asks again at once. Accounts are otherwise set up on first use.
  auth.accounts.onConnected((id) => accounts.get(id)?.replicaSync?.retryNow());
  // Another instance's newer tracking is this instance's new baseline for diffs too.
  coherent?.onRemoteTracking((id, t) => accounts.get(id)?.realtime.updates.remember(t));
  const account = (accountId = defaultAccountId): AccountRuntime => {
    const runtime = accounts.get(accountId);
    if (!runtime) throw new Error(`Unknown AfterShip account "${accountId}"`);
    return runtime;
  };

  const health = createAfterShipHealth({
    ...{ client: account().client, accountId: defaultAccountId, clock },
    ...{ logger: logger.child({ component: 'aftership' }), intervalMs: config.aftership.healthIntervalMs },
  });
  const replicaReadiness = (): ReplicaReadiness | undefined => {
    const runtime = accounts.get(defaultAccountId);
    const progress = runtime?.replicaSync?.progress();
    if (!runtime || !progress) return undefined;
    const { state, loaded, total, calls, source } = progress;
    return { state, trackings: runtime.replica.size(), loaded, ...(total !== undefined && { total }), complete: runtime.replica.coverage().complete, calls, ...(source && { source }) };
  };
  const readiness = createReadiness({ aftership: health, redis: scaleOut?.connections, replica: replicaReadiness });
  const httpLogger = logger.child({ component: 'http' });
  // No real AfterShip account: the embedded sandbox, or a standalone one's well-known key.
  const demo = !config.auth.realAccount;
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: '/healthz', // yoga's own liveness check
    graphiql: false, // ours (useGraphiQL): same-origin assets under a strict CSP
    landingPage: false,
    // Ours (useRequestBodyLimit): yoga's streams every body through a counter.
    maxRequestBodySize: false,
    // The only CORS: yoga answers preflights first and adds its headers to every response, ours included.
    cors: corsOptions(config.corsOrigins),
    context: createContextFactory({ account, cache, logger, operation: (facts) => observability.operation(facts) }),
    maskedErrors: { maskError },
    // yoga reports every error it masks at `error`: only the gateway's own faults stay there.
    logging: yogaLogging(logger.child({ component: 'yoga' }), { faultOf, requestIdOf: (e) => observability.requestIdOf(e) }),
    plugins: [
      useRequestId(),
      useReadiness({ readiness }),
      useMetrics({ metrics: observability.metrics, token: config.observability.metricsToken, logger: httpLogger }),
      ...(auth.oauth ? [useOAuthRoutes({ handle: auth.oauth.handle, logger: httpLogger })] : []),
      // GraphiQL needs introspection and runs documents of its own: not with either switched off.
      ...(config.introspection && !config.trustedDocuments ? [useGraphiQL({ endpoint: GRAPHQL_PATH })] : []),
      // The example tracking page, for demos only: a real account's customers get the merchant's own page.
      ...(demo ? [useExamplePage({ dir: EXAMPLE_PAGE_DIR })] : []),
      useAccessControl({ authenticator: auth.authenticator, logger: httpLogger }),
      // Exports of the replica: after access control (it knows the account and scopes), never through GraphQL.
      useExports({ replicaOf: (id) => accounts.get(id)?.replica, logger: httpLogger }),
      // After access control (it knows who asks), before any GraphQL work: shed load, bound each client.
      useClientLimits({ ...config.clientLimits, lag: deps.eventLoopLag ?? (opened.eventLoop = createEventLoopMonitor()).lag, logger: httpLogger }),
      useRequestErrors(),
      // After the parsers are chosen (yoga's and useRequestErrors'): wraps the one that reads the body.
      useRequestBodyLimit(config.maxRequestBodyBytes),
      // Allowlist mode: only the manifest's operations, refused before parsing.
      ...(config.trustedDocuments ? [useTrustedDocuments(config.trustedDocuments)] : []),
      ...(config.introspection ? [] : [useNoIntrospection()]),
      // After the trusted documents (a document named by its id has its text by then), before the observer:
      // an answer from the cache skips everything below (its own report and metrics);
      // a result stored is stored as executed, before the observer adds its cost report.
      ...(responseCache
        ? [useResponseCache({ store: responseCache, clock, metrics: observability.metrics, operation: (facts) => observability.operation(facts), logger })]
        : []),
      // Subscription results carry their event's cursor; over SSE as the event's id (Last-Event-ID resumes).
      // SSE subscriptions with the same operation, variables, account and scopes share one execution per event too.
      useEventIds({ share: { accessKey: (viewer) => (viewer ? accessKeyOf(viewer as Viewer) : undefined), recorder: (context) => context.pubsub?.shared } }),
      // Before the limits and the guard: an operation they refuse is still counted and reported.
      useOperationObserver({ metrics: observability.metrics, clock, onError: (e, id) => observability.tagError(e, id) }),
      // Before parsing and validation: the document's size, tokens, nesting, aliases, directives, depth.
      useDocumentLimits({ ...config.documentLimits, maxDepth: config.maxQueryDepth }),
      // Before execution: what the operation may cost in AfterShip calls and in answer size.
      useCostGuard({
        maxCost: config.maxQueryCost,
        maxDepth: config.maxQueryDepth,
        maxFields: config.maxQueryFields,
        maxListItems: config.maxQueryListItems,
        onEstimate: (estimate, context) => {
          const operation = operationOf(context);
          if (operation) operation.estimated = estimate.cost;
        },
      }),
      // Last: the ETag hashes the answer as the plugins above left it (headers included); 304 when unchanged.
      useHttpCaching({ endpoint: GRAPHQL_PATH }),
    ],
  });
  // Webhooks are answered on Node's request, before yoga (webhook-route.ts says why); the rest is yoga's.
  const withWebhooks = serveAfterShipWebhooks(
    { forAccount: (id) => accounts.get(id ?? defaultAccountId)?.realtime.receiveWebhook },
    {
      logger: httpLogger,
      maxConcurrent: config.webhookMaxConcurrent,
      clock,
      onBusy: (id) => observability.metrics.webhooks(id ?? defaultAccountId).webhookReceived('refused'),
    },
  );
  http.serve(withWebhooks(yoga.requestListener));

  const websockets = (opened.disposeWs = serveGraphQLOverWebSocket(yoga, http.server, {
    path: GRAPHQL_PATH,
    // Subscriptions authenticate in connection_init: { "Authorization": "Bearer <token>" }.
    authenticate: (params) => auth.authenticator.authenticateRequest(params ?? {}),
    queryOf: config.trustedDocuments ? (payload) => trustedQuery(config.trustedDocuments!, payload) : undefined,
    // Same operation, variables, account and scopes: one execution per event for all of them.
    multiplex: { accessKey: (viewer) => accessKeyOf(viewer as Viewer), recorder: (context) => (context as GraphQLContext).pubsub?.shared },
    maxOperationsPerSocket: config.websocket.maxOperationsPerConnection,
  }));
  const publicUrl = config.publicUrl ?? `http://localhost:${http.port}`;
  const sandboxApiKey = sandbox ? SANDBOX_API_KEY : undefined;
  // Accounts whose webhooks are refused (no secret): their subscriptions are kept live by polling.
  const webhooksOff = sandbox ? [] : config.auth.accounts.filter((a) => !a.webhookSecret).map((a) => a.id);
  logStartup(logger, { url, publicUrl, aftershipUrl: baseUrl, sandboxApiKey, examplePageUrl: demo ? `${publicUrl}${EXAMPLE_PAGE_PATH}/` : undefined, sandboxSpeed: sandbox ? config.sandbox.speed : undefined, accessControl: config.auth.mode, webhooksOff, pollIntervalMs: config.realtime.pollIntervalMs });
  // The first finding about AfterShip (a refused key, say) is logged as soon as it is known.
  void health.refresh();

  let stopped = false;
  let draining: Promise<DrainReport> | undefined;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    health.stop();
    await closeOpened(opened);
  };
  const drain = async (): Promise<DrainReport> => {
    const startedAt = clock.now();
    readiness.drain();
    logger.info({ drainTimeoutMs: config.drainTimeoutMs }, `Draining: /readyz answers 503, no new connections; in-flight operations have up to ${config.drainTimeoutMs} ms`);
    const timer = new AbortController();
    const deadline = clock.sleep(config.drainTimeoutMs, timer.signal).catch(() => undefined);
    const httpDrained = http.drain(deadline);
    // WebSockets first: ending subscriptions would send graphql-ws clients `complete`, not 1001.
    const closedSockets = await websockets.drain(deadline);
    await accounts.stop(); // SSE streams complete; polling stops
    const { cut } = await httpDrained;
    timer.abort();
    await stop();
    const report = { cut, websockets: closedSockets, ms: clock.now() - startedAt };
    if (cut) logger.warn(report, `Drained: ${cut} request(s) were still unanswered after ${config.drainTimeoutMs} ms and were cut`);
    else logger.info(report, 'Drained: every in-flight operation finished; stopped');
    return report;
  };
  return {
    url,
    sandbox,
    logger,
    ops: { account, cache, responseCache, tokenStore: auth.tokenStore, scaleOut, observability, readiness: () => readiness.check(), aftershipHealth: () => health.read(), checkAftership: () => health.refresh() },
    drain: () => (draining ??= drain()),
    stop,
  };
}
