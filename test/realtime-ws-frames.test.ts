/**
 * Shared subscribers' `next` messages are framed by the gateway itself (websocket.ts writes one
 * buffer per subscriber: the frame header, the subscriber's id, the event's shared bytes). Read here
 * by graphql-ws's own client over `ws`, which checks every frame: payloads in each of the three
 * WebSocket length encodings (7-bit, 16-bit, 64-bit), with multi-byte UTF-8, arrive whole and
 * identical for every subscriber of the execution, between the gateway's own frames (acks, pings).
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
