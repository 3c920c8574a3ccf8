/**
 * Live tracking against the real sandbox (the AfterShip emulator): its signed webhooks drive
 * subscriptions, and without a webhook secret polling does. The gateway side is built here from
 * the same parts the app wires: yoga + graphql-ws on /graphql, the receiver on /webhooks/aftership.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { createYoga } from 'graphql-yoga';
import { afterEach, describe, expect, it } from 'vitest';
import { tagName } from '../src/schema/enums.js';
import WebSocket, { WebSocketServer } from 'ws';
import { createAfterShipClient } from '../src/aftership/client.js';
import { createGatewayCache } from '../src/cache/index.js';
import { createContext } from '../src/context.js';
import { bindGraphQLWebSocket } from '../src/http/websocket.js';
import { ManualClock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/logger.js';
import { createRealtime, type Realtime } from '../src/realtime/index.js';
import { serveAfterShipWebhooks } from '../src/http/webhook-route.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { schema } from '../src/schema/index.js';
import { maskError } from '../src/schema/error-mapping.js';

const ACCOUNT = 'acct-sandbox';
const API_KEY = 'asat_realtime_sandbox_key';
const SECRET = 'whsec-sandbox-0123456789';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  sandbox: Sandbox;
  rt: Realtime;
  clock: ManualClock;
  ws: Client;
  url: string;
}

async function setup(gatewaySecret: string | undefined): Promise<Setup> {
  const sandbox = createSandbox({ apiKey: API_KEY, seed: 8, clock: new ManualClock(), autoAdvance: false, webhookRetry: { attempts: 1, baseDelayMs: 1000 } });
  const sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  cleanups.push(() => sandbox.close());
  const client = createAfterShipClient({ baseUrl: sandboxUrl, auth: { kind: 'api-key', apiKey: API_KEY } });
  const cache = createGatewayCache();
  const clock = new ManualClock(Date.now());
  const rt = createRealtime({ cache, client, accountId: ACCOUNT, webhookSecret: gatewaySecret, clock, polling: { intervalMs: 1000 } });
  const yoga = createYoga<Record<string, never>>({
    schema,
    logging: false,
    maskedErrors: { maskError },
    context: () => createContext({ client, cache, accountId: ACCOUNT, logger: silentLogger, pubsub: rt.pubsub }),
  });
  const server: Server = createServer(serveAfterShipWebhooks(rt.receiveWebhook)(yoga.requestListener));
  const disposeWs = bindGraphQLWebSocket(yoga, new WebSocketServer({ server, path: '/graphql' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(async () => {
    await rt.stop();
    await disposeWs();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  // The sandbox signs with SECRET; a gateway without a secret must refuse every delivery.
  sandbox.setWebhookTarget(`${url}/webhooks/aftership`, SECRET);
  const ws = createClient({ url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  cleanups.push(() => ws.dispose() as Promise<void>);
  return { sandbox, rt, clock, ws, url };
}

function movable(sandbox: Sandbox): string {
  const t = sandbox.store.list().find((x) => x.id && sandbox.store.plannedEvents(x.id).length > 0);
  if (!t?.id) throw new Error('the seeded sandbox has no tracking left to move');
  return t.id;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Updated {
  trackingUpdated: { aftershipId: string; tag: string; subtag: string; checkpoints: { subtag: string }[] };
}

describe('live tracking with the sandbox', () => {
  it('a sandbox webhook reaches the subscriber with the new state; a query after it costs no AfterShip call', async () => {
    const { sandbox, rt, ws, url } = await setup(SECRET);
    const id = movable(sandbox);
    const it = ws.iterate<Updated>({ query: 'subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId tag subtag checkpoints { subtag } } }', variables: { id } });
    const next = it.next();
    await until(() => rt.pubsub.watcherCount(ACCOUNT, id) === 1, 'subscription');

    const moved = await sandbox.moveTracking(id);
    expect(moved).toBeDefined();
    const delivery = sandbox.webhooks.all().find((w) => w.trackingId === id);
    expect(delivery?.status).toBe(200);
    const r = await next;
    expect(r.value?.data?.trackingUpdated).toMatchObject({ aftershipId: id, tag: tagName(moved!.tag!), subtag: moved!.subtag });
    expect(r.value?.data?.trackingUpdated.checkpoints.length).toBe(moved!.checkpoints?.length);

    const before = sandbox.requests.count();
    const q = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ tracking(id: "${id}") { tag subtag } }` }),
    });
    expect(await q.json()).toEqual({ data: { tracking: { tag: tagName(moved!.tag!), subtag: moved!.subtag } } });
    expect(sandbox.requests.count()).toBe(before);
    await it.return?.();
  });

  it('without a webhook secret the sandbox webhooks are refused, and polling still delivers the change', async () => {
    const { sandbox, rt, clock, ws } = await setup(undefined);
    const id = movable(sandbox);
    const it = ws.iterate<{ trackingEvents: { source: string; tag: string; kinds: string[]; tracking: { aftershipId: string } } }>({
      query: 'subscription ($ids: [ID!]) { trackingEvents(filter: { trackingIds: $ids }) { source tag kinds tracking { aftershipId } } }',
      variables: { ids: [id] },
    });
    const next = it.next();
    await until(() => rt.pubsub.watcherCount(ACCOUNT, id) === 1, 'subscription');
    await until(() => sandbox.requests.count({ endpoint: 'GET /trackings/:id' }) === 1, 'baseline poll');
    await rt.pollNow();

    const moved = await sandbox.moveTracking(id);
    expect(sandbox.webhooks.all().filter((w) => w.trackingId === id).map((w) => w.status)).toEqual([401]);
    clock.advance(1000);
    const r = await next;
    expect(r.value?.data?.trackingEvents).toMatchObject({ source: 'POLL', tag: tagName(moved!.tag!), tracking: { aftershipId: id } });
    expect(r.value?.data?.trackingEvents.kinds.length).toBeGreaterThan(0);
    await it.return?.();
  });
});
