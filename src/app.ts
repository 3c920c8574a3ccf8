/**
 * The one place that wires the gateway together:
 * config → (sandbox) → AfterShip client → cache → schema/yoga → HTTP + WebSocket server.
 * No module-level state: tests start as many apps as they like.
 */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Config } from './config.js';
import { isSandboxMode } from './config.js';
import { createLogger, type Logger } from './lib/logger.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createAfterShipClient } from './aftership/client.js';
import { createRateBudget } from './aftership/rate-budget.js';
import type { AfterShipClient } from './aftership/types.js';
import { createSandbox, type Sandbox } from './sandbox/index.js';
import { createGatewayCache, type GatewayCache } from './cache/index.js';
import { createContext, type GraphQLContext } from './context.js';
import { schema } from './schema/index.js';
import { toGraphQLError } from './schema/error-mapping.js';
import { createRealtime, type Realtime } from './realtime/index.js';
import { useCostGuard } from './schema/cost-guard.js';
import { createGraphiQLBundle, GRAPHIQL_ASSET_PREFIX, GRAPHIQL_CSP } from './http/graphiql.js';
import { createReadiness } from './http/readiness.js';
import { bindGraphQLWebSocket } from './http/websocket.js';
import { EXAMPLE_QUERY } from './http/example-query.js';
import { nodeToFetch } from './http/node-fetch-bridge.js';

export interface AppDeps {
  /** Transport to AfterShip (tests inject faults here). @default globalThis.fetch */
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: Logger;
}

export interface App {
  /** Base URL of the gateway, e.g. http://127.0.0.1:4000 */
  readonly url: string;
  readonly client: AfterShipClient;
  readonly cache: GatewayCache;
  /** The embedded sandbox, in sandbox mode. */
  readonly sandbox?: Sandbox;
  readonly realtime: Realtime;
  readonly yoga: YogaServerInstance<Record<string, never>, GraphQLContext>;
  stop(): Promise<void>;
}

const SANDBOX_API_KEY = 'sandbox-api-key';
/** The AfterShip account a single-account gateway acts for. */
const DEFAULT_ACCOUNT = 'default';

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const sandboxMode = isSandboxMode(config);
  const webhookSecret = config.aftership.webhookSecret ?? (sandboxMode ? randomBytes(24).toString('base64url') : undefined);
  const logger =
    deps.logger ??
    createLogger({
      level: config.logLevel,
      secrets: [config.aftership.apiKey, config.aftership.apiSecret, webhookSecret].filter((s): s is string => !!s),
    });

  // Requests that arrive before everything is wired get a 503 instead of hanging.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"starting"}');
  };
  const server = createServer((req, res) => handler(req, res));
  const port = await listen(server, config.port, config.host);
  const url = `http://127.0.0.1:${port}`;

  let sandbox: Sandbox | undefined;
  let baseUrl = config.aftership.baseUrl;
  if (sandboxMode) {
    sandbox = createSandbox({
      apiKey: SANDBOX_API_KEY,
      webhookUrl: `${url}/webhooks/aftership`,
      webhookSecret,
      seed: config.sandbox.seed,
      speed: config.sandbox.speed,
      autoAdvance: true,
      logger: logger.child({ component: 'sandbox' }),
    });
    baseUrl = await sandbox.listen(config.sandbox.port, '127.0.0.1');
  }

  const client = createAfterShipClient({
    baseUrl,
    auth: { kind: 'api-key', apiKey: config.aftership.apiKey ?? SANDBOX_API_KEY, apiSecret: config.aftership.apiSecret },
    fetch: deps.fetch,
    clock,
    timeoutMs: config.aftership.requestTimeoutMs,
    budget: createRateBudget({
      accountLimitPerMinute: config.aftership.rateLimitPerMinute,
      queueTimeoutMs: config.aftership.queueTimeoutMs,
      clock,
    }),
    logger: logger.child({ component: 'aftership' }),
  });
  const cache = createGatewayCache({ clock });
  const realtime = createRealtime({
    cache,
    client,
    accountId: DEFAULT_ACCOUNT,
    webhookSecret,
    maxBodyBytes: config.webhookMaxBytes,
    clock,
    logger: logger.child({ component: 'realtime' }),
  });

  const yoga = createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: false, // served below, from our own origin
    landingPage: false,
    context: () => createContext({ client, cache, accountId: DEFAULT_ACCOUNT, logger, pubsub: realtime.pubsub }),
    maskedErrors: { maskError: (error) => toGraphQLError(error) },
    plugins: [useCostGuard({ maxCost: config.maxQueryCost, maxDepth: config.maxQueryDepth })],
    logging: {
      debug: (...args) => logger.debug(String(args[0])),
      info: (...args) => logger.info(String(args[0])),
      warn: (...args) => logger.warn(String(args[0])),
      error: (...args) => logger.error(String(args[0])),
    },
  });

  const graphiql = createGraphiQLBundle({
    title: 'AfterShip GraphQL gateway',
    defaultQuery: EXAMPLE_QUERY,
    subscriptionsProtocol: 'WS',
  });
  const readiness = createReadiness({ client, clock });

  handler = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      if (path === '/readyz') {
        void readiness.check().then((r) => {
          res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(r));
        });
        return;
      }
      if (path === '/graphql' && (req.headers.accept ?? '').includes('text/html') && !(req.url ?? '').includes('query=')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': GRAPHIQL_CSP }).end(graphiql.page);
        return;
      }
      if (path.startsWith(GRAPHIQL_ASSET_PREFIX)) {
        const a = graphiql.assets.get(path.slice(GRAPHIQL_ASSET_PREFIX.length));
        if (a) {
          if (req.headers['if-none-match'] === a.etag) {
            res.writeHead(304).end();
          } else {
            res.writeHead(200, { 'content-type': a.contentType, etag: a.etag, 'cache-control': 'public, max-age=3600' }).end(a.body);
          }
          return;
        }
      }
    }
    if (path === '/webhooks/aftership') {
      void nodeToFetch(req, res, realtime.handleWebhook);
      return;
    }
    void yoga.requestListener(req, res);
  };

  const wss = new WebSocketServer({ server, path: '/graphql' });
  const disposeWs = bindGraphQLWebSocket(yoga, wss);

  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  if (sandboxMode) {
    logger.info('Sandbox mode: no AFTERSHIP_API_KEY is set, so the gateway runs against its embedded AfterShip sandbox');
    logger.info(`GraphiQL:  ${publicUrl}/graphql  (try the example query, then a subscription)`);
    logger.info(`Sandbox:   ${baseUrl}/tracking/2026-07/trackings (API key "${SANDBOX_API_KEY}"), controls at ${baseUrl}/__sandbox/`);
    logger.info(`Webhooks:  the sandbox posts signed webhooks to ${url}/webhooks/aftership`);
  } else {
    logger.info(`Gateway ready: GraphiQL at ${publicUrl}/graphql, AfterShip at ${baseUrl}`);
  }

  let stopped = false;
  return {
    url,
    client,
    cache,
    sandbox,
    realtime,
    yoga,
    async stop() {
      if (stopped) return;
      stopped = true;
      await realtime.stop();
      await disposeWs();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sandbox?.close();
    },
  };
}
