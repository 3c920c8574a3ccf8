/**
 * Subscriptions refused for bad input. graphql-ws: a bad operation is answered with GraphQL errors
 * for that operation only; the socket (and the other subscriptions on it) stays open. SSE: a 4xx-kind
 * error is not an HTTP 500.
 */
import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});

async function gateway(): Promise<TestGateway> {
  const gw = await startGateway({ env: { GATEWAY_AUTH: 'none' }, sandbox: { seed: 4 } });
  cleanups.push(() => gw.close());
  return gw;
}

function ws(gw: TestGateway, closes: number[]): Client {
  const c = createClient({ url: gw.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, on: { closed: (e) => void closes.push((e as { code: number }).code) } });
  cleanups.push(() => c.dispose() as Promise<void>);
  return c;
}

/** The errors (or data) of the first result of one operation on `client`. */
function firstResult(client: Client, query: string): Promise<{ errors?: readonly { message: string; extensions?: Record<string, unknown> }[]; data?: unknown }> {
  return new Promise((resolve, reject) => {
    client.subscribe(
      { query },
      {
        next: (r) => resolve(r as never),
        error: (e) => (Array.isArray(e) ? resolve({ errors: e }) : reject(e)),
        complete: () => undefined,
      },
    );
  });
}

describe('graphql-ws errors', () => {
  it('a syntax error fails that operation with GRAPHQL_PARSE_FAILED and keeps the socket open', async () => {
    const gw = await gateway();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const closes: number[] = [];
    const client = ws(gw, closes);
    // A tracking the sandbox can move (it has planned carrier events).
    const id = gw.sandbox.store.list().find((t) => t.id && gw.sandbox.store.plannedEvents(t.id).length > 0)!.id!;

    // A live subscription on the socket, which must survive the bad operation below.
    const live = client.iterate<{ trackingUpdated: { aftershipId: string } }>({
      query: `subscription { trackingUpdated(id: "${id}") { aftershipId } }`,
    });
    const liveNext = live.next();
    for (let i = 0; i < 300 && gw.app.ops.account().realtime.pubsub.watcherCount('default', id) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(gw.app.ops.account().realtime.pubsub.watcherCount('default', id)).toBe(1);

    const bad = await firstResult(client, 'subscription { trackingUpdated(id: "x") { aftershipId }');
    expect(bad.errors?.[0]?.message).toMatch(/^Syntax Error/);
    expect(bad.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');

    const ok = await firstResult(client, '{ __typename }');
    expect(ok).toEqual({ data: { __typename: 'Query' } });
    expect(closes).toEqual([]);
    expect(gw.app.ops.account().realtime.pubsub.watcherCount('default', id)).toBe(1);
    expect(consoleError).not.toHaveBeenCalled();

    await gw.sandbox.moveTracking(id);
    expect((await liveNext).value?.data?.trackingUpdated).toEqual({ aftershipId: id });
    await live.return?.();
  });
});

describe('SSE subscription errors', () => {
  it('a subscription refused for bad input answers 200 with BAD_USER_INPUT, not 500', async () => {
    const gw = await gateway();
    const res = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { trackingUpdated(id: "not an id!") { aftershipId } }' }),
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('"code":"BAD_USER_INPUT"');
  });
});

describe('graphql-ws message size', () => {
  it('closes a socket that sends a message over 1 MiB (1009), before it is parsed', async () => {
    const gw = await gateway();
    const socket = new WebSocket(gw.wsUrl, 'graphql-transport-ws');
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.on('error', () => undefined);
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
  });
});

describe('graphql-ws sockets that never authenticate', () => {
  it('closes a socket that sends no connection_init within 3 s (4408), and one that subscribes before it (4401)', async () => {
    const gw = await gateway();
    const open = async (): Promise<{ socket: WebSocket; closed: Promise<number> }> => {
      const socket = new WebSocket(gw.wsUrl, 'graphql-transport-ws');
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.on('error', () => undefined);
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      return { socket, closed };
    };
    const silent = await open();
    const early = await open();
    const opened = Date.now();
    early.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } }));
    expect(await early.closed).toBe(4401);
    // A socket held open without a word is not kept: graphql-ws's connection-init wait.
    expect(await silent.closed).toBe(4408);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(2_500);
  });
});

describe('graphql-ws operations per connection', () => {
  it('refuses one operation past WS_MAX_OPERATIONS_PER_CONNECTION (TOO_MANY_OPERATIONS), keeps the socket, and takes one again once another ends', async () => {
    const gw = await startGateway({ env: { GATEWAY_AUTH: 'none', WS_MAX_OPERATIONS_PER_CONNECTION: '3' }, sandbox: { seed: 4 } });
    cleanups.push(() => gw.close());
    const id = gw.sandbox.store.list()[0]!.id!;
    const pubsub = gw.app.ops.account().realtime.pubsub;
    const socket = new WebSocket(gw.wsUrl, 'graphql-transport-ws');
    cleanups.push(async () => void socket.terminate());
    const messages: { id?: string; type: string; payload?: unknown }[] = [];
    let closed: number | undefined;
    socket.on('close', (code) => (closed = code));
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { id?: string; type: string }));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'connection_init' }));
    const until = async (cond: () => boolean, what: string): Promise<void> => {
      for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
      if (!cond()) throw new Error(`timed out waiting for ${what}`);
    };
    await until(() => messages.some((m) => m.type === 'connection_ack'), 'connection_ack');
    const subscribe = (sid: string): void =>
      socket.send(JSON.stringify({ id: sid, type: 'subscribe', payload: { query: 'subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId } }', variables: { id } } }));
    for (const sid of ['1', '2', '3']) subscribe(sid);
    await until(() => pubsub.stats().subscribers === 3, 'three subscribers');
    subscribe('4');
    await until(() => messages.some((m) => m.id === '4'), 'an answer to the fourth');
    const refused = messages.find((m) => m.id === '4')!;
    expect(refused.type).toBe('error');
    expect(refused.payload).toEqual([expect.objectContaining({ extensions: { code: 'TOO_MANY_OPERATIONS', limit: 3 } })]);
    expect(pubsub.stats().subscribers).toBe(3);
    // The socket and its three subscriptions are untouched; one ends, and there is room again.
    socket.send(JSON.stringify({ id: '1', type: 'complete' }));
    await until(() => pubsub.stats().subscribers === 2, 'the first one completed');
    subscribe('5');
    await until(() => pubsub.stats().subscribers === 3, 'the fifth subscribed');
    expect(messages.filter((m) => m.type === 'error')).toHaveLength(1);
    expect(closed).toBeUndefined();
  });
});
