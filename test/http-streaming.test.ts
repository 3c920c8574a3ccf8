/**
 * Streamed responses (SSE subscriptions) are served by yoga's own Node bridge (@whatwg-node/server):
 * a streamed body is pulled only as fast as the client takes it, and a subscription whose client has
 * gone is ended (its pubsub watcher released) instead of living on.
 */
import { createServer, get, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const CHUNK = new Uint8Array(64 * 1024).fill(97);
const TOTAL = 2000; // 128 MB if it were all read

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Waits until `read()` has not changed for a while, and returns its value. */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  for (let same = 0; same < 10; ) {
    await new Promise((r) => setTimeout(r, 20));
    const now = read();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("yoga's Node bridge", () => {
  it('pulls a streamed body only as fast as a paused client drains it', async () => {
    let pulled = 0;
    const adapter = createServerAdapter(() => {
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (pulled >= TOTAL) return controller.close();
            pulled++;
            controller.enqueue(CHUNK);
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(body, { headers: { 'content-type': 'application/octet-stream' } });
    });
    server = createServer(adapter);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const res = await new Promise<{ res: IncomingMessage; destroy: () => void }>((resolve) => {
      const req = get(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/`, (r) => resolve({ res: r, destroy: () => req.destroy() }));
      req.on('error', () => undefined); // destroy() below
    });
    res.res.pause();
    // Socket and stream buffers hold some chunks, nowhere near the whole body.
    expect(await settled(() => pulled)).toBeLessThan(TOTAL / 4);
    res.destroy();
  });
});

describe('SSE subscriptions through the gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ sandbox: { seed: 3 } });
  });
  afterAll(() => gw?.close());

  /** Opens an SSE subscription on one tracking with a raw HTTP request; resolves once the stream started. */
  function openSse(id: string): Promise<{ res: IncomingMessage; destroy: () => void }> {
    const body = JSON.stringify({ query: `subscription { trackingUpdated(id: "${id}") { tag } }` });
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        `${gw.graphqlUrl}`,
        { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(body) } },
        (res) => resolve({ res, destroy: () => req.destroy() }),
      );
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      req.end(body);
    });
  }

  it('ends the subscription when the client goes away', async () => {
    const id = gw.sandbox.store.list()[0]!.id!;
    const pubsub = gw.app.ops.account().realtime.pubsub;
    const sse = await openSse(id);
    expect(sse.res.statusCode).toBe(200);
    expect(sse.res.headers['content-type']).toContain('text/event-stream');
    await until(() => pubsub.watcherCount('default', id) === 1, 'the subscriber');
    sse.destroy();
    await until(() => pubsub.watcherCount('default', id) === 0, 'the subscription to end');
  });

  it('ends the subscription of a client that stopped reading and then went away', async () => {
    const id = gw.sandbox.store.list()[1]!.id!;
    const pubsub = gw.app.ops.account().realtime.pubsub;
    const sse = await openSse(id);
    sse.res.pause();
    await until(() => pubsub.watcherCount('default', id) === 1, 'the subscriber');
    sse.destroy();
    await until(() => pubsub.watcherCount('default', id) === 0, 'the subscription to end');
  });
});
