/**
 * Webhook deliveries as AfterShip makes them (REFERENCE §8): POST of `{event, event_id,
 * is_tracking_first_tag, msg, ts}`, signed with `aftership-hmac-sha256` = base64 HMAC-SHA256 of the
 * raw body. First attempts go out one at a time in event order; a non-2xx answer or a network
 * error is retried with the same event_id and the same bytes after baseDelayMs * 2^(attempt-1),
 * up to `attempts` attempts in all (AfterShip: 14, 30 s base), on the sandbox's clock.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Tracking, WebhookEventName, WebhookPayload } from '../aftership/wire-types.js';
import { API_VERSION } from '../aftership/wire-types.js';
import type { Clock, TimerHandle } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';

export const WEBHOOK_USER_AGENT = 'AfterShipTrackingWebhook/4.0.0 (https://www.aftership.com)';

export interface WebhookAttempt {
  eventId: string;
  event: WebhookEventName;
  trackingId: string;
  attempt: number;
  /** HTTP status answered by the receiver (absent when the request failed). */
  status?: number;
  error?: string;
  /** Clock time of the attempt (ms). */
  at: number;
  url: string;
}

export interface WebhookLog {
  all(): WebhookAttempt[];
  reset(): void;
  /** Runs every pending retry now (and waits for it). */
  flush(): Promise<void>;
  /** Retries waiting for their time. */
  pending(): number;
}

export interface WebhookTarget {
  url?: string;
  secret?: string;
}

export interface WebhookDispatcher {
  log: WebhookLog;
  /** Snapshots the tracking now (serialises it) and queues its first delivery attempt. */
  enqueue(event: WebhookEventName, tracking: Tracking, isFirstTag: boolean, tsMs: number): void;
  /** Resolves when every first attempt enqueued so far has been made. */
  idle(): Promise<void>;
  setTarget(target: WebhookTarget): void;
  target(): WebhookTarget;
  close(): void;
}

export interface WebhookOptions {
  clock: Clock;
  logger: Logger;
  target: WebhookTarget;
  retry: { attempts: number; baseDelayMs: number };
  /** Per-attempt timeout (real time). */
  timeoutMs?: number;
}

interface Delivery {
  eventId: string;
  event: WebhookEventName;
  trackingId: string;
  body: string;
  url: string;
  secret: string;
  attempt: number;
}

export function signWebhook(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export function createWebhookDispatcher(options: WebhookOptions): WebhookDispatcher {
  let target: WebhookTarget = { ...options.target };
  let attempts: WebhookAttempt[] = [];
  const waiting = new Map<Delivery, TimerHandle>();
  const controllers = new Set<AbortController>();
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  async function attempt(d: Delivery): Promise<void> {
    if (closed) return;
    const controller = new AbortController();
    controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 10_000);
    timer.unref?.();
    const entry: WebhookAttempt = { eventId: d.eventId, event: d.event, trackingId: d.trackingId, attempt: d.attempt, at: options.clock.now(), url: d.url };
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        body: d.body,
        signal: controller.signal,
        headers: {
          'content-type': 'application/json',
          'aftership-hmac-sha256': signWebhook(d.body, d.secret),
          'as-webhook-version': API_VERSION,
          'user-agent': WEBHOOK_USER_AGENT,
        },
      });
      entry.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      entry.error = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    } finally {
      clearTimeout(timer);
      controllers.delete(controller);
    }
    if (closed) return;
    attempts.push(entry);
    if (attempts.length > 100_000) attempts = attempts.slice(-50_000); // long runs stay small
    const okStatus = entry.status !== undefined && entry.status >= 200 && entry.status < 300;
    if (okStatus) return;
    options.logger.debug({ eventId: d.eventId, attempt: d.attempt, status: entry.status, error: entry.error }, 'webhook delivery failed');
    if (d.attempt >= options.retry.attempts) return;
    const next: Delivery = { ...d, attempt: d.attempt + 1 };
    const delay = options.retry.baseDelayMs * 2 ** (d.attempt - 1);
    const handle = options.clock.setTimer(() => {
      waiting.delete(next);
      void attempt(next);
    }, delay);
    waiting.set(next, handle);
  }

  return {
    log: {
      all: () => [...attempts],
      reset: () => void (attempts = []),
      pending: () => waiting.size,
      async flush() {
        const due = [...waiting.entries()];
        waiting.clear();
        for (const [d, handle] of due) {
          handle.cancel();
          await attempt(d);
        }
      },
    },
    enqueue(event, tracking, isFirstTag, tsMs) {
      const url = target.url;
      if (!url || closed) return;
      const payload: WebhookPayload = { event, event_id: randomUUID(), is_tracking_first_tag: isFirstTag, msg: tracking, ts: Math.floor(tsMs / 1000) };
      const d: Delivery = {
        eventId: payload.event_id, event, trackingId: tracking.id ?? '', body: JSON.stringify(payload),
        url, secret: target.secret ?? '', attempt: 1,
      };
      queue = queue.then(() => attempt(d));
    },
    idle: () => queue,
    setTarget(next) {
      target = { ...next };
    },
    target: () => ({ ...target }),
    close() {
      closed = true;
      for (const h of waiting.values()) h.cancel();
      waiting.clear();
      for (const c of controllers) c.abort();
    },
  };
}
