/**
 * Back-pressure on WebSocket subscribers, through the whole gateway: a client that stops reading
 * is dropped with 1013 (reconnect) once its unsent bytes pass the bound, and the 1,000 other
 * subscribers of the same tracking keep receiving every event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Checkpoint, Tracking } from '../src/aftership/wire-types.js';
import { CLOSE_TOO_SLOW } from '../src/http/websocket.js';
import { signWebhookBody } from '../src/realtime/verify-signature.js';
import { startGateway, TEST_WEBHOOK_SECRET, type TestGateway } from './helpers/gateway.js';

const OTHERS_SOCKETS = 100;
const PER_SOCKET = 10;

let gw: TestGateway;
beforeAll(async () => {
  // Every webhook below is a change of its own, delivered on its own.
  gw = await startGateway({ env: { REALTIME_COALESCE_MS: '0' }, sandbox: { seed: 3 } });
});
afterAll(async () => {
  await gw?.close();
});

/** A graphql-transport-ws client by hand: `subs` subscriptions of `query` on one socket; counts `next` per subscription. */
async function rawSubscriber(query: string, variables: Record<string, unknown>, subs: number): Promise<{ ws: WebSocket; counts: number[]; closed: Promise<number> }> {
  const ws = new WebSocket(gw.wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
  const counts = new Array<number>(subs).fill(0);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { type: string; id?: string };
      if (msg.type === 'connection_ack') {
        for (let j = 0; j < subs; j++) ws.send(JSON.stringify({ id: `s${j}`, type: 'subscribe', payload: { query, variables } }));
        resolve();
      } else if (msg.type === 'next') counts[Number(msg.id!.slice(1))]!++;
      else if (msg.type === 'ping') ws.send('{"type":"pong"}');
    });
  });
  return { ws, counts, closed };
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a subscriber that stops reading', () => {
  it('is dropped with 1013 while 1,000 others of the same tracking keep receiving every event', async () => {
    const base = gw.sandbox.store.list()[0] as Tracking;
    const id = base.id!;
    const pubsub = gw.app.ops.account().realtime.pubsub;
    // The stalled one asks for every checkpoint (large events); the others for the id only.
    const stalled = await rawSubscriber('subscription ($id: ID!) { trackingUpdated(id: $id) { checkpoints { message location } } }', { id }, 1);
    const others = await Promise.all(Array.from({ length: OTHERS_SOCKETS }, () => rawSubscriber('subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId } }', { id }, PER_SOCKET)));
    await until(() => pubsub.watcherCount('default', id) === 2 && pubsub.stats().subscribers === 1 + OTHERS_SOCKETS * PER_SOCKET, 'every subscriber');
    // Stop reading: the kernel's buffers fill, then the gateway's.
    stalled.ws.pause();

    const template = (base.checkpoints ?? [])[0] as Checkpoint;
    const checkpoints = Array.from({ length: 300 }, (_, i) => ({ ...template, message: `${'Arrived at the sorting facility, waiting for the next leg. '.repeat(8)}#${i}`, hash: `bp-${i}` }));
    let posted = 0;
    // Each event is ~200 KB to the stalled client: loopback buffers hold a few MB, the gateway 1 MiB more.
    while (pubsub.watcherCount('default', id) === 2) {
      if (posted >= 300) throw new Error('the stalled subscriber was never dropped');
      const msg = { ...base, updated_at: new Date(Date.UTC(2030, 0, 1, 0, 0, posted)).toISOString(), checkpoints } as Tracking;
      const body = JSON.stringify({ event: 'tracking_update', event_id: `bp-${posted}`, is_tracking_first_tag: false, msg, ts: 1_900_000_000 + posted });
      const res = await fetch(`${gw.app.url}/webhooks/aftership`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(TEST_WEBHOOK_SECRET, body) } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      posted++;
      // Let the event reach the sockets before the next one (the others read as fast as they can).
      await until(() => others.every((o) => o.counts.every((n) => n === posted)), `event ${posted} at the others`);
    }
    // The others got every event, the stalled one's execution is gone; one more event reaches them all.
    expect(pubsub.watcherCount('default', id)).toBe(1);
    const body = JSON.stringify({ event: 'tracking_update', event_id: 'bp-last', is_tracking_first_tag: false, msg: { ...base, updated_at: new Date(Date.UTC(2031, 0, 1)).toISOString() }, ts: 1_900_001_000 });
    await fetch(`${gw.app.url}/webhooks/aftership`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(TEST_WEBHOOK_SECRET, body) } });
    await until(() => others.every((o) => o.counts.every((n) => n === posted + 1)), 'the last event at the others');
    // Reading again, the client finds the close frame behind its backlog: 1013, reconnect.
    stalled.ws.resume();
    expect(await stalled.closed).toBe(CLOSE_TOO_SLOW);
    expect(stalled.counts[0]).toBeLessThan(posted);
    for (const o of [stalled, ...others]) o.ws.terminate();
  }, 120_000);
});
