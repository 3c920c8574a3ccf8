/**
 * The node ↔ fetch bridge the webhook and OAuth routes run on: a streamed response body is read
 * only as fast as the client takes it, and not at all once the client has gone.
 */
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeToFetch } from '../src/http/node-fetch-bridge.js';

const CHUNK = new Uint8Array(64 * 1024).fill(97);
const TOTAL = 2000; // 128 MB if it were all read

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server whose one route streams TOTAL chunks, counting what the bridge pulled. */
async function streamingServer(): Promise<{ url: string; pulled: () => number; cancelled: () => boolean }> {
  let pulled = 0;
  let cancelled = false;
  server = createServer((req, res) => {
    void nodeToFetch(req, res, async () => {
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (pulled >= TOTAL) return controller.close();
            pulled++;
            controller.enqueue(CHUNK);
          },
          cancel() {
            cancelled = true;
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(body, { headers: { 'content-type': 'application/octet-stream' } });
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`, pulled: () => pulled, cancelled: () => cancelled };
}

function open(url: string): Promise<{ res: IncomingMessage; destroy: () => void }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = get(url, (res) => {
      answered = true;
      resolve({ res, destroy: () => req.destroy() });
    });
    // After destroy() the request errors (socket hang up): expected then, a failure before.
    req.on('error', (e) => answered || reject(e));
  });
}

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

describe('nodeToFetch', () => {
  it('pulls the body only as fast as a paused client drains it', async () => {
    const s = await streamingServer();
    const { res, destroy } = await open(s.url);
    res.pause();
    const pulled = await settled(s.pulled);
    // Socket and stream buffers hold some chunks, nowhere near the whole body.
    expect(pulled).toBeLessThan(TOTAL / 4);
    destroy();
  });

  it('stops reading and cancels the body when the client goes away', async () => {
    const s = await streamingServer();
    const { res, destroy } = await open(s.url);
    await new Promise((resolve) => res.once('data', resolve));
    destroy();
    for (let i = 0; i < 200 && !s.cancelled(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.cancelled()).toBe(true);
    expect(await settled(s.pulled)).toBeLessThan(TOTAL);
  });
});
