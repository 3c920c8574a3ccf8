/**
 * Live tracking through the whole gateway (startApp, as deployed) against the sandbox: the
 * sandbox's signed webhooks reach graphql-ws and SSE subscribers, queries after them are served
 * from the cache, and with no webhook secret polling keeps subscribers live.
 */
import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import { tagName } from '../src/schema/enums.js';
import WebSocket from 'ws';
import type { Sandbox } from '../src/sandbox/index.js';
import { signWebhookBody } from '../src/realtime/verify-signature.js';
import type { Tracking } from '../src/aftership/wire-types.js';
import { startGateway, TEST_WEBHOOK_SECRET, type TestGateway } from './helpers/gateway.js';

const ACCOUNT = 'default';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function gateway(env: Record<string, string> = {}): Promise<TestGateway> {
  // Access control is another area's subject: run these without it.
  const gw = await startGateway({ env: { GATEWAY_AUTH: 'none', ...env }, sandbox: { seed: 8, webhookRetry: { attempts: 1, baseDelayMs: 1000 } } });
  cleanups.push(() => gw.close());
  return gw;
}

function ws(gw: TestGateway): Client {
  const c = createClient({ url: gw.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  cleanups.push(() => c.dispose() as Promise<void>);
  return c;
}

function movable(sandbox: Sandbox, skip: string[] = []): string {
  const t = sandbox.store.list().find((x) => x.id && !skip.includes(x.id) && sandbox.store.plannedEvents(x.id).length > 0);
  if (!t?.id) throw new Error('no tracking left to move in the seeded sandbox');
  return t.id;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function firstSseEvent(res: Response): Promise<Record<string, unknown>> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error('SSE stream ended before an event');
      buf += value;
      const m = /event: next\ndata: (.*)\n\n/.exec(buf);
      if (m) return JSON.parse(m[1]!) as Record<string, unknown>;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

describe('live tracking through the gateway', () => {
  it('sandbox webhooks reach graphql-ws and SSE subscribers; the query after costs no AfterShip call', async () => {
    const gw = await gateway();
    const id = movable(gw.sandbox);
    const rt = gw.app.ops.account().realtime;

    const sub = ws(gw).iterate<{ trackingUpdated: { aftershipId: string; tag: string; subtag: string } }>({
      query: 'subscription ($id: ID!) { trackingUpdated(id: $id) { aftershipId tag subtag } }',
      variables: { id },
    });
    const wsNext = sub.next();
    const sse = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: `subscription { trackingEvents(filter: { trackingIds: ["${id}"] }) { eventId source tag tracking { aftershipId } } }` }),
    });
    expect(sse.status).toBe(200);
    const sseNext = firstSseEvent(sse);
    await until(() => rt.pubsub.watcherCount(ACCOUNT, id) === 2, 'both subscribers');

    const moved = await gw.sandbox.moveTracking(id);
    const attempts = gw.sandbox.webhooks.all().filter((w) => w.trackingId === id);
    expect(attempts.map((w) => w.status)).toEqual([200]);

    expect((await wsNext).value?.data?.trackingUpdated).toEqual({ aftershipId: id, tag: tagName(moved!.tag!), subtag: moved!.subtag });
    expect(await sseNext).toEqual({ data: { trackingEvents: { eventId: attempts[0]!.eventId, source: 'WEBHOOK', tag: tagName(moved!.tag!), tracking: { aftershipId: id } } } });

    const before = gw.sandbox.requests.count();
    const q = await gw.graphql<{ tracking: { tag: string } }, never>(`{ tracking(id: "${id}") { tag subtag } }`);
    expect(q).toEqual({ data: { tracking: { tag: tagName(moved!.tag!), subtag: moved!.subtag } } });
    expect(gw.sandbox.requests.count()).toBe(before);
    await sub.return?.();
    await until(() => rt.pubsub.stats().subscribers === 0, 'subscriptions cleaned up');
  });

  it('a tracking_update followed by the edd_revise of the same change reaches a subscriber once, with both kinds and both event ids', async () => {
    // A window far longer than the gap between the two posts, however loaded the machine.
    const gw = await gateway({ REALTIME_COALESCE_MS: '1500' });
    const id = movable(gw.sandbox);
    const rt = gw.app.ops.account().realtime;
    const sub = ws(gw).iterate<{ trackingEvents: { eventId: string; eventIds: string[]; kinds: string[]; webhookEvent: string } }>({
      query: 'subscription ($ids: [ID!]) { trackingEvents(filter: { trackingIds: $ids }) { eventId eventIds kinds webhookEvent } }',
      variables: { ids: [id] },
    });
    const first = sub.next();
    await until(() => rt.pubsub.watcherCount(ACCOUNT, id) === 1, 'subscriber');
    const post = async (event: string, eventId: string, msg: Tracking, ts: number): Promise<number> => {
      const body = JSON.stringify({ event, event_id: eventId, is_tracking_first_tag: false, msg, ts });
      const res = await fetch(`${gw.app.url}/webhooks/aftership`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(TEST_WEBHOOK_SECRET, body) } });
      await res.arrayBuffer();
      return res.status;
    };
    const current = gw.sandbox.store.list().find((t) => t.id === id)!;
    const ts = Math.floor(Date.now() / 1000);
    const changed = { ...current, updated_at: new Date().toISOString(), tag: 'OutForDelivery', subtag: 'OutForDelivery_001', latest_estimated_delivery: { type: 'specific', source: 'Carrier EDD', datetime: '2031-01-02', datetime_min: null, datetime_max: null } } as Tracking;
    // As AfterShip sends them: the second after the first's 200; each id is also a repeat once.
    expect(await post('tracking_update', `u-${id}`, changed, ts)).toBe(200);
    expect(await post('edd_revise', `r-${id}`, changed, ts)).toBe(200);
    expect(await post('edd_revise', `r-${id}`, changed, ts)).toBe(200);
    const event = (await first).value?.data?.trackingEvents;
    expect(event).toEqual({ eventId: `u-${id}`, eventIds: [`u-${id}`, `r-${id}`], kinds: expect.arrayContaining(['STATUS_CHANGED', 'EDD_REVISED']), webhookEvent: 'tracking_update' });
    // The next delivery is the next change: nothing else was queued for the first.
    const second = sub.next();
    const later = { ...changed, updated_at: new Date(Date.now() + 1000).toISOString(), tag: 'Delivered', subtag: 'Delivered_001' } as Tracking;
    expect(await post('tracking_update', `u2-${id}`, later, ts + 1)).toBe(200);
    expect((await second).value?.data?.trackingEvents).toMatchObject({ eventIds: [`u2-${id}`], kinds: ['STATUS_CHANGED'] });
    await sub.return?.();
  });

  it('with no webhook secret, refuses the sandbox webhooks and still delivers the change by polling', async () => {
    const gw = await gateway({ AFTERSHIP_WEBHOOK_SECRET: '' });
    const rt = gw.app.ops.account().realtime;
    expect(rt.polling()).toBe(true);
    const id = movable(gw.sandbox);
    const sub = ws(gw).iterate<{ trackingEvents: { source: string; tag: string; eventId: string } }>({
      query: 'subscription ($ids: [ID!]) { trackingEvents(filter: { trackingIds: $ids }) { source tag eventId } }',
      variables: { ids: [id] },
    });
    const next = sub.next();
    await until(() => rt.pubsub.watcherCount(ACCOUNT, id) === 1, 'subscriber');
    // The new watch fetched a baseline in the background lane.
    await until(() => gw.sandbox.requests.count({ endpoint: 'GET /trackings/:id' }) >= 1, 'baseline fetch');
    await rt.pollNow();

    const moved = await gw.sandbox.moveTracking(id);
    expect(gw.sandbox.webhooks.all().filter((w) => w.trackingId === id).map((w) => w.status)).toEqual([401]);
    await rt.pollNow(); // what the poll timer does every intervalMs
    const event = (await next).value?.data?.trackingEvents;
    expect(event).toMatchObject({ source: 'POLL', tag: tagName(moved!.tag!) });
    expect(event?.eventId).toMatch(new RegExp(`^poll:${id}:`));
    await sub.return?.();
  });
});
