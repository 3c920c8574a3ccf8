/**
 * The one place that wires the gateway together:
 * config → access control → (sandbox) → per-account AfterShip client + realtime → cache → yoga
 * → HTTP + WebSocket server. No module-level state: tests start as many apps as they like.
 */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { isSandboxMode, SANDBOX_API_KEY, type Config } from './config.js';
import { createLogger, yogaLogging, type Logger } from './lib/logger.js';
import { configSecrets } from './log-secrets.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createSandbox, type Sandbox } from './sandbox/index.js';
import { createGatewayCache, type GatewayCache } from './cache/index.js';
import { createContext, type GraphQLContext } from './context.js';
import { schema } from './schema/index.js';
import { maskError } from './schema/error-mapping.js';
import { useCostGuard } from './schema/cost-guard.js';
import { AuthError, authErrorResponse, createGatewayAuth, guardClient, type GatewayAuth, type Viewer } from './auth/index.js';
import { createAccountRuntimes, type AccountRuntime, type AccountRuntimes, type SharedState } from './account-runtime.js';
import { createGraphiQLBundle, GRAPHIQL_ASSET_PREFIX, GRAPHIQL_CSP } from './http/graphiql.js';
import { createReadiness } from './http/readiness.js';
import { bindGraphQLWebSocket } from './http/websocket.js';
import { EXAMPLE_QUERY } from './http/example-query.js';
import { nodeToFetch, sendResponse } from './http/node-fetch-bridge.js';
import { createRedisScaleOut, type RedisScaleOut } from './redis/index.js';

export interface AppDeps {
  /** Transport to AfterShip (tests inject faults here). @default globalThis.fetch */
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: Logger;
  /** Shared state for several instances (Redis); default in memory. */
  shared?: SharedState;
}

export interface App {
  /** Base URL of the gateway, e.g. http://127.0.0.1:4000 */
  readonly url: string;
  readonly cache: GatewayCache;
  readonly auth: GatewayAuth;
  /** Per-account client and realtime; `app.account()` is the default account's. */
  readonly accounts: AccountRuntimes;
  account(accountId?: string): AccountRuntime;
  /** The default account's client and realtime (shorthands for single-account use). */
  readonly client: AccountRuntime['client'];
  readonly realtime: AccountRuntime['realtime'];
  /** The embedded sandbox, in sandbox mode. */
  readonly sandbox?: Sandbox;
  /** Shared state across instances, when REDIS_URL is set. */
  readonly scaleOut?: RedisScaleOut;
  readonly yoga: YogaServerInstance<ServerContext, GraphQLContext>;
  stop(): Promise<void>;
}

/** What yoga's context factory receives: the Node request (HTTP) or the viewer of a WebSocket. */
interface ServerContext {
  req?: IncomingMessage;
  viewer?: Viewer;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Largest graphql-ws message accepted; larger closes the socket with 1009 (operations are small). */
const WS_MAX_MESSAGE_BYTES = 1024 * 1024;

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

export async function startApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const sandboxMode = isSandboxMode(config);
  // In sandbox mode the gateway and its sandbox agree on a fresh webhook secret.
  const sandboxWebhookSecret = sandboxMode ? (config.aftership.webhookSecret ?? randomBytes(24).toString('base64url')) : undefined;
  const logger =
    deps.logger ??
createLogger({ level: config.logLevel, secrets: configSecrets(config, sandboxWebhookSecret) });

  // Requests that arrive before everything is wired get a 503 instead of hanging.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => json(res, 503, { error: 'starting' });
  const server = createServer((req, res) => handler(req, res));
  const port = await listen(server, config.port, config.host);
  const url = `http://127.0.0.1:${port}`;

  let sandbox: Sandbox | undefined;
  let baseUrl = config.aftership.baseUrl;
  if (sandboxMode) {
    sandbox = createSandbox({
      apiKey: SANDBOX_API_KEY,
      webhookUrl: `${url}/webhooks/aftership`,
      webhookSecret: sandboxWebhookSecret,
      seed: config.sandbox.seed,
      speed: config.sandbox.speed,
      autoAdvance: true,
      logger: logger.child({ component: 'sandbox' }),
    });
    baseUrl = await sandbox.listen(config.sandbox.port, '127.0.0.1');
  }

  const auth = createGatewayAuth(config.auth, { clock, logger: logger.child({ component: 'auth' }), fetch: deps.fetch });
  // With REDIS_URL: one rate budget, dedup, pub/sub and coherent caches across instances.
  const scaleOut = config.redis
    ? createRedisScaleOut({ url: config.redis.url, prefix: config.redis.prefix, instances: config.redis.instances, clock, logger })
    : undefined;
  const coherent = scaleOut?.coherentCache(createGatewayCache({ clock }));
  const cache: GatewayCache = coherent ?? createGatewayCache({ clock });
  const accounts = createAccountRuntimes({
    config,
    registry: auth.accounts,
    baseUrl,
    cache,
    clock,
    logger,
    fetch: deps.fetch,
    fallbackWebhookSecret: (id) => (id === auth.accounts.defaultAccountId ? sandboxWebhookSecret : undefined),
    shared: deps.shared ?? scaleOut?.shared,
  });
  // Another instance's newer tracking is this instance's new baseline for diffs too.
  coherent?.onRemoteTracking((id, t) => accounts.get(id)?.realtime.updates.remember(t));
  const account = (accountId = auth.accounts.defaultAccountId): AccountRuntime => {
    const runtime = accounts.get(accountId);
    if (!runtime) throw new Error(`Unknown AfterShip account "${accountId}"`);
    return runtime;
  };

  /** Viewers of HTTP requests, authenticated before yoga sees them. */
  const viewers = new WeakMap<IncomingMessage, Viewer>();
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: false, // served below, from our own origin
    landingPage: false,
    context: ({ req, viewer: wsViewer }) => {
      const viewer = wsViewer ?? (req ? viewers.get(req) : undefined);
      if (!viewer) throw new AuthError('UNAUTHENTICATED', 'Authentication required');
      const runtime = account(viewer.accountId);
      return createContext({
        // Out-of-scope calls are refused here too, before any HTTP call, whatever the resolver does.
        client: guardClient(runtime.client, viewer),
        cache,
        accountId: viewer.accountId,
        logger,
        pubsub: runtime.realtime.pubsub,
        viewer,
      });
    },
    maskedErrors: { maskError },
    plugins: [useCostGuard({ maxCost: config.maxQueryCost, maxDepth: config.maxQueryDepth })],
    logging: yogaLogging(logger.child({ component: 'yoga' })),
  });

  const graphiql = createGraphiQLBundle({
    title: 'AfterShip GraphQL gateway',
    defaultQuery: EXAMPLE_QUERY,
    subscriptionsProtocol: 'WS',
  });
  const readiness = createReadiness({ client: account().client, clock });

  const serveGraphQL = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A CORS preflight never carries credentials (browsers send no Authorization on it); yoga
    // answers it with 204 and the CORS headers before running anything.
    if (req.method === 'OPTIONS') {
      await yoga.requestListener(req, res);
      return;
    }
    // Headers only: wrapping req in a Request would start draining the body yoga still has to read.
    const viewer = await auth.authenticator.authenticateRequest(req.headers);
    if (viewer instanceof AuthError) {
      const refusal = authErrorResponse(viewer);
      // With yoga's CORS headers, so a cross-origin frontend can read the 401/403 (and ask to sign in).
      const origin = req.headers.origin;
      if (origin) {
        refusal.headers.set('access-control-allow-origin', origin);
        refusal.headers.set('access-control-allow-credentials', 'true');
        refusal.headers.set('vary', 'Origin');
      }
      await sendResponse(res, refusal);
      return;
    }
    viewers.set(req, viewer);
    await yoga.requestListener(req, res);
  };

  handler = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    if (path === '/healthz' && (method === 'GET' || method === 'HEAD')) return json(res, 200, { status: 'ok' });
    if (path === '/readyz' && (method === 'GET' || method === 'HEAD')) {
      void readiness.check().then((r) => json(res, r.ready ? 200 : 503, r));
      return;
    }
    // A browser opening /graphql gets GraphiQL (which reads ?query= itself); API clients get GraphQL.
    if (path === '/graphql' && method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': GRAPHIQL_CSP }).end(graphiql.page);
      return;
    }
    if (path.startsWith(GRAPHIQL_ASSET_PREFIX) && method === 'GET') {
      const asset = graphiql.assets.get(path.slice(GRAPHIQL_ASSET_PREFIX.length));
      if (!asset) return json(res, 404, { error: 'not found' });
      if (req.headers['if-none-match'] === asset.etag) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': asset.contentType, etag: asset.etag, 'cache-control': 'public, max-age=3600' }).end(asset.body);
      return;
    }
    // Webhooks: /webhooks/aftership for the default account, /webhooks/aftership/<account> for others.
    const webhook = /^\/webhooks\/aftership(?:\/([A-Za-z0-9_-]+))?\/?$/.exec(path);
    if (webhook) {
      const runtime = accounts.get(webhook[1] ?? auth.accounts.defaultAccountId);
      if (!runtime) return json(res, 404, { error: { code: 'UNKNOWN_ACCOUNT', message: 'No such AfterShip account' } });
      void nodeToFetch(req, res, runtime.realtime.handleWebhook, url);
      return;
    }
    if (path.startsWith('/oauth/aftership/') && auth.oauth) {
      const oauth = auth.oauth;
      void nodeToFetch(req, res, async (request) => (await oauth.handle(request)) ?? new Response('{"error":"not found"}', { status: 404 }), url);
      return;
    }
    if (path === '/graphql') {
      void serveGraphQL(req, res).catch(() => res.headersSent || json(res, 500, { error: 'internal error' }));
      return;
    }
    json(res, 404, { error: 'not found', hint: 'GraphQL is at /graphql' });
  };

  // ws accepts 100 MiB messages by default, parsed before connection_init is even checked.
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: WS_MAX_MESSAGE_BYTES });
  const disposeWs = bindGraphQLWebSocket(yoga, wss, {
    // Subscriptions authenticate in connection_init: { "Authorization": "Bearer <token>" }.
    authenticate: async (params) => {
      const viewer = await auth.authenticator.authenticateRequest(params ?? {});
      return viewer instanceof AuthError ? undefined : viewer;
    },
  });

  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  if (sandboxMode) {
    logger.info('Sandbox mode: no AFTERSHIP_API_KEY is set, so the gateway runs against its embedded AfterShip sandbox');
    logger.info(`GraphiQL:  ${publicUrl}/graphql  (run the example query, then a subscription)`);
    logger.info(`Sandbox:   ${baseUrl}/tracking/2026-07/trackings (API key "${SANDBOX_API_KEY}"), controls at ${baseUrl}/__sandbox/`);
    logger.info(`Webhooks:  the sandbox posts signed webhooks to ${url}/webhooks/aftership`);
  } else {
    logger.info(`Gateway ready: GraphiQL at ${publicUrl}/graphql, AfterShip at ${baseUrl}, access control: ${config.auth.mode}`);
  }

  let stopped = false;
  return {
    url,
    cache,
    auth,
    accounts,
    account,
    get client() {
      return account().client;
    },
    get realtime() {
      return account().realtime;
    },
    sandbox,
    scaleOut,
    yoga,
    async stop() {
      if (stopped) return;
      stopped = true;
      await accounts.stop();
      await disposeWs();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sandbox?.close();
      await auth.close();
      await scaleOut?.close();
    },
  };
}
