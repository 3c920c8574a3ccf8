/**
 * The event log shared by two instances through Redis Streams: one cursor per event on every
 * instance; a consumer that leaves instance A (it disconnects, or A is drained with SIGTERM
 * mid-stream) and resumes on B with its last cursor misses nothing and sees nothing twice.
 * A is a real gateway process (src/main.ts), so the drain is the one SIGTERM starts.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { silentLogger } from '../src/lib/logger.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { gatewayUrl, spawnGateway, type GatewayProcess } from './helpers/gateway-process.js';
import { openSse } from './helpers/sse.js';
import { API_KEY, SHARED_REDIS_URL, WEBHOOK_SECRET, cleanPrefix, deliver, startInstance, subscribe, tracking, uniquePrefix, waitFor, waitForChannelSubscribers, type Subscriber } from './redis-support.js';

const prefix = uniquePrefix('eventlog');
const account = 'default';
let sandbox: Sandbox;
let sandboxUrl: string;
let b: App;
const processes: GatewayProcess[] = [];
const subs: Subscriber[] = [];

// Each webhook its own event: coalescing (REALTIME_COALESCE_MS, #15) would merge two versions of one tracking posted within its window.
const env = { REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix, REALTIME_COALESCE_MS: '0' };

async function startProcess(): Promise<{ gw: GatewayProcess; url: string }> {
  const gw = spawnGateway({
    PORT: '0',
    HOST: '127.0.0.1',
    AFTERSHIP_API_KEY: API_KEY,
    AFTERSHIP_BASE_URL: sandboxUrl,
    AFTERSHIP_WEBHOOK_SECRET: WEBHOOK_SECRET,
    GATEWAY_AUTH: 'none',
    CLIENT_MAX_CONCURRENT: '0',
    LOAD_SHED_EVENT_LOOP_LAG_MS: '0',
    ...env,
  });
  processes.push(gw);
  return { gw, url: await gatewayUrl(gw) };
}

beforeAll(async () => {
  sandbox = createSandbox({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, autoAdvance: false, logger: silentLogger, seed: 29 });
  sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  b = await startInstance(sandbox, sandboxUrl, env);
}, 60_000);

afterAll(async () => {
  for (const s of subs) await s.dispose();
  for (const p of processes) p.kill();
  await b?.stop();
  await sandbox?.close();
  await cleanPrefix(SHARED_REDIS_URL, prefix);
});

const EVENTS = `subscription($ids: [ID!], $after: String) {
  trackingEvents(filter: { trackingIds: $ids }, after: $after) { cursor eventId }
}`;
type Ev = { cursor: string; eventId: string };
const newId = (): string => randomBytes(16).toString('hex');
const at = (url: string): App => ({ url }) as App;
const eventsOf = (s: Subscriber): Ev[] => s.events.map((e) => e.trackingEvents as Ev);
const sseEvents = (got: { data: Record<string, unknown> | null }[]): Ev[] => got.map((e) => (e.data!.data as { trackingEvents: Ev }).trackingEvents);

async function post(url: string, id: string, name: string, days: number[]): Promise<void> {
  for (const d of days) expect((await deliver(at(url), `${name}-${d}`, tracking(id, d))).body.status).toBe('accepted');
}

describe('event log on Redis, two instances', () => {
  it('graphql-ws: a consumer leaves A, events arrive through B, it resumes on B and misses nothing; one cursor per event everywhere', async () => {
    const a = await startProcess();
    const id = newId();
    const onA = subscribe(at(a.url), EVENTS, { ids: [id] });
    const watcherOnB = subscribe(b, EVENTS, { ids: [id] });
    subs.push(onA, watcherOnB);
    await waitForChannelSubscribers(SHARED_REDIS_URL, `${prefix}ps:trackings:${account}`, 2);

    await post(a.url, id, 'ws', [2, 3]);
    await waitFor(() => eventsOf(onA).length === 2 && eventsOf(watcherOnB).length === 2, 10_000, 'both see two events');
    // The same event has the same cursor on both instances.
    expect(eventsOf(watcherOnB)).toEqual(eventsOf(onA));
    const last = eventsOf(onA)[1]!.cursor;
    await onA.dispose();

    await post(b.url, id, 'ws', [4, 5, 6]);
    const resumed = subscribe(b, EVENTS, { ids: [id], after: last });
    subs.push(resumed);
    await waitFor(() => eventsOf(resumed).length === 3, 10_000, 'replay on B');
    await post(a.url, id, 'ws', [7]);
    await waitFor(() => eventsOf(resumed).length === 4, 10_000, 'live event from A');
    await new Promise((r) => setTimeout(r, 200));
    expect(eventsOf(resumed).map((e) => e.eventId)).toEqual(['ws-4', 'ws-5', 'ws-6', 'ws-7']);
    expect(eventsOf(resumed)).toEqual(eventsOf(watcherOnB).slice(2));
    expect(resumed.errors).toEqual([]);
    a.gw.kill();
  }, 90_000);

  it('SSE: A is drained with SIGTERM mid-stream; the consumer resumes on B with Last-Event-ID and misses nothing', async () => {
    const a = await startProcess();
    const id = newId();
    const channel = `${prefix}ps:trackings:${account}`;
    const before = await numsub(channel);
    const first = await openSse(a.url, EVENTS, { ids: [id] });
    await waitForChannelSubscribers(SHARED_REDIS_URL, channel, before + 1);
    await post(b.url, id, 'sse', [2, 3]);
    await waitFor(() => first.got.length === 2, 10_000, 'two events on A');

    a.gw.child.kill('SIGTERM');
    await first.ended; // the drain completes SSE streams
    expect(await a.gw.exited).toBe(0);
    expect(first.got.at(-1)?.event).toBe('complete');
    const lastId = first.got.filter((e) => e.event === 'next').at(-1)!.id!;

    await post(b.url, id, 'sse', [4, 5]);
    const again = await openSse(b.url, EVENTS, { ids: [id] }, { 'last-event-id': lastId });
    await waitFor(() => again.got.length === 2, 10_000, 'replay on B');
    await post(b.url, id, 'sse', [6]);
    await waitFor(() => again.got.length === 3, 10_000, 'live on B');
    const all = [...sseEvents(first.got.filter((e) => e.event === 'next')), ...sseEvents(again.got)];
    expect(all.map((e) => e.eventId)).toEqual(['sse-2', 'sse-3', 'sse-4', 'sse-5', 'sse-6']);
    expect(again.got.map((e) => e.id)).toEqual(sseEvents(again.got).map((e) => e.cursor));
    await again.close();
  }, 90_000);

  it('the stream is trimmed by length from the size bound; a cursor before what is kept is EVENT_CURSOR_EXPIRED', async () => {
    const small = await startInstance(sandbox, sandboxUrl, { ...env, REDIS_PREFIX: `${prefix}small:`, EVENT_LOG_MAX_BYTES: String(1_048_576) });
    try {
      await waitFor(() => small.ops.scaleOut!.up(), 10_000, 'Redis connected');
      const log = small.ops.account().realtime.eventLog;
      const start = await log.tail();
      // ~1.2 KB events: the 1 MiB bound keeps several hundred; write past it (directly: this is the log's own test).
      const first = await log.append({ ...sampleChange(), eventId: 'trim-0' });
      const big = 'x'.repeat(20_000);
      for (let i = 1; i <= 120; i++) await log.append({ ...sampleChange(), eventId: `trim-${i}`, tracking: { ...sampleChange().tracking, title: big } });
      const r = new Redis(SHARED_REDIS_URL);
      const len = await r.xlen(`${prefix}small:${account}:log`);
      r.disconnect();
      expect(len).toBeLessThan(121);
      await expect(log.read(start, 10)).rejects.toMatchObject({ code: 'EVENT_CURSOR_EXPIRED' });
      await expect(log.read(first.cursor!, 10)).rejects.toMatchObject({ code: 'EVENT_CURSOR_EXPIRED' });
      await expect(log.read('nonsense', 10)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      // Idempotent: the same event id appended again keeps its cursor.
      const again = await log.append({ ...sampleChange(), eventId: 'trim-120' });
      const tail = await log.tail();
      expect(again.cursor).toBe(tail);
    } finally {
      await small.stop();
      await cleanPrefix(SHARED_REDIS_URL, `${prefix}small:`);
    }
  }, 60_000);
});

async function numsub(channel: string): Promise<number> {
  const r = new Redis(SHARED_REDIS_URL);
  try {
    return Number(((await r.pubsub('NUMSUB', channel)) as [string, number])[1]);
  } finally {
    r.disconnect();
  }
}

function sampleChange() {
  const t = tracking(newId(), 3);
  return {
    eventId: 'x',
    eventIds: ['x'],
    accountId: account,
    source: 'webhook' as const,
    webhookEvent: 'tracking_update' as const,
    occurredAt: new Date().toISOString(),
    trackingId: t.id!,
    legacyId: null,
    kinds: [],
    tracking: t,
    previousTag: null,
    tag: null,
    previousSubtag: null,
    subtag: null,
    newCheckpoints: [],
    previousEstimate: null,
    estimate: null,
    isFirstTag: null,
  };
}
