/**
 * Webhooks as AfterShip sends them: signed with the secret, versioned, in event order, and
 * retried with the same event_id and bytes on the sandbox's clock when the receiver fails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookPayload } from '../src/aftership/wire-types.js';
import { startReceiver, startSandbox, type Harness, type WebhookReceiver } from './helpers/sandbox-harness.js';

const SECRET = 'whsec_sandbox_test';
let h: Harness;
let receiver: WebhookReceiver;

beforeEach(async () => {
  receiver = await startReceiver();
  h = await startSandbox({ seed: 12, webhookUrl: receiver.url, webhookSecret: SECRET, webhookRetry: { attempts: 4, baseDelayMs: 30_000 } });
});
afterEach(async () => {
  await h.close();
  await receiver.close();
});

function verify(body: string, signature: string | undefined): boolean {
  const expected = Buffer.from(createHmac('sha256', SECRET).update(body, 'utf8').digest('base64'));
  const given = Buffer.from(signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('webhook deliveries', () => {
  it('arrive signed, versioned and in order as the world moves', async () => {
    for (let hour = 0; hour < 48; hour++) await h.sandbox.advance(3_600_000);
    expect(receiver.deliveries.length).toBeGreaterThan(10);
    const payloads: WebhookPayload[] = [];
    for (const d of receiver.deliveries) {
      expect(verify(d.body, d.headers['aftership-hmac-sha256'] as string)).toBe(true);
      expect(d.headers['content-type']).toBe('application/json');
      expect(d.headers['as-webhook-version']).toBe('2026-07');
      expect(d.headers['user-agent']).toMatch(/^AfterShipTrackingWebhook\/4\.0\.0/);
      payloads.push(JSON.parse(d.body) as WebhookPayload);
    }
    for (const p of payloads) {
      expect(Object.keys(p).sort()).toEqual(['event', 'event_id', 'is_tracking_first_tag', 'msg', 'ts']);
      expect(p.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(['tracking_update', 'edd_revise']).toContain(p.event);
      expect(p.msg.id).toMatch(/^[0-9a-f]{32}$/);
      expect(p.msg.tag).toBe(p.msg.checkpoints!.at(-1)?.tag ?? p.msg.tag);
    }
    const ts = payloads.map((p) => p.ts);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    // Per tracking, each update carries at least as many checkpoints as the one before.
    const lastCount = new Map<string, number>();
    for (const p of payloads) {
      const n = p.msg.checkpoints!.length;
      expect(n).toBeGreaterThanOrEqual(lastCount.get(p.msg.id!) ?? 0);
      lastCount.set(p.msg.id!, n);
    }
    expect(payloads.some((p) => p.is_tracking_first_tag)).toBe(true);
    expect(h.sandbox.webhooks.all().every((a) => a.status === 200 && a.attempt === 1)).toBe(true);
  });

  it('sends edd_revise with the revised latest_estimated_delivery', async () => {
    for (let hour = 0; hour < 48; hour++) await h.sandbox.advance(3_600_000);
    const edd = receiver.deliveries.map((d) => JSON.parse(d.body) as WebhookPayload).filter((p) => p.event === 'edd_revise');
    expect(edd.length).toBeGreaterThan(0);
    for (const p of edd) expect(p.msg.latest_estimated_delivery).not.toBeNull();
  });

  it('retries a failed delivery with the same event_id and bytes, with back-off on the clock', async () => {
    receiver.respond = (n) => (n < 2 ? 500 : 200);
    const target = h.sandbox.store.list().find((t) => t.active)!;
    await h.sandbox.moveTracking(target.id!);
    expect(receiver.deliveries).toHaveLength(1);
    expect(h.sandbox.webhooks.pending()).toBe(1);
    h.clock.advance(29_999);
    expect(receiver.deliveries).toHaveLength(1);
    h.clock.advance(1);
    await until(() => receiver.deliveries.length === 2);
    await until(() => h.sandbox.webhooks.pending() === 1);
    h.clock.advance(60_000); // second retry after 2 x 30 s
    await until(() => receiver.deliveries.length === 3);
    const [a, b, c] = receiver.deliveries;
    expect(b.body).toBe(a.body);
    expect(c.body).toBe(a.body);
    expect(c.headers['aftership-hmac-sha256']).toBe(a.headers['aftership-hmac-sha256']);
    await until(() => h.sandbox.webhooks.all().length === 3);
    expect(h.sandbox.webhooks.all().map((x) => [x.attempt, x.status])).toEqual([[1, 500], [2, 500], [3, 200]]);
    expect(h.sandbox.webhooks.pending()).toBe(0);
  });

  it('gives up after the configured attempts; flush() retries now; unreachable receivers are logged', async () => {
    receiver.respond = () => 503;
    await h.sandbox.moveTracking(h.sandbox.store.list().find((t) => t.active)!.id!);
    for (let i = 0; i < 5; i++) await h.sandbox.webhooks.flush();
    const attempts = h.sandbox.webhooks.all();
    const events = new Set(attempts.map((x) => x.eventId));
    for (const id of events) expect(attempts.filter((x) => x.eventId === id).map((x) => x.attempt)).toEqual([1, 2, 3, 4]);
    expect(h.sandbox.webhooks.pending()).toBe(0);

    h.sandbox.webhooks.reset();
    h.sandbox.setWebhookTarget('http://127.0.0.1:9/closed');
    await h.sandbox.moveTracking(h.sandbox.store.list().find((t) => t.active)!.id!);
    const failed = h.sandbox.webhooks.all();
    expect(failed.length).toBeGreaterThan(0);
    for (const a of failed) {
      expect(a.status).toBeUndefined();
      expect(a.error).toBeTruthy();
    }
    expect(h.sandbox.webhooks.pending()).toBe(failed.length);
  });

  it('sends tracking_update for mark-as-completed', async () => {
    const t = h.sandbox.store.list().find((x) => x.active)!;
    await h.sdk.tracking.markTrackingCompletedById(t.id!, { reason: 'LOST' as never });
    await until(() => receiver.deliveries.length === 1);
    const p = JSON.parse(receiver.deliveries[0].body) as WebhookPayload;
    expect(p).toMatchObject({ event: 'tracking_update', msg: { id: t.id, tag: 'Exception', subtag: 'Exception_013' } });
  });
});
