/**
 * The durable event feed on one gateway (in-memory log): consumers over graphql-ws and SSE read
 * events, disconnect, miss events posted meanwhile, come back with their last cursor and get
 * exactly what they missed, in order, then live events, none twice. Bad and expired cursors are
 * refused with their codes.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { ManualClock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/logger.js';
import { createMemoryEventLog, EventCursorExpiredError, InvalidEventCursorError, type TrackingChange } from '../src/realtime/index.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { openSse } from './helpers/sse.js';
import { API_KEY, WEBHOOK_SECRET, deliver, startInstance, subscribe, tracking, waitFor, type Subscriber } from './redis-support.js';

let sandbox: Sandbox;
let app: App;
const subs: Subscriber[] = [];

beforeAll(async () => {
  sandbox = createSandbox({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, autoAdvance: false, logger: silentLogger, seed: 19 });
  const sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  // Each webhook its own event (no coalescing window): the test counts them.
  app = await startInstance(sandbox, sandboxUrl, { REALTIME_COALESCE_MS: '0' });
});

afterAll(async () => {
  for (const s of subs) await s.dispose();
  await app?.stop();
  await sandbox?.close();
});

const EVENTS = `subscription($ids: [ID!], $after: String) {
  trackingEvents(filter: { trackingIds: $ids }, after: $after) { cursor eventId tag }
}`;
type Ev = { cursor: string; eventId: string; tag: string };
const newId = (): string => randomBytes(16).toString('hex');
const eventsOf = (s: Subscriber): Ev[] => s.events.map((e) => e.trackingEvents as Ev);

/** Delivers day `from`..`to` of tracking `id` as webhooks `<prefix>-<day>`. */
async function post(id: string, prefix: string, days: number[]): Promise<void> {
  for (const d of days) expect((await deliver(app, `${prefix}-${d}`, tracking(id, d))).body.status).toBe('accepted');
}

async function watch(variables: Record<string, unknown>): Promise<Subscriber> {
  const before = app.ops.account().realtime.pubsub.stats().subscribers;
  const s = subscribe(app, EVENTS, variables);
  subs.push(s);
  await waitFor(() => app.ops.account().realtime.pubsub.stats().subscribers > before || s.errors.length > 0, 5000, 'subscribed');
  return s;
}

const sse = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => openSse(app.url, query, variables, headers);

describe('event log: resume after a disconnect', () => {
  it('graphql-ws: the missed events in order, then live ones, none twice', async () => {
    const id = newId();
    const first = await watch({ ids: [id] });
    await post(id, 'ws', [2, 3]);
    await waitFor(() => first.events.length === 2, 5000, 'two events');
    const seen = eventsOf(first);
    expect(seen.map((e) => e.eventId)).toEqual(['ws-2', 'ws-3']);
    expect(seen[0]!.cursor).toMatch(/^\d+-\d+$/);
    await first.dispose();

    // Missed while away; another tracking's events are in the log too and filtered out.
    await post(id, 'ws', [4, 5, 6]);
    await post(newId(), 'other', [4]);
    const again = await watch({ ids: [id], after: seen[1]!.cursor });
    await waitFor(() => again.events.length === 3, 5000, 'replayed events');
    await post(id, 'ws', [7]);
    await waitFor(() => again.events.length === 4, 5000, 'live event');
    await new Promise((r) => setTimeout(r, 100));
    const resumed = eventsOf(again);
    expect(resumed.map((e) => e.eventId)).toEqual(['ws-4', 'ws-5', 'ws-6', 'ws-7']);
    expect(again.errors).toEqual([]);
    // Cursors grow, and the first replayed is after the one we resumed from.
    const cursors = [seen[1]!.cursor, ...resumed.map((e) => e.cursor)].map((c) => c.split('-').map(Number) as [number, number]);
    for (let i = 1; i < cursors.length; i++) expect(cursors[i]![0] * 1e6 + cursors[i]![1]).toBeGreaterThan(cursors[i - 1]![0] * 1e6 + cursors[i - 1]![1]);
  });

  it('a resuming subscription (`after`) is never shared: each runs its own execution, while live ones of the same filter share one', async () => {
    const LIVE = 'subscription($ids: [ID!]) { trackingEvents(filter: { trackingIds: $ids }) { cursor eventId tag } }';
    const pubsub = app.ops.account().realtime.pubsub;
    // Alone: a resuming subscription hears every event of the account (it filters after the log), and counts it.
    for (const s of subs.splice(0)) await s.dispose();
    await waitFor(() => pubsub.stats().subscribers === 0, 5000, 'earlier subscribers gone');
    const id = newId();
    const live = [subscribe(app, LIVE, { ids: [id] }), subscribe(app, LIVE, { ids: [id] })];
    subs.push(...live);
    await waitFor(() => pubsub.stats().subscribers === 2, 5000, 'two live subscribers');
    await post(id, 'mx', [2]);
    await waitFor(() => live.every((s) => s.events.length === 1), 5000, 'the first event');
    const cursor = eventsOf(live[0]!)[0]!.cursor;
    await post(id, 'mx', [3, 4]);
    await waitFor(() => live.every((s) => s.events.length === 3), 5000, 'three events');

    // Same operation, same variables, same token: still one execution each, since each starts at its own cursor.
    const resumed = [await watch({ ids: [id], after: cursor }), await watch({ ids: [id], after: cursor })];
    await waitFor(() => resumed.every((s) => s.events.length === 2), 5000, 'the replayed events');
    const executions = pubsub.stats().executions;
    await post(id, 'mx', [5]);
    await waitFor(() => [...live, ...resumed].every((s) => s.events.length === (live.includes(s) ? 4 : 3)), 5000, 'the live event everywhere');
    // One for both live subscribers, one for each resumed subscription.
    expect(pubsub.stats().executions - executions).toBe(3);
    for (const s of resumed) expect(eventsOf(s).map((e) => e.eventId)).toEqual(['mx-3', 'mx-4', 'mx-5']);
    for (const s of live) expect(eventsOf(s).map((e) => e.eventId)).toEqual(['mx-2', 'mx-3', 'mx-4', 'mx-5']);
    for (const s of [...live, ...resumed]) expect(s.errors).toEqual([]);
    for (const s of subs.splice(0)) await s.dispose();
  });

  it('SSE: subscribers of one operation share one execution, each event with its id; a Last-Event-ID reconnect runs its own', async () => {
    const LIVE = 'subscription($ids: [ID!]) { trackingEvents(filter: { trackingIds: $ids }) { eventId tag } }';
    const pubsub = app.ops.account().realtime.pubsub;
    await waitFor(() => pubsub.stats().subscribers === 0, 5000, 'earlier subscribers gone');
    const id = newId();
    const nexts = (s: { got: { event?: string; id?: string; data: unknown }[] }) => s.got.filter((e) => e.event === 'next');
    const streams = [await sse(LIVE, { ids: [id] }), await sse(LIVE, { ids: [id] })];
    await waitFor(() => pubsub.stats().subscribers === 2 && pubsub.watcherCount('default', id) === 1, 5000, 'two SSE subscribers, one subscription');
    let executions = pubsub.stats().executions;
    await post(id, 'sse-mx', [2]);
    await waitFor(() => streams.every((s) => nexts(s).length === 1), 5000, 'the event on both streams');
    expect(pubsub.stats().executions - executions).toBe(1);
    const [first, second] = streams.map((s) => nexts(s)[0]!);
    expect(first!.data).toEqual({ data: { trackingEvents: { eventId: 'sse-mx-2', tag: 'IN_TRANSIT' } } });
    expect(first!.id).toMatch(/^\d+-\d+$/);
    expect(second).toEqual(first);

    // One leaves and comes back with its last id: it replays from there, on its own execution.
    await streams[1]!.close();
    await post(id, 'sse-mx', [3]);
    const back = await sse(LIVE, { ids: [id] }, { 'last-event-id': first!.id! });
    await waitFor(() => nexts(back).length === 1 && nexts(streams[0]!).length === 2, 5000, 'the missed event');
    executions = pubsub.stats().executions;
    await post(id, 'sse-mx', [4]);
    await waitFor(() => nexts(back).length === 2 && nexts(streams[0]!).length === 3, 5000, 'the live event');
    // The live stream's execution, and the resumed one's (it hears the account's events and filters them itself).
    expect(pubsub.stats().executions - executions).toBe(2);
    expect(nexts(back).map((e) => (e.data as { data: { trackingEvents: { eventId: string } } }).data.trackingEvents.eventId)).toEqual(['sse-mx-3', 'sse-mx-4']);
    expect(nexts(streams[0]!).map((e) => e.id)).toEqual([first!.id, ...nexts(back).map((e) => e.id)]);
    await Promise.all([streams[0]!.close(), back.close()]);
  });

  it('metrics: the log\'s length, size and oldest event, and the replays served', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const value = (name: string): number => Number(new RegExp(`^${name}\\{account="default"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('gateway_event_log_entries')).toBeGreaterThanOrEqual(6);
    expect(value('gateway_event_log_bytes')).toBeGreaterThan(1000);
    expect(value('gateway_event_log_oldest_event_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(value('gateway_event_log_replays_total')).toBeGreaterThanOrEqual(1);
    expect(value('gateway_event_log_replayed_events_total')).toBeGreaterThanOrEqual(3);
  });

  it('SSE: each event has an id; a reconnect with Last-Event-ID gets the missed events, then live ones', async () => {
    const id = newId();
    const one = await sse(EVENTS, { ids: [id] });
    expect(one.res.headers.get('content-type')).toContain('text/event-stream');
    await waitFor(() => app.ops.account().realtime.pubsub.watcherCount('default', id) === 1, 5000, 'SSE subscribed');
    await post(id, 'sse', [2, 3]);
    await waitFor(() => one.got.length === 2, 5000, 'two SSE events');
    for (const e of one.got) expect(e.id).toBe((e.data!.data as { trackingEvents: Ev }).trackingEvents.cursor);
    const lastId = one.got[1]!.id!;
    await one.close();

    await post(id, 'sse', [4, 5]);
    // What EventSource does: the same URL again, with the last id it received.
    const two = await sse(EVENTS, { ids: [id] }, { 'last-event-id': lastId });
    await waitFor(() => two.got.length === 2, 5000, 'replayed SSE events');
    await post(id, 'sse', [6]);
    await waitFor(() => two.got.length === 3, 5000, 'live SSE event');
    expect(two.got.map((e) => (e.data!.data as { trackingEvents: Ev }).trackingEvents.eventId)).toEqual(['sse-4', 'sse-5', 'sse-6']);
    expect(two.got.every((e) => e.event === 'next' && e.id)).toBe(true);
    await two.close();
  });

  it('a malformed cursor is BAD_USER_INPUT; one from before the retained events is EVENT_CURSOR_EXPIRED', async () => {
    const bad = await watch({ after: 'not-a-cursor' });
    await waitFor(() => bad.errors.length > 0, 5000, 'error');
    expect(JSON.stringify(bad.errors)).toContain('BAD_USER_INPUT');

    // This log began when the gateway started: events before are not retained.
    const old = await watch({ after: '1-0' });
    await waitFor(() => old.errors.length > 0, 5000, 'error');
    expect(JSON.stringify(old.errors)).toContain('EVENT_CURSOR_EXPIRED');

    const sseBad = await sse(EVENTS, {}, { 'last-event-id': 'x' });
    await waitFor(() => sseBad.got.length > 0, 5000, 'SSE error');
    expect(JSON.stringify(sseBad.got[0]!.data)).toContain('BAD_USER_INPUT');
    await sseBad.close();
  });
});

describe('event log: retention, cursors, isolation', () => {
  const change = (eventId: string, trackingId = 't1', accountId = 'default'): TrackingChange =>
    ({ eventId, accountId, trackingId, legacyId: null, kinds: [], tracking: { id: trackingId }, tag: null, source: 'webhook' }) as unknown as TrackingChange;

  it('keeps events by age and by bytes; a cursor whose events were dropped is expired, one never issued is refused', async () => {
    const clock = new ManualClock(1_000_000);
    const log = createMemoryEventLog({ clock, retentionMs: 60_000, maxBytes: 2_000 });
    const start = await log.tail();
    const a = await log.append(change('a'));
    expect(await log.append(change('a'))).toBe(a); // same event id, same cursor
    clock.advance(30_000);
    const b = await log.append(change('b'));
    expect(b.prevCursor).toBe(a.cursor);
    expect((await log.read(start, 10)).events.map((e) => e.eventId)).toEqual(['a', 'b']);

    clock.advance(31_000); // a is past the 60 s retention now
    await expect(log.read(start, 10)).rejects.toBeInstanceOf(EventCursorExpiredError);
    expect((await log.read(a.cursor, 10)).events.map((e) => e.eventId)).toEqual(['b']);

    // By bytes: each entry is a few hundred bytes of JSON; the oldest go first.
    const many = [];
    for (let i = 0; i < 20; i++) many.push(await log.append(change(`m${i}`)));
    const stats = await log.stats();
    expect(stats.bytes).toBeLessThanOrEqual(2_000);
    expect(stats.entries).toBeLessThan(21);
    await expect(log.read(b.cursor, 100)).rejects.toBeInstanceOf(EventCursorExpiredError);
    const kept = await log.read(many[20 - stats.entries - 1]!.cursor, 100);
    expect(kept.events.map((e) => e.eventId)).toEqual(many.slice(20 - stats.entries).map((e) => e.eventId));

    await expect(log.read(`${clock.now() + 10_000}-0`, 10)).rejects.toBeInstanceOf(InvalidEventCursorError);
    await expect(log.read('12', 10)).rejects.toBeInstanceOf(InvalidEventCursorError);
  });

  it("an account replays only its own events: another account's cursor positions nothing of it", async () => {
    const clock = new ManualClock(5_000_000);
    const logA = createMemoryEventLog({ clock });
    const logB = createMemoryEventLog({ clock });
    const startB = await logB.tail();
    await logA.append(change('secret-a', 't-a', 'acct-a'));
    clock.advance(1);
    const onB = await logB.append(change('b-1', 't-b', 'acct-b'));
    // A's events are not in B's log, whatever cursor B's consumer sends.
    expect((await logB.read(startB, 10)).events.map((e) => e.eventId)).toEqual(['b-1']);
    expect((await logB.read(onB.cursor, 10)).events).toEqual([]);
  });
});
