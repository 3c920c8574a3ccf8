/**
 * `POST /webhooks/aftership`: size limit → signature → shape → de-dup → update (cache + publish) → 200.
 * Nothing from a refused delivery reaches the cache or a subscriber. Any 2xx tells AfterShip
 * to stop retrying, so 2xx is only sent once the event is handled (or known to be a repeat).
 */
import { WEBHOOK_EVENTS, type Tracking, type WebhookEventName } from '../aftership/wire-types.js';
import type { Logger } from '../lib/logger.js';
import { DEFAULT_DEDUP_TTL_MS, type DedupStore } from './dedup.js';
import type { TrackingUpdates } from './tracking-updates.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from './verify-signature.js';

export const WEBHOOK_ERROR_CODES = {
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  WEBHOOKS_DISABLED: 'WEBHOOKS_DISABLED',
  MISSING_SIGNATURE: 'MISSING_SIGNATURE',
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  INVALID_JSON: 'INVALID_JSON',
  INVALID_WEBHOOK: 'INVALID_WEBHOOK',
  PROCESSING_FAILED: 'PROCESSING_FAILED',
} as const;
export type WebhookErrorCode = keyof typeof WEBHOOK_ERROR_CODES;

export interface WebhookReceiverOptions {
  /** Undefined: every delivery is refused with 401 (the gateway then relies on polling). */
  webhookSecret?: string;
  /** @default 1 MiB */
  maxBodyBytes?: number;
  dedup: DedupStore;
  /** How long an event id is remembered. @default 72 h */
  dedupTtlMs?: number;
  updates: TrackingUpdates;
  logger: Logger;
  /** Called after every authentic delivery (also repeats): webhooks are flowing. */
  onAuthentic?: () => void;
}

export interface ValidWebhook {
  event: WebhookEventName;
  event_id: string;
  is_tracking_first_tag: boolean | null;
  ts: number;
  msg: Tracking & { id: string };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

const refuse = (status: number, code: WebhookErrorCode, message: string): Response => json(status, { error: { code, message } });

class TooLarge extends Error {}

/** Reads the body, counting bytes as they stream in: a lying or absent Content-Length cannot bypass the limit. */
async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the fields the gateway relies on; returns what is wrong, or the typed webhook. */
export function parseWebhook(body: unknown): { ok: true; webhook: ValidWebhook } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(body)) return { ok: false, problems: ['body must be a JSON object'] };
  const { event, event_id, ts, msg, is_tracking_first_tag } = body;
  if (typeof event !== 'string' || !(WEBHOOK_EVENTS as readonly string[]).includes(event)) {
    problems.push(`event must be one of ${WEBHOOK_EVENTS.join(', ')} (got ${JSON.stringify(event) ?? 'nothing'})`);
  }
  if (typeof event_id !== 'string' || event_id.length === 0 || event_id.length > 200) {
    problems.push('event_id must be a non-empty string');
  }
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0) problems.push('ts must be a Unix time in seconds');
  if (!isObject(msg)) problems.push('msg must be the tracking object');
  else {
    if (typeof msg.id !== 'string' || msg.id.length === 0) problems.push('msg.id must be the tracking id');
    if (msg.updated_at !== undefined && (typeof msg.updated_at !== 'string' || Number.isNaN(Date.parse(msg.updated_at)))) {
      problems.push('msg.updated_at must be an ISO date-time');
    }
    if (msg.checkpoints !== undefined && msg.checkpoints !== null && !Array.isArray(msg.checkpoints)) {
      problems.push('msg.checkpoints must be an array');
    }
  }
  if (is_tracking_first_tag !== undefined && typeof is_tracking_first_tag !== 'boolean') {
    problems.push('is_tracking_first_tag must be a boolean');
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    webhook: {
      event: event as WebhookEventName,
      event_id: event_id as string,
      ts: ts as number,
      is_tracking_first_tag: typeof is_tracking_first_tag === 'boolean' ? is_tracking_first_tag : null,
      // Shape checked above for what we use; the rest is AfterShip's Tracking as sent.
      msg: msg as unknown as Tracking & { id: string },
    },
  };
}

export function createWebhookReceiver(options: WebhookReceiverOptions): (request: Request) => Promise<Response> {
  const { webhookSecret, dedup, updates, logger } = options;
  const maxBytes = options.maxBodyBytes ?? 1024 * 1024;
  const ttlMs = options.dedupTtlMs ?? DEFAULT_DEDUP_TTL_MS;

  return async (request) => {
    if (request.method !== 'POST') return refuse(405, 'METHOD_NOT_ALLOWED', 'Webhooks are delivered with POST.');
    if (!webhookSecret) {
      return refuse(401, 'WEBHOOKS_DISABLED', 'No webhook secret is configured (AFTERSHIP_WEBHOOK_SECRET), so no delivery can be verified.');
    }
    const declared = request.headers.get('content-length');
    if (declared !== null && Number(declared) > maxBytes) {
      return refuse(413, 'PAYLOAD_TOO_LARGE', `Body is ${declared} bytes; the limit is ${maxBytes}.`);
    }
    const signature = request.headers.get(SIGNATURE_HEADER);
    if (!signature) return refuse(401, 'MISSING_SIGNATURE', `Header ${SIGNATURE_HEADER} is missing.`);

    let raw: Uint8Array;
    try {
      raw = await readLimited(request, maxBytes);
    } catch (e) {
      if (e instanceof TooLarge) return refuse(413, 'PAYLOAD_TOO_LARGE', `Body exceeds the limit of ${maxBytes} bytes.`);
      throw e;
    }
    if (!verifyWebhookSignature(webhookSecret, raw, signature)) {
      logger.warn({ bytes: raw.byteLength }, 'webhook refused: bad signature');
      return refuse(401, 'INVALID_SIGNATURE', `Header ${SIGNATURE_HEADER} does not match the body signed with the webhook secret.`);
    }
    options.onAuthentic?.();

    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      return refuse(400, 'INVALID_JSON', 'Body is not valid UTF-8 JSON.');
    }
    const parsed = parseWebhook(body);
    if (!parsed.ok) {
      return json(400, { error: { code: 'INVALID_WEBHOOK', message: 'Body is not an AfterShip tracking webhook.', problems: parsed.problems } });
    }
    const w = parsed.webhook;
    if (!(await dedup.markSeen(w.event_id, ttlMs))) {
      logger.debug({ eventId: w.event_id }, 'webhook repeat ignored');
      return json(200, { status: 'duplicate', eventId: w.event_id });
    }
    try {
      const outcome = await updates.apply({
        eventId: w.event_id,
        source: 'webhook',
        webhookEvent: w.event,
        ts: w.ts,
        isFirstTag: w.is_tracking_first_tag,
        tracking: w.msg,
      });
      logger.debug({ eventId: w.event_id, trackingId: w.msg.id, outcome: outcome.status }, 'webhook handled');
      return json(200, { status: outcome.status === 'published' ? 'accepted' : outcome.status, eventId: w.event_id });
    } catch (e) {
      // Let AfterShip's retry bring it back: forget the id so the retry is not taken for a repeat.
      await dedup.forget(w.event_id).catch(() => undefined);
      logger.error({ eventId: w.event_id, err: e }, 'webhook processing failed');
      return refuse(500, 'PROCESSING_FAILED', 'The event could not be processed; AfterShip will retry it.');
    }
  };
}
