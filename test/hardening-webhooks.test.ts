/**
 * The webhook receiver under slow and hostile senders, through the whole gateway: a body trickled a
 * byte at a time is cut off at the body deadline; deliveries beyond the concurrency cap get 503 with
 * Retry-After; a signed webhook whose tracking lacks what the graph needs, or whose `ts` is no date, is
 * refused with 400 and changes nothing (cache, subscribers, later queries).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import { signWebhookBody } from '../src/realtime/verify-signature.js';
import { trackingPayloadProblems } from '../src/realtime/webhook-payload.js';
import { startGateway, TEST_WEBHOOK_SECRET, type TestGateway } from './helpers/gateway.js';

const BODY_TIMEOUT_MS = 400;

/** Opens a socket and sends a webhook's headers announcing `length` bytes, then `first` of the body. */
function openDelivery(url: string, length: number, first = '{'): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /webhooks/aftership HTTP/1.1\r\nHost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n` +
          `aftership-hmac-sha256: ${'A'.repeat(44)}\r\n\r\n${first}`,
      );
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** Everything the server sends until it closes the socket (or `limitMs` passes). */
function readUntilClosed(socket: Socket, limitMs: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    const timer = setTimeout(() => resolve({ text, closed: false }), limitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
  });
}

async function deliver(gw: TestGateway, msg: unknown, ts: unknown = Math.floor(Date.now() / 1000), eventId = `evt-${Math.random()}`) {
  const body = JSON.stringify({ event: 'tracking_update', event_id: eventId, is_tracking_first_tag: false, msg, ts });
  const res = await fetch(`${gw.url}/webhooks/aftership`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(TEST_WEBHOOK_SECRET, body) },
    body,
  });
  return { status: res.status, body: (await res.json()) as { status?: string; error?: { code: string; problems?: string[] } } };
}

describe('webhook receiver limits', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ sandbox: { seed: 4 }, env: { WEBHOOK_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS), WEBHOOK_MAX_CONCURRENT: '2' } });
  });
  afterAll(() => gw?.close());

  it('cuts a trickled body off at the body deadline (408) and closes the socket', async () => {
    const started = Date.now();
    const socket = await openDelivery(gw.url, 1000);
    const trickle = setInterval(() => socket.writable && socket.write(' '), 50);
    try {
      const { text, closed } = await readUntilClosed(socket, 15_000);
      const elapsed = Date.now() - started;
      expect(text).toMatch(/^HTTP\/1\.1 408/);
      expect(text).toContain('BODY_TIMEOUT');
      expect(closed).toBe(true);
      // The deadline is 0.4 s here: well inside the 15 s whatever the machine's load.
      expect(elapsed).toBeLessThan(15_000);
      expect(elapsed).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  });

  it('answers a body over the limit 413 and closes the connection rather than read the rest', async () => {
    // Declared too large: refused before a byte of the body is read.
    const declared = await openDelivery(gw.url, 2 * 1024 * 1024);
    try {
      const { text, closed } = await readUntilClosed(declared, 10_000);
      expect(text).toMatch(/^HTTP\/1\.1 413/);
      expect(text).toContain('PAYLOAD_TOO_LARGE');
      expect(text.toLowerCase()).toContain('x-request-id:');
      expect(closed).toBe(true);
    } finally {
      declared.destroy();
    }
    // Chunked (no Content-Length): counted as it streams, refused once past the limit while the sender still sends.
    const { hostname, port } = new URL(gw.url);
    const streamed = await new Promise<Socket>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(socket));
      socket.on('error', reject);
    });
    try {
      streamed.write(`POST /webhooks/aftership HTTP/1.1\r\nHost: ${hostname}\r\ntransfer-encoding: chunked\r\naftership-hmac-sha256: ${'A'.repeat(44)}\r\n\r\n`);
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 20 && streamed.writable; i++) streamed.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`); // 1.25 MiB, never ended
      const { text, closed } = await readUntilClosed(streamed, 10_000);
      expect(text).toMatch(/^HTTP\/1\.1 413/);
      expect(closed).toBe(true);
    } finally {
      streamed.destroy();
    }
  });

  it('answers 503 with Retry-After beyond the deliveries in flight, and serves again once they end', async () => {
    // Its own gateway: the two held deliveries must outlive any scheduling delay of a loaded machine.
    const busy = await startGateway({ sandbox: { seed: 1 }, env: { WEBHOOK_BODY_TIMEOUT_MS: '8000', WEBHOOK_MAX_CONCURRENT: '2' } });
    const slow = await Promise.all([openDelivery(busy.url, 100), openDelivery(busy.url, 100)]);
    try {
      const third = () => fetch(`${busy.url}/webhooks/aftership`, { method: 'POST', body: '{}', headers: { 'aftership-hmac-sha256': 'x' } });
      // Both are being read (the handler holds them) once the gateway has their headers: until then, a third is served.
      let res = await third();
      for (let i = 0; i < 100 && res.status !== 503; i++) {
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 20));
        res = await third();
      }
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.json()).toMatchObject({ error: { code: 'BUSY' } });
      slow.forEach((s) => s.destroy());
      let after = await third();
      for (let i = 0; i < 100 && after.status === 503; i++) {
        await after.arrayBuffer();
        await new Promise((r) => setTimeout(r, 20));
        after = await third();
      }
      expect(after.status).toBe(401); // served again: refused for its signature, not for load
    } finally {
      slow.forEach((s) => s.destroy());
      await busy.close();
    }
  });

  it('refuses a signed webhook missing required tracking fields, or with wrong types: nothing cached, published or broken', async () => {
    const stored = gw.sandbox.store.list()[0]!;
    const id = stored.id!;
    const before = await gw.graphql<{ tracking: { trackingNumber: string; tag: string } }, { id: string }>(
      'query ($id: ID!) { tracking(id: $id) { trackingNumber tag checkpoints { message } } }',
      { id },
    );
    expect(before.errors).toBeUndefined();
    const cache = gw.app.ops.cache;
    const account = gw.app.ops.account();
    const cachedBefore = cache.getTracking('default', id);
    const published = account.realtime.pubsub.stats().published;
    const newer = new Date(Date.now() + 60_000).toISOString();

    const { tracking_number: _n, ...noNumber } = { ...stored, updated_at: newer };
    const missing = await deliver(gw, noNumber);
    expect(missing.status).toBe(400);
    expect(missing.body.error?.code).toBe('INVALID_WEBHOOK');
    expect(missing.body.error?.problems).toContain('msg.tracking_number must be a non-empty string');

    const wrongTypes: [string, Record<string, unknown>][] = [
      ['transit_time', { transit_time: 1.5 }],
      ['order_tags', { order_tags: 'fragile' }],
      ['checkpoints[0]', { checkpoints: [{ message: { text: 'scan' } }] }],
      ['checkpoints[0]', { checkpoints: [null] }],
      ['created_at', { created_at: 'yesterday' }],
      ['shipment_weight', { shipment_weight: { unit: 'kg', value: 'heavy' } }],
    ];
    for (const [field, over] of wrongTypes) {
      const r = await deliver(gw, { ...stored, updated_at: newer, ...over });
      expect(r.status, field).toBe(400);
      expect(r.body.error?.problems?.join('\n'), field).toContain(`msg.${field}`);
    }

    // A ts no date can hold: 4xx, not cached.
    for (const ts of [1e20, -5, 'soon']) {
      const r = await deliver(gw, { ...stored, updated_at: newer, tag: 'Delivered' }, ts);
      expect(r.status, String(ts)).toBe(400);
    }

    expect(cache.getTracking('default', id)).toEqual(cachedBefore);
    expect(account.realtime.pubsub.stats().published).toBe(published);
    const after = await gw.graphql('query ($id: ID!) { tracking(id: $id) { trackingNumber tag checkpoints { message } } }', { id });
    expect(after).toEqual(before);
  });

  it('every tracking the sandbox sends passes the payload check', () => {
    const all = gw.sandbox.store.list() as unknown as Record<string, unknown>[];
    expect(all.length).toBeGreaterThan(0);
    for (const t of all) expect(trackingPayloadProblems(t), String(t.id)).toEqual([]);
    const minimal = { id: 'x'.repeat(32), tracking_number: '1Z', slug: 'ups' } satisfies Partial<Tracking>;
    expect(trackingPayloadProblems(minimal)).toEqual([]);
  });
});
