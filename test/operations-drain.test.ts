/**
 * Graceful drain of a real gateway process (src/main.ts) on SIGTERM: with a slow query in flight (a
 * latency fault at the sandbox), a graphql-ws subscriber and an SSE subscriber connected, the query
 * completes with data, the WebSocket gets 1001 with a reason, the SSE stream completes, /readyz
 * answers 503 on a connection that was open, new connections are refused, and the process exits 0
 * with nothing cut. A second signal exits at once.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { silentLogger } from '../src/lib/logger.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { gatewayUrl, spawnGateway, type GatewayProcess } from './helpers/gateway-process.js';

const API_KEY = 'drain-test-api-key-0001';
const SLOW_MS = 1500;
let sandbox: Sandbox;
let server: Server;
let sandboxUrl: string;
/** `METHOD /path` of every request as it reaches the sandbox (before any latency fault). */
const arrivals: string[] = [];
const gateways: GatewayProcess[] = [];

beforeAll(async () => {
  sandbox = createSandbox({ apiKey: API_KEY, autoAdvance: false, logger: silentLogger, seed: 4 });
  server = createServer(
    createServerAdapter((request: Request) => {
      arrivals.push(`${request.method} ${new URL(request.url).pathname}`);
      return sandbox.handle(request);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sandboxUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const g of gateways.splice(0)) g.kill();
  sandbox.faults.reset();
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await sandbox?.close();
});

async function startGateway(): Promise<{ gw: GatewayProcess; url: string }> {
  const gw = spawnGateway({
    PORT: '0',
    HOST: '127.0.0.1',
    AFTERSHIP_API_KEY: API_KEY,
    AFTERSHIP_BASE_URL: sandboxUrl,
    AFTERSHIP_WEBHOOK_SECRET: 'drain-test-webhook-secret',
    GATEWAY_AUTH: 'none',
    // The slow call must reach AfterShip: the warm replica would answer the lookup itself.
    REPLICA_ENABLED: 'false',
  });
  gateways.push(gw);
  const url = await gatewayUrl(gw);
  return { gw, url };
}

const graphql = (url: string, query: string) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then(
    (r) => r.json() as Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>,
  );

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A socket with the first half of `GET /readyz` sent: a request in progress, which a draining server keeps open. */
async function halfSentReadyz(url: string): Promise<{ socket: Socket; finish(): Promise<string> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write('GET /readyz HTTP/1.1\r\nHost: gateway\r\n');
  let answer = '';
  socket.setEncoding('utf8').on('data', (c: string) => (answer += c));
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    async finish() {
      socket.write('Connection: close\r\n\r\n');
      await ended;
      return answer;
    },
  };
}

/**
 * What a new connection gets: the error, or 'answered'. (The kernel may complete a TCP handshake into
 * the backlog just before the listener closes; such a connection is reset, never answered.)
 */
function newConnectionGets(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname);
    s.once('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n'));
    s.once('data', () => (s.destroy(), resolve('answered')));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    s.once('close', () => resolve('closed unanswered'));
  });
}

describe('SIGTERM drains a real gateway process', () => {
  it('finishes the slow query, sends WebSockets 1001, completes SSE, answers /readyz 503, refuses new connections, exits 0', async () => {
    const { gw, url } = await startGateway();
    await until(() => gw.lines.some((l) => l.msg === 'AfterShip answers with the configured credentials'), 'the first AfterShip probe');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const id = sandbox.store.list()[0].id!;

    // A graphql-ws subscriber.
    const closes: { code: number; reason: string }[] = [];
    let connected = false;
    const client = createClient({
      url: url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      on: { connected: () => (connected = true), closed: (e) => void closes.push(e as { code: number; reason: string }) },
    });
    const wsErrors: unknown[] = [];
    client.subscribe({ query: 'subscription { trackingEvents { eventId } }' }, { next: () => undefined, error: (e) => void wsErrors.push(e), complete: () => undefined });
    await until(() => connected, 'the WebSocket to connect');

    // An SSE subscriber, read to its end.
    const sse = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { trackingEvents { eventId } }' }),
    });
    expect(sse.status).toBe(200);
    const sseText = sse.text();

    // The slow query, in flight at the sandbox when the signal comes.
    sandbox.faults.set({ latencyMs: SLOW_MS, endpoints: ['GET /trackings/:id'] });
    const query = graphql(url, `{ tracking(id: "${id}") { aftershipId trackingNumber } }`);
    await until(() => arrivals.includes(`GET /tracking/2026-07/trackings/${id}`), 'the slow call to reach the sandbox');
    const readyz = await halfSentReadyz(url);

    gw.child.kill('SIGTERM');
    await gw.waitForLine((l) => l.msg.startsWith('Draining'), 'the drain to begin');
    expect(await newConnectionGets(url)).not.toBe('answered');
    const answer = await readyz.finish();
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ ready: false, reason: 'draining', draining: true });

    const result = await query;
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ tracking: { aftershipId: id, trackingNumber: expect.any(String) } });
    await until(() => closes.length > 0, 'the WebSocket to close');
    expect(closes[0]).toMatchObject({ code: 1001, reason: expect.stringContaining('shutting down') });
    expect(await sseText).toMatch(/event: complete\n/);

    expect(await gw.exited).toBe(0);
    const drained = gw.lines.find((l) => l.msg.startsWith('Drained'));
    expect(drained).toMatchObject({ level: 'info', cut: 0, websockets: 1 });
    // With retries off, graphql-ws hands the subscription the close itself (a client with retries reconnects).
    expect(wsErrors).toHaveLength(1);
    expect(wsErrors[0]).toMatchObject({ code: 1001 });
    await client.dispose();
  }, 90_000);

  it('exits at once on a second signal, cutting what is in flight', async () => {
    const { gw, url } = await startGateway();
    const id = sandbox.store.list()[1].id!;
    sandbox.faults.set({ latencyMs: 20_000, endpoints: ['GET /trackings/:id'] });
    const query = graphql(url, `{ tracking(id: "${id}") { aftershipId } }`).catch((e: unknown) => e);
    await until(() => arrivals.includes(`GET /tracking/2026-07/trackings/${id}`), 'the slow call to reach the sandbox');

    gw.child.kill('SIGTERM');
    await gw.waitForLine((l) => l.msg.startsWith('Draining'), 'the drain to begin');
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toBe(143);
    expect(gw.lines.some((l) => l.msg === 'Received SIGTERM again: exiting now')).toBe(true);
    expect(await query).toBeInstanceOf(Error); // the connection went with the process
  }, 90_000);
});

describe('App.drain() in process', () => {
  it('answers a query in flight over graphql-ws before closing its socket with 1001', async () => {
    const { startGateway: startInProcess } = await import('./helpers/gateway.js');
    const called: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      called.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    const gw = await startInProcess({ sandbox: { seed: 3 }, deps: { fetch: recordingFetch } });
    const id = gw.sandbox.store.list()[0].id!;
    gw.sandbox.faults.set({ latencyMs: 800, endpoints: ['GET /trackings/:id'] });
    const events: string[] = [];
    const client = createClient({
      url: gw.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      on: { closed: (e) => void events.push(`closed ${(e as { code: number }).code}`) },
    });
    client.subscribe({ query: 'subscription { trackingEvents { eventId } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    const answer = new Promise<unknown>((resolve, reject) =>
      client.subscribe(
        { query: `{ tracking(id: "${id}") { aftershipId } }` },
        { next: (r) => (events.push('answer'), resolve(r)), error: reject, complete: () => undefined },
      ),
    );
    await until(() => called.some((u) => u.includes(`/trackings/${id}`)), 'the query to reach AfterShip');

    const report = await gw.app.drain();
    expect(await answer).toEqual({ data: { tracking: { aftershipId: id } } });
    await until(() => events.length === 2, 'the socket to close');
    expect(events).toEqual(['answer', 'closed 1001']);
    expect(report).toMatchObject({ cut: 0, websockets: 1 });
    expect(gw.app.ops.readiness()).toMatchObject({ ready: false, draining: true });
    await client.dispose();
    await gw.close();
  });
});
