/**
 * Shared subscribers' `next` messages are framed by the gateway itself (websocket.ts writes one
 * buffer per subscriber: the frame header, the subscriber's id, the event's shared bytes). Read here
 * by graphql-ws's own client over `ws`, which checks every frame: payloads in each of the three
 * WebSocket length encodings (7-bit, 16-bit, 64-bit), with multi-byte UTF-8, arrive whole and
 * identical for every subscriber of the execution, between the gateway's own frames (acks, pings); and
 * connections cut at the TCP level just before a fan-out disturb neither the others nor the gateway.
 */
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Checkpoint, Tracking } from '../src/aftership/wire-types.js';
import { signWebhookBody } from '../src/realtime/verify-signature.js';
import { startGateway, TEST_WEBHOOK_SECRET, type TestGateway } from './helpers/gateway.js';

const SUBSCRIBERS = 3;
const QUERY = 'subscription ($id: ID!) { trackingUpdated(id: $id) { checkpoints { message } } }';

let gw: TestGateway;
const clients: Client[] = [];
beforeAll(async () => {
  gw = await startGateway({ env: { GATEWAY_AUTH: 'none', REALTIME_COALESCE_MS: '0' }, sandbox: { seed: 5 } });
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await gw?.close();
});

type Next = { trackingUpdated: { checkpoints: { message: string }[] } };

describe('hand-framed next messages', () => {
  it('arrive whole in every length encoding, with multi-byte text, to every subscriber of the shared execution', async () => {
    const base = gw.sandbox.store.list()[0] as Tracking;
    const id = base.id!;
    const template = (base.checkpoints ?? [])[0] as Checkpoint;
    const received: Next[][] = Array.from({ length: SUBSCRIBERS }, () => []);
    const waiters: (() => void)[] = [];
    const failures: unknown[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      // Short ids (graphql-ws makes UUIDs), so that the smallest event fits a 7-bit length.
      const client = createClient({ url: gw.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, generateID: () => String(i) });
      clients.push(client);
      client.subscribe<Next>({ query: QUERY, variables: { id } }, {
        next: (r) => {
          received[i]!.push(r.data as Next);
          waiters.splice(0).forEach((w) => w());
        },
        // A malformed frame closes the socket (ws refuses it): the wait below stops on it.
        error: (e) => {
          failures.push(e);
          waiters.splice(0).forEach((w) => w());
        },
        complete: () => undefined,
      });
    }
    const pubsub = gw.app.ops.account().realtime.pubsub;
    for (let i = 0; i < 200 && pubsub.stats().subscribers < SUBSCRIBERS; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pubsub.stats().subscribers).toBe(SUBSCRIBERS);

    // One checkpoint message of each size: the `next` frame's payload lands under 126 bytes, under 65,536, and over.
    const messages = ['ok', `Zugestellt – Ünïcödé 📦 ${'ä'.repeat(200)}`, `Entregado 配達済み 📦 ${'€'.repeat(30_000)}`];
    for (const [n, message] of messages.entries()) {
      const msg = { ...base, updated_at: new Date(Date.UTC(2031, 0, 1, 0, 0, n)).toISOString(), checkpoints: [{ ...template, message, hash: `frame-${n}` }] } as Tracking;
      const body = JSON.stringify({ event: 'tracking_update', event_id: `frame-${n}`, is_tracking_first_tag: false, msg, ts: 1_920_000_000 + n });
      const res = await fetch(`${gw.app.url}/webhooks/aftership`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(TEST_WEBHOOK_SECRET, body) } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      while (received.some((r) => r.length <= n)) {
        expect(failures).toEqual([]);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    }
    const expected = messages.map((message) => ({ trackingUpdated: { checkpoints: [{ message }] } }));
    for (const r of received) expect(r).toEqual(expected);
    // The frames' sizes really were in each encoding's range (the JSON is the frame's payload).
    const frameBytes = messages.map((m) => Buffer.byteLength(`{"id":"0","type":"next","payload":${JSON.stringify({ data: { trackingUpdated: { checkpoints: [{ message: m }] } } })}}`));
    expect(frameBytes[0]).toBeLessThan(126);
    expect(frameBytes[1]).toBeGreaterThanOrEqual(126);
    expect(frameBytes[1]).toBeLessThan(65_536);
    expect(frameBytes[2]).toBeGreaterThanOrEqual(65_536);
    // One execution per event for all of them.
    expect(gw.app.ops.account().realtime.pubsub.stats().subscribers).toBe(SUBSCRIBERS);
  });
});

describe('subscribers whose connections drop during a fan-out', () => {
  it('do not disturb the write to the others, nor the gateway', async () => {
    const base = gw.sandbox.store.list()[1] as Tracking;
    const id = base.id!;
    const query = 'subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId updatedAt } }';
    const pubsub = gw.app.ops.account().realtime.pubsub;
    const before = pubsub.stats().subscribers;
    // Raw sockets (one subscription each), so the test can cut them at the TCP level.
    const sockets = await Promise.all(
      Array.from({ length: 200 }, () =>
        new Promise<{ ws: WebSocket; got: number }>((resolve, reject) => {
          const ws = new WebSocket(gw.wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
          const s = { ws, got: 0 };
          ws.once('error', reject);
          ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
          ws.on('message', (data) => {
            const msg = JSON.parse(String(data)) as { type: string };
            if (msg.type === 'connection_ack') {
              ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: { id } } }));
              resolve(s);
            } else if (msg.type === 'next') s.got++;
          });
        }),
      ),
    );
    for (let i = 0; i < 200 && pubsub.stats().subscribers < before + 200; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pubsub.stats().subscribers).toBe(before + 200);
    const post = async (n: number): Promise<void> => {
      const msg = { ...base, updated_at: new Date(Date.UTC(2032, 0, 1, 0, 0, n)).toISOString() } as Tracking;
      const body = JSON.stringify({ event: 'tracking_update', event_id: `drop-${n}`, is_tracking_first_tag: false, msg, ts: 1_950_000_000 + n });
      const res = await fetch(`${gw.app.url}/webhooks/aftership`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(TEST_WEBHOOK_SECRET, body) } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    };
    // Every other connection is cut (no close frame) just before the event: the gateway may write to
    // some of them before it has seen them go.
    const cut = sockets.filter((_, i) => i % 2 === 0);
    const kept = sockets.filter((_, i) => i % 2 === 1);
    for (const s of cut) s.ws.terminate();
    await post(1);
    const deadline = Date.now() + 10_000;
    while (kept.some((s) => s.got < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(kept.every((s) => s.got === 1)).toBe(true);
    // The cut ones are gone from the gateway; the next event reaches every kept one, once more.
    for (let i = 0; i < 300 && pubsub.stats().subscribers > before + kept.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pubsub.stats().subscribers).toBe(before + kept.length);
    await post(2);
    while (kept.some((s) => s.got < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(kept.map((s) => s.got)).toEqual(kept.map(() => 2));
    for (const s of kept) s.ws.close();
  });
});
