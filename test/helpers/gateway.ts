/**
 * Starts a real gateway against a real sandbox on ephemeral loopback ports, and disposes both.
 * The sandbox runs outside the gateway (as a real AfterShip would), so tests control its clock,
 * faults and request log; `sandboxMode: true` starts the gateway with no key instead.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { loadConfig } from '../../src/config.js';
import { startApp, type App, type AppDeps } from '../../src/app.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { silentLogger } from '../../src/lib/logger.js';

export const TEST_API_KEY = 'test-api-key-0001';
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0001';
/**
 * Tests count AfterShip calls and drive the cache's TTLs: the warm replica's background list calls
 * and TTL-free reads would change both, so it is on only where a test asks (test/replica-*.test.ts).
 */
export const REPLICA_OFF = { REPLICA_ENABLED: 'false' } as const;

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGateway {
  app: App;
  sandbox: Sandbox;
  /** http://127.0.0.1:<port> */
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  graphql<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables> | DocumentNode | string,
    variables?: TVariables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TResult>>;
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  /** Extra environment for loadConfig (PORT, HOST, key and base URL are set for you). */
  env?: Record<string, string>;
  sandbox?: Partial<SandboxOptions>;
  deps?: AppDeps;
  /** Start the gateway with no API key: it runs its own embedded sandbox. */
  sandboxMode?: boolean;
  /** Runs once the (own) sandbox listens, before the gateway starts: faults for what the gateway does at start. */
  beforeStart?(sandbox: Sandbox): void;
}

export async function startGateway(options: StartGatewayOptions = {}): Promise<TestGateway> {
  let sandbox: Sandbox | undefined;
  let app: App;
  if (options.sandboxMode) {
    app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', LOAD_SHED_EVENT_LOOP_LAG_MS: '0', ...REPLICA_OFF, ...options.env }), {
      logger: silentLogger,
      ...options.deps,
    });
    sandbox = app.sandbox!;
  } else {
    sandbox = createSandbox({
      apiKey: TEST_API_KEY,
      webhookSecret: TEST_WEBHOOK_SECRET,
      autoAdvance: false,
      logger: silentLogger,
      ...options.sandbox,
    });
    const sandboxUrl = await sandbox.listen(0, '127.0.0.1');
    options.beforeStart?.(sandbox);
    app = await startApp(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        AFTERSHIP_API_KEY: TEST_API_KEY,
        AFTERSHIP_BASE_URL: sandboxUrl,
        AFTERSHIP_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        // Access control has its own tests; others run open unless they set GATEWAY_AUTH.
        GATEWAY_AUTH: 'none',
        // The shared test machine's load shows as event-loop lag: no shedding unless a test asks for it.
        LOAD_SHED_EVENT_LOOP_LAG_MS: '0',
        ...REPLICA_OFF,
        ...options.env,
      }),
      { logger: silentLogger, ...options.deps },
    );
    sandbox.setWebhookTarget(`${app.url}/webhooks/aftership`, TEST_WEBHOOK_SECRET);
  }
  // The start-up AfterShip probe (GET /couriers) is done, and forgotten, before a test counts the sandbox's requests.
  await app.ops.checkAftership();
  sandbox.requests.reset();
  const graphqlUrl = `${app.url}/graphql`;
  const ownSandbox = !options.sandboxMode;
  return {
    app,
    sandbox,
    url: app.url,
    graphqlUrl,
    wsUrl: graphqlUrl.replace(/^http/, 'ws'),
    async graphql(document, variables, headers = {}) {
      const query = typeof document === 'string' ? document : print(document as DocumentNode);
      const res = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GraphQLResponse<never>;
    },
    async close() {
      await app.stop();
      if (ownSandbox) await sandbox.close();
    },
  };
}
