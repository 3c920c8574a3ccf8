/**
 * End to end over real sockets: an HTTP server with yoga (queries, SSE subscriptions), graphql-ws
 * on /graphql and the webhook receiver on /webhooks/aftership, the real AfterShip client talking
 * to a fake AfterShip (fetch-level), and the test signing webhooks the way AfterShip does.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { createYoga } from 'graphql-yoga';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createAfterShipClient } from '../src/aftership/client.js';
import type { Checkpoint, Tracking } from '../src/aftership/wire-types.js';
import { createGatewayCache } from '../src/cache/index.js';
import { createContext } from '../src/context.js';
import { bindGraphQLWebSocket } from '../src/http/websocket.js';
import { ManualClock, systemClock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/logger.js';
import { createRealtime, signWebhookBody, type Realtime } from '../src/realtime/index.js';
import { serveAfterShipWebhooks } from '../src/http/webhook-route.js';
import { schema } from '../src/schema/index.js';
import { maskError } from '../src/schema/error-mapping.js';
import { createFakeAfterShip, type FakeAfterShip } from './helpers/fake-aftership.js';

const ACCOUNT = 'acct-e2e';
const SECRET = 'whsec-e2e-0123456789';

interface Harness {
  url: string;
  wsUrl: string;
  fake: FakeAfterShip;
  rt: Realtime;
  clock: ManualClock;
  close(): Promise<void>;
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function start(options: { webhookSecret?: string } = {}): Promise<Harness> {
  const fake = createFakeAfterShip({ clock: systemClock, enforceLimits: false });
  const client = createAfterShipClient({ baseUrl: 'http://aftership.test', auth: { kind: 'api-key', apiKey: 'test-key' }, fetch: fake.fetch });
  const cache = createGatewayCache();
  const clock = new ManualClock(Date.now());
  const rt = createRealtime({ cache, client, accountId: ACCOUNT, webhookSecret: options.webhookSecret, clock, polling: { intervalMs: 1000, staleAfterMs: 60_000 } });
  const yoga = createYoga<Record<string, never>>({
    schema,
    graphqlEndpoint: '/graphql',
    logging: false,
    maskedErrors: { maskError },
    context: () => createContext({ client, cache, accountId: ACCOUNT, logger: silentLogger, pubsub: rt.pubsub }),
  });
  const server: Server = createServer(serveAfterShipWebhooks(rt.receiveWebhook)(yoga.requestListener));
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const disposeWs = bindGraphQLWebSocket(yoga, wss, { keepAliveMs: 5000 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const h: Harness = {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    fake,
    rt,
    clock,
    async close() {
      await rt.stop();
      await disposeWs();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  open.push(h.close);
  return h;
}

function wsClient(h: Harness): Client {
  const c = createClient({ url: h.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  open.push(async () => {
    await c.dispose();
  });
  return c;
}

function checkpoint(day: number, tag: string, subtag: string): Checkpoint {
  return { checkpoint_time: `2026-03-${String(day).padStart(2, '0')}T09:00:00-05:00`, message: `${subtag} scan`, tag, subtag, slug: 'ups', hash: `h-${day}-${subtag}` } as Checkpoint;
}

function version(day: number, tag: string, subtag: string, extra: Checkpoint[] = []): Tracking {
  return {
    id: 'f'.repeat(32),
    legacy_id: 'k'.repeat(24),
    tracking_number: '1Z999AA10123456784',
    slug: 'ups',
    title: 'Order 1',
    active: true,
    created_at: '2026-03-01T10:00:00+00:00',
    updated_at: `2026-03-${String(day).padStart(2, '0')}T10:00:00+00:00`,
    tag,
    subtag,
    shipment_tags: ['vip'],
    checkpoints: [checkpoint(1, 'InfoReceived', 'InfoReceived_001'), ...extra],
  } as Tracking;
}

let n = 0;
async function deliver(h: Harness, t: Tracking, opts: { eventId?: string; secret?: string; event?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = JSON.stringify({
    event: opts.event ?? 'tracking_update',
    event_id: opts.eventId ?? `e2e-${++n}`,
    is_tracking_first_tag: true,
    msg: t,
    ts: Math.floor(Date.parse(t.updated_at!) / 1000),
  });
  const res = await fetch(`${h.url}/webhooks/aftership`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(opts.secret ?? SECRET, body), 'as-webhook-version': '2026-07' },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Reads SSE `next` events from a yoga subscription response. */
async function* sse(res: Response): AsyncGenerator<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buf += value;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        const event = /^event: (.*)$/m.exec(block)?.[1];
        if (event === 'complete') return;
        if (data) yield JSON.parse(data) as { data?: Record<string, unknown> };
      }
    }
  } finally {
    // Leaving the stream closes the HTTP response: yoga ends the subscription.
    await reader.cancel().catch(() => undefined);
  }
}

const TRACKING_UPDATED = /* GraphQL */ `
  subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId tag subtag checkpoints { subtag } } }
`;
const TRACKING_EVENTS = /* GraphQL */ `
  subscription ($filter: TrackingEventFilter) {
    trackingEvents(filter: $filter) {
      eventId source kinds previousTag tag newCheckpoints { subtag } tracking { aftershipId tag }
    }
  }
`;

describe('live tracking end to end', () => {
  it('a signed webhook reaches graphql-ws and SSE subscribers; a query right after costs no AfterShip call', async () => {
    const h = await start({ webhookSecret: SECRET });
    const id = 'f'.repeat(32);
    // Known state first (as if queried earlier).
    expect((await deliver(h, version(2, 'InTransit', 'InTransit_002', [checkpoint(2, 'InTransit', 'InTransit_002')]))).status).toBe(200);

    const ws = wsClient(h);
    const updates = ws.iterate({ query: TRACKING_UPDATED, variables: { id: encodeGlobalID('Tracking', id) } });
    const updatesNext = updates.next();
    const sseRes = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: TRACKING_EVENTS, variables: { filter: { kinds: ['STATUS_CHANGED'], slugs: ['ups'] } } }),
    });
    expect(sseRes.headers.get('content-type')).toContain('text/event-stream');
    const events = sse(sseRes);
    const eventsNext = events.next();
    await until(() => h.rt.pubsub.stats().subscribers === 2, 'both subscriptions');

    const before = h.fake.count();
    const res = await deliver(h, version(3, 'OutForDelivery', 'OutForDelivery_001', [checkpoint(2, 'InTransit', 'InTransit_002'), checkpoint(3, 'OutForDelivery', 'OutForDelivery_001')]), { eventId: 'evt-ofd' });
    expect(res).toEqual({ status: 200, body: { status: 'accepted', eventId: 'evt-ofd' } });

    const u = await updatesNext;
    expect(u.value).toEqual({ data: { trackingUpdated: { aftershipId: id, tag: 'OUT_FOR_DELIVERY', subtag: 'OutForDelivery_001', checkpoints: [{ subtag: 'InfoReceived_001' }, { subtag: 'InTransit_002' }, { subtag: 'OutForDelivery_001' }] } } });
    const e = await eventsNext;
    expect(e.value).toEqual({
      data: {
        trackingEvents: {
          eventId: 'evt-ofd',
          source: 'WEBHOOK',
          kinds: ['STATUS_CHANGED', 'NEW_CHECKPOINT'],
          previousTag: 'IN_TRANSIT',
          tag: 'OUT_FOR_DELIVERY',
          newCheckpoints: [{ subtag: 'OutForDelivery_001' }],
          tracking: { aftershipId: id, tag: 'OUT_FOR_DELIVERY' },
        },
      },
    });

    const q = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ tracking(id: "' + id + '") { tag subtag } }' }),
    });
    expect(await q.json()).toEqual({ data: { tracking: { tag: 'OUT_FOR_DELIVERY', subtag: 'OutForDelivery_001' } } });
    expect(h.fake.count()).toBe(before);
    expect(before).toBe(0);

    await updates.return?.();
    await until(() => h.rt.pubsub.stats().subscribers === 1, 'graphql-ws subscription cleaned up');
    await events.return(undefined);
    await until(() => h.rt.pubsub.stats().subscribers === 0, 'SSE subscription cleaned up');
  });

  it('a forged webhook is refused and delivers nothing; a retried one is delivered once; a reordered one does not roll back', async () => {
    const h = await start({ webhookSecret: SECRET });
    const id = 'f'.repeat(32);
    const ws = wsClient(h);
    const it = ws.iterate<{ trackingEvents: { eventId: string; tag: string } }>({
      query: 'subscription ($f: TrackingEventFilter) { trackingEvents(filter: $f) { eventId tag } }',
      variables: { f: { trackingIds: ['k'.repeat(24)] } }, // by legacy id
    });
    const received: string[] = [];
    const reading = (async () => {
      for await (const r of it) {
        received.push(`${r.data!.trackingEvents.eventId}:${r.data!.trackingEvents.tag}`);
        if (r.data!.trackingEvents.eventId === 'last') return;
      }
    })();
    await until(() => h.rt.pubsub.stats().subscribers === 1, 'subscription');

    const forged = await deliver(h, version(9, 'Delivered', 'Delivered_001'), { secret: 'not-the-secret', eventId: 'forged' });
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'INVALID_SIGNATURE' } } });

    const v4 = version(4, 'InTransit', 'InTransit_003');
    expect((await deliver(h, v4, { eventId: 'a' })).body.status).toBe('accepted');
    expect((await deliver(h, v4, { eventId: 'a' })).body.status).toBe('duplicate');
    const v6 = version(6, 'OutForDelivery', 'OutForDelivery_001');
    expect((await deliver(h, v6, { eventId: 'b' })).body.status).toBe('accepted');
    // Arrives late: older than what the gateway holds.
    expect((await deliver(h, version(5, 'InTransit', 'InTransit_007'), { eventId: 'late' })).body.status).toBe('stale');
    expect((await deliver(h, version(7, 'Delivered', 'Delivered_001'), { eventId: 'last' })).status).toBe(200);
    await reading;
    expect(received).toEqual(['a:IN_TRANSIT', 'b:OUT_FOR_DELIVERY', 'last:DELIVERED']);

    const q = await fetch(`${h.url}/graphql?query=${encodeURIComponent(`{ tracking(id: "${id}") { tag } }`)}`);
    expect(await q.json()).toEqual({ data: { tracking: { tag: 'DELIVERED' } } });
    expect(h.fake.count()).toBe(0);
  });

  it('refuses an oversized body sent chunked (no Content-Length) with 413, over real HTTP', async () => {
    const h = await start({ webhookSecret: SECRET });
    const { hostname, port } = new URL(h.url);
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ hostname, port, path: '/webhooks/aftership', method: 'POST', headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': 'x' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 20; i++) req.write(chunk); // 1.25 MiB > the 1 MiB default
      req.end();
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('without a webhook secret, a subscriber still sees a change through polling', async () => {
    const h = await start({});
    const seeded = h.fake.seed(version(2, 'InTransit', 'InTransit_002'));
    const id = seeded.id!;
    expect((await deliver(h, version(3, 'Delivered', 'Delivered_001'))).status).toBe(401);

    const ws = wsClient(h);
    const it = ws.iterate<{ trackingEvents: { eventId: string; source: string; kinds: string[]; previousTag: string; tag: string } }>({
      query: 'subscription ($f: TrackingEventFilter) { trackingEvents(filter: $f) { eventId source kinds previousTag tag } }',
      variables: { f: { trackingIds: [id] } },
    });
    const first = it.next();
    await until(() => h.rt.pubsub.stats().subscribers === 1, 'subscription');
    await until(() => h.fake.count('GET /trackings/:id') === 1, 'baseline fetch');
    await h.rt.pollNow();

    h.fake.trackings.set(id, { ...seeded, updated_at: '2026-03-04T10:00:00+00:00', tag: 'Exception', subtag: 'Exception_013' } as Tracking);
    h.clock.advance(1000); // the poll timer fires
    const r = await first;
    expect(r.value?.data?.trackingEvents).toEqual({ eventId: `poll:${id}:2026-03-04T10:00:00+00:00`, source: 'POLL', kinds: ['STATUS_CHANGED', 'DELIVERY_EXCEPTION'], previousTag: 'IN_TRANSIT', tag: 'EXCEPTION' });
    expect(h.fake.requests.every((q) => q.endpoint === 'GET /trackings/:id')).toBe(true);

    await it.return?.();
    await until(() => h.rt.pubsub.watchedIds(ACCOUNT).length === 0, 'unwatch');
    const calls = h.fake.count();
    h.clock.advance(5000);
    await h.rt.pollNow();
    expect(h.fake.count()).toBe(calls);
  });
});
