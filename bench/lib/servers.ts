/**
 * The servers under test, started the same way in a child process (gateway-process.ts) or in
 * this process (smoke test): the real gateway via startApp, and a bare graphql-yoga hello world.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { startApp, type App } from '../../src/app.js';
import type { ClientStats } from '../../src/aftership/types.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { RealtimePubSubStats } from '../../src/realtime/index.js';
import type { ResponseStoreStats } from '../../src/response-cache/index.js';

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** False when the process has no `gc()` (run without --expose-gc): figures include garbage. */
  collected: boolean;
}

/** What the harness may ask a running server. */
export interface ServerControls {
  stats(): ClientStats;
  pubsub(): RealtimePubSubStats;
  memory(): Promise<MemorySample>;
  clearCache(): void;
  responseCache(): ResponseStoreStats | undefined;
  stop(): Promise<void>;
}

export async function sampleMemory(): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    // Two rounds with a turn of the event loop between: finalizers and weak refs settle.
    gc();
    await new Promise((r) => setImmediate(r));
    gc();
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, collected: Boolean(gc) };
}

/** The gateway against an AfterShip at `env.AFTERSHIP_BASE_URL`; `env` is what loadConfig reads. */
export async function startGatewayServer(env: Record<string, string>): Promise<{ url: string; app: App; controls: ServerControls }> {
  // Scenarios measure calls from a known start: the replica only where a scenario turns it on (cold-start).
  const app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', REPLICA_ENABLED: 'false', ...env }), { logger: silentLogger });
  // Its start-up AfterShip probe is not part of what a scenario measures.
  await app.ops.checkAftership();
  return {
    url: app.url,
    app,
    controls: {
      stats: () => app.ops.account().client.stats(),
      pubsub: () => app.ops.account().realtime.pubsub.stats(),
      memory: sampleMemory,
      clearCache: () => app.ops.cache.clear(),
      responseCache: () => app.ops.responseCache?.stats(),
      stop: () => app.stop(),
    },
  };
}

/** The floor: graphql-yoga with one resolver, nothing else. */
export async function startHelloServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
    logging: false,
    landingPage: false,
    graphiql: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
