/**
 * A minimal gateway for the schema's end-to-end tests: the sandbox, a real AfterShip client
 * pointed at it, the shared cache, and the schema served over HTTP by graphql-yoga with the
 * cost guard and the error mask — the same pieces app.ts wires. Always `close()` it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { createAfterShipClient } from '../../src/aftership/client.js';
import { createRateBudget, type RateBudgetOptions } from '../../src/aftership/rate-budget.js';
import type { AfterShipClient } from '../../src/aftership/types.js';
import { createGatewayCache, type GatewayCache, type GatewayCacheOptions } from '../../src/cache/index.js';
import { createContext } from '../../src/context.js';
import { silentLogger } from '../../src/lib/logger.js';
import { useCostGuard, type CostGuardOptions } from '../../src/schema/cost-guard.js';
import { maskError } from '../../src/schema/error-mapping.js';
import { schema } from '../../src/schema/index.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

export const SANDBOX_KEY = 'asat_schema_test_key';

export interface SchemaGatewayOptions {
  sandbox?: Partial<SandboxOptions>;
  cache?: GatewayCacheOptions;
  budget?: RateBudgetOptions;
  costGuard?: CostGuardOptions;
  accountId?: string;
}

export interface GqlResult<T> {
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

export interface SchemaGateway {
  url: string;
  sandbox: Sandbox;
  client: AfterShipClient;
  cache: GatewayCache;
  /** POSTs a typed operation over HTTP and returns the JSON result. */
  graphql<T, V extends Record<string, unknown>>(doc: TypedDocumentNode<T, V>, variables?: V): Promise<GqlResult<T>>;
  /** POSTs raw GraphQL text (for generated documents such as 50 aliased lookups). */
  graphqlText<T = Record<string, unknown>>(source: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

export async function startSchemaGateway(options: SchemaGatewayOptions = {}): Promise<SchemaGateway> {
  const sandbox = createSandbox({ apiKey: SANDBOX_KEY, seed: 60, ...options.sandbox });
  const sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  const client = createAfterShipClient({
    baseUrl: sandboxUrl,
    auth: { kind: 'api-key', apiKey: SANDBOX_KEY },
    retry: { maxRetries: 0 },
    ...(options.budget ? { budget: createRateBudget(options.budget) } : {}),
  });
  const cache = createGatewayCache(options.cache);
  const accountId = options.accountId ?? 'account-1';
  const yoga = createYoga({
    schema,
    graphiql: false,
    logging: false,
    maskedErrors: { maskError },
    plugins: [useCostGuard(options.costGuard)],
    context: () => createContext({ client, cache, accountId, logger: silentLogger }),
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  async function post<T>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as ExecutionResult as GqlResult<T>;
  }

  return {
    url,
    sandbox,
    client,
    cache,
    graphql: (doc, variables) => post(print(doc), variables),
    graphqlText: (source, variables) => post(source, variables),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sandbox.close();
    },
  };
}
