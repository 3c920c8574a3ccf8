/**
 * Helpers for the multi-instance tests: gateway instances sharing one sandbox and one Redis,
 * graphql-ws subscribers, signed webhooks, key clean-up, and a private redis-server that a test
 * may stop and restart (the system Redis is shared with other tests and must stay up).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { startApp, type App } from '../src/app.js';
import type { Tracking } from '../src/aftership/wire-types.js';
import { loadConfig } from '../src/config.js';
import { createLogger, silentLogger, type Logger } from '../src/lib/logger.js';
import { signWebhookBody } from '../src/realtime/index.js';
import type { Sandbox } from '../src/sandbox/index.js';

export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';
export const API_KEY = 'test-api-key-redis-0001';
export const WEBHOOK_SECRET = 'test-webhook-secret-redis-0001';

export const uniquePrefix = (name: string): string => `asgw-test:${name}:${randomBytes(4).toString('hex')}:`;

/** Deletes every key under `prefix`. */
export async function cleanPrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/** Starts a gateway instance talking to `sandbox` and sharing state through Redis. */
export async function startInstance(sandbox: Sandbox, sandboxUrl: string, env: Record<string, string>, logger: Logger = silentLogger): Promise<App> {
  return startApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      AFTERSHIP_API_KEY: API_KEY,
      AFTERSHIP_BASE_URL: sandboxUrl,
      AFTERSHIP_WEBHOOK_SECRET: WEBHOOK_SECRET,
      GATEWAY_AUTH: 'none',
      // These tests load the shared budget from one address in open mode, on a loaded machine:
      // neither per-client limits nor load shedding are their subject.
      CLIENT_MAX_CONCURRENT: '0',
      LOAD_SHED_EVENT_LOOP_LAG_MS: '0',
      // Not their subject either; test/replica-redis.test.ts turns it on.
      REPLICA_ENABLED: 'false',
      ...env,
    }),
    { logger },
  );
}

/** A logger that keeps every line, for checking what was logged (and how often). */
export function createRecordingLogger(): Logger & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return Object.assign(logger, { lines });
}

export interface Subscriber {
  events: Record<string, unknown>[];
  errors: unknown[];
  dispose(): Promise<void>;
}

/** Opens a graphql-ws subscription on `app` and collects what it receives. */
export function subscribe(app: App, query: string, variables?: Record<string, unknown>): Subscriber {
  const client: Client = createClient({ url: `${app.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  const events: Record<string, unknown>[] = [];
  const errors: unknown[] = [];
  const off = client.subscribe<Record<string, unknown>>(
    { query, variables },
    {
      next: (v) => {
        if (v.errors) errors.push(v.errors);
        if (v.data) events.push(v.data);
      },
      error: (e) => errors.push(e),
      complete: () => undefined,
    },
  );
  return {
    events,
    errors,
    async dispose() {
      off();
      await client.dispose();
    },
  };
}

export function tracking(id: string, day: number, tag = 'InTransit'): Tracking {
  return {
    id,
    legacy_id: null,
    tracking_number: `1Z${id.slice(0, 16).toUpperCase()}`,
    slug: 'ups',
    active: true,
    created_at: '2026-03-01T10:00:00+00:00',
    updated_at: `2026-03-${String(day).padStart(2, '0')}T10:00:00+00:00`,
    tag,
    subtag: `${tag}_001`,
    checkpoints: [
      { checkpoint_time: `2026-03-${String(day).padStart(2, '0')}T09:00:00-05:00`, message: `scan ${day}`, tag, subtag: `${tag}_001`, slug: 'ups', hash: `h-${id}-${day}` },
    ],
  } as unknown as Tracking;
}

/** POSTs a webhook signed as AfterShip does; returns status and body. */
export async function deliver(app: App, eventId: string, t: Tracking): Promise<{ status: number; body: { status?: string } }> {
  const body = JSON.stringify({ event: 'tracking_update', event_id: eventId, is_tracking_first_tag: false, msg: t, ts: Math.floor(Date.parse(t.updated_at!) / 1000) });
  const res = await fetch(`${app.url}/webhooks/aftership`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(WEBHOOK_SECRET, body), 'as-webhook-version': '2026-07' },
    body,
  });
  return { status: res.status, body: (await res.json()) as { status?: string } };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until `n` connections are subscribed to `channel` (so a publish reaches them). */
export async function waitForChannelSubscribers(url: string, channel: string, n: number): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await waitFor(async () => Number(((await r.pubsub('NUMSUB', channel)) as [string, number])[1]) >= n, 5000, `${n} subscribers on ${channel}`);
  } finally {
    r.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of our own on a free port, without persistence (a restart forgets everything). */
export async function createPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  return {
    url,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await waitFor(async () => {
          try {
            if (probe.status !== 'ready') await probe.connect();
            return (await probe.ping()) === 'PONG';
          } catch {
            probe.disconnect();
            return false;
          }
        }, 5000, 'redis-server to start');
      } finally {
        probe.disconnect();
      }
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
  };
}
