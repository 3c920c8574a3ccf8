/** Starts the gateway or the hello-world server in a child process (isolate) or in this process. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientStats } from '../../src/aftership/types.js';
import type { RealtimePubSubStats } from '../../src/realtime/index.js';
import type { ResponseStoreStats } from '../../src/response-cache/index.js';
import { gatewayAuthEnv } from './env.js';
import { startGatewayServer, startHelloServer, sampleMemory, type MemorySample } from './servers.js';
import { startFanoutFloor, startWebhookFloor } from './floors.js';
import { forkBenchChild } from './spawn.js';

export interface RunningGateway {
  url: string;
  pid: number;
  stats(): Promise<ClientStats>;
  pubsub(): Promise<RealtimePubSubStats>;
  memory(): Promise<MemorySample>;
  clearCache(): Promise<void>;
  /** The response cache's counters (undefined when it is off). */
  responseCache(): Promise<ResponseStoreStats | undefined>;
  stop(): Promise<void>;
}

export interface RunningHello {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface GatewayTarget {
  sandboxUrl: string;
  apiKey: string;
  webhookSecret: string;
  /** More configuration, as environment variables (e.g. AFTERSHIP_QUEUE_TIMEOUT_MS). */
  env?: Record<string, string>;
  /** More gateway API tokens beside the bench's own. */
  tokens?: { name: string; token: string; scopes: string[] }[];
}

export async function startGateway(target: GatewayTarget, isolate: boolean): Promise<RunningGateway> {
  const env = {
    AFTERSHIP_API_KEY: target.apiKey,
    AFTERSHIP_BASE_URL: target.sandboxUrl,
    AFTERSHIP_WEBHOOK_SECRET: target.webhookSecret,
    ...tokensEnv(target.tokens),
    // The scenarios send many clients' load with one token: no per-client limit (the hostile scenario sets its own).
    CLIENT_MAX_CONCURRENT: '0',
    ...target.env,
  };
  if (isolate) {
    const c = await forkBenchChild('gateway-process.ts', {
      env: { ...env, BENCH_SERVER: 'gateway', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      // Memory per subscriber is read after forced collections; `--cpu-prof DIR` (bench/run.ts) profiles the gateway.
      nodeArgs: ['--expose-gc', ...cpuProfArgs()],
    });
    return {
      url: String(c.ready.url),
      pid: c.child.pid ?? -1,
      stats: () => c.ipc.call('stats'),
      pubsub: () => c.ipc.call('pubsub'),
      memory: () => c.ipc.call('memory'),
      clearCache: async () => void (await c.ipc.call('clearCache')),
      responseCache: () => c.ipc.call('responseCache'),
      stop: () => c.stop(),
    };
  }
  const gw = await startGatewayServer(env);
  return {
    url: gw.url,
    pid: process.pid,
    stats: async () => gw.controls.stats(),
    pubsub: async () => gw.controls.pubsub(),
    memory: sampleMemory,
    clearCache: async () => gw.controls.clearCache(),
    responseCache: async () => gw.controls.responseCache(),
    stop: () => gw.controls.stop(),
  };
}

/** Many tokens do not fit in one environment variable (E2BIG): they go in a file (GATEWAY_TOKENS_FILE). */
function tokensEnv(extra: GatewayTarget['tokens']): Record<string, string> {
  const env = gatewayAuthEnv(extra);
  if (env.GATEWAY_TOKENS.length < 32_000) return env;
  const file = join(mkdtempSync(join(tmpdir(), 'bench-tokens-')), 'tokens.json');
  writeFileSync(file, env.GATEWAY_TOKENS, { mode: 0o600 });
  return { GATEWAY_TOKENS_FILE: file };
}

function cpuProfArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export async function startHello(isolate: boolean): Promise<RunningHello> {
  if (isolate) {
    const c = await forkBenchChild('gateway-process.ts', { env: { BENCH_SERVER: 'hello' } });
    return { url: String(c.ready.url), pid: c.child.pid ?? -1, stop: () => c.stop() };
  }
  const h = await startHelloServer();
  return { url: h.url, pid: process.pid, stop: h.stop };
}

export interface RunningFloor {
  url: string;
  pid: number;
  /** Subscriptions the fan-out floor holds (0 for the webhook floor). */
  subscribers(): Promise<number>;
  /** The fan-out floor's last write loop, ms (null before one). */
  lastWriteMs(): Promise<number | null>;
  stop(): Promise<void>;
}

/** A floor server (lib/floors.ts): in its own process when isolated, like the gateway it is read against. */
export async function startFloor(kind: 'webhook-floor' | 'fanout-floor', webhookSecret: string, isolate: boolean): Promise<RunningFloor> {
  if (isolate) {
    const c = await forkBenchChild('gateway-process.ts', { env: { BENCH_SERVER: kind, AFTERSHIP_WEBHOOK_SECRET: webhookSecret } });
    return { url: String(c.ready.url), pid: c.child.pid ?? -1, subscribers: () => c.ipc.call('subscribers'), lastWriteMs: () => c.ipc.call('lastWriteMs'), stop: () => c.stop() };
  }
  const f = kind === 'webhook-floor' ? await startWebhookFloor(webhookSecret) : await startFanoutFloor(webhookSecret);
  return { url: f.url, pid: process.pid, subscribers: async () => f.subscribers(), lastWriteMs: async () => f.lastWriteMs(), stop: f.stop };
}
