/**
 * `POST /webhooks/aftership`: size limit → signature → shape → de-dup → update (cache + publish) → 200.
 * Nothing from a refused delivery reaches the cache or a subscriber. Any 2xx tells AfterShip
 * to stop retrying, so 2xx is only sent once the event is handled (or known to be a repeat).
 */
import { WEBHOOK_EVENTS, type Tracking, type WebhookEventName } from '../aftership/wire-types.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { limitedLog, type Logger } from '../lib/logger.js';
import { DEFAULT_DEDUP_TTL_MS, type DedupStore } from './dedup.js';
import type { TrackingUpdates } from './tracking-updates.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from './verify-signature.js';
import { isWebhookTs, trackingPayloadProblems } from './webhook-payload.js';

export const WEBHOOK_ERROR_CODES = {
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  WEBHOOKS_DISABLED: 'WEBHOOKS_DISABLED',
  MISSING_SIGNATURE: 'MISSING_SIGNATURE',
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  BODY_TIMEOUT: 'BODY_TIMEOUT',
  INVALID_JSON: 'INVALID_JSON',
  INVALID_WEBHOOK: 'INVALID_WEBHOOK',
  PROCESSING_FAILED: 'PROCESSING_FAILED',
} as const;
export type WebhookErrorCode = keyof typeof WEBHOOK_ERROR_CODES;

/**
 * What became of a delivery: `accepted` (applied, and published when it changed something),
 * `duplicate` (an event id already handled), `stale` (older than what the gateway holds),
 * `refused` (4xx: not authentic, malformed, too large, webhooks off) or `failed` (5xx: AfterShip retries).
 */
export type WebhookOutcome = 'accepted' | 'duplicate' | 'stale' | 'refused' | 'failed';

/** Told of every delivery's outcome (metrics). */
export interface WebhookRecorder {
  webhookReceived(outcome: WebhookOutcome): void;
}

export interface WebhookReceiverOptions {
  /** Undefined: every delivery is refused with 401 (the gateway then relies on polling). */
  webhookSecret?: string;
  /** @default 1 MiB */
  maxBodyBytes?: number;
  /**
   * The whole body must arrive within this long (408 after): a sender trickling bytes cannot hold a
   * socket and a buffer while the signature, checked over the whole body, waits. @default 10000
   */
  bodyTimeoutMs?: number;
  dedup: DedupStore;
  /** How long an event id is remembered. @default 72 h */
  dedupTtlMs?: number;
  updates: TrackingUpdates;
  logger: Logger;
  /** Called after every authentic delivery (also repeats): webhooks are flowing. */
  onAuthentic?: () => void;
  /** @default records nothing */
  recorder?: WebhookRecorder;
}

export interface ValidWebhook {
  event: WebhookEventName;
  event_id: string;
  is_tracking_first_tag: boolean | null;
  ts: number;
  msg: Tracking & { id: string };
}

/**
 * A delivery as the HTTP layer hands it over: its method, its headers, and a way to read its raw body
 * within bounds. The Node route (src/http/use-aftership-webhooks.ts) reads the socket's bytes; the
 * Fetch adapter (`fetchDelivery`) a `Request`'s stream.
 */
export interface WebhookDelivery {
  method: string;
  /** A request header (lower-case name), null when absent. */
  header(name: string): string | null;
  /**
   * The whole body. Rejects with WebhookBodyTooLarge once more than `maxBytes` arrived (counted as they
   * stream: a lying or absent Content-Length cannot bypass it), WebhookBodyTooSlow after `timeoutMs`.
   */
  readBody(maxBytes: number, timeoutMs: number): Promise<Uint8Array>;
  /** The delivery's request id, for its log lines. */
  requestId?: string;
}

/** The receiver's answer: a status and a JSON body; `close` asks for the connection to be closed after it. */
export interface WebhookAnswer {
  status: number;
  body: unknown;
  close?: boolean;
}

export class WebhookBodyTooLarge extends Error {}
export class WebhookBodyTooSlow extends Error {}

const refuse = (status: number, code: WebhookErrorCode, message: string, close?: boolean): WebhookAnswer => ({
  status,
  body: { error: { code, message } },
  ...(close && { close }),
});

/** An answer as a Fetch `Response` (JSON). */
export function answerResponse(answer: WebhookAnswer): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (answer.close) headers.connection = 'close';
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}

/** A Fetch `Request` as a delivery: its body read from its stream, counting bytes as they come. */
export function fetchDelivery(request: Request, clock: Clock = systemClock, requestId?: string): WebhookDelivery {
  return {
    method: request.method,
    header: (name) => request.headers.get(name),
    readBody: (maxBytes, timeoutMs) => readLimited(request, maxBytes, timeoutMs, clock),
    ...(requestId !== undefined && { requestId }),
  };
}

/** Reads a `Request`'s body within `maxBytes` and `timeoutMs` (the reader is cancelled then). */
async function readLimited(request: Request, maxBytes: number, timeoutMs: number, clock: Clock): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Raced against each read: a cancelled reader need not settle a read that is waiting for bytes.
  let expire!: (late: 'late') => void;
  const expired = new Promise<'late'>((resolve) => (expire = resolve));
  const deadline = clock.setTimer(() => expire('late'), timeoutMs);
  try {
    for (;;) {
      const read = reader.read();
      const chunk = await Promise.race([read, expired]);
      if (chunk === 'late') {
        // Not awaited: cancelling may wait for the very bytes that are not coming.
        read.catch(() => undefined);
        reader.cancel().catch(() => undefined);
        throw new WebhookBodyTooSlow();
      }
      if (chunk.done) break;
      total += chunk.value.byteLength;
      if (total > maxBytes) {
        reader.cancel().catch(() => undefined);
        throw new WebhookBodyTooLarge();
      }
      chunks.push(chunk.value);
    }
  } finally {
    deadline.cancel();
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
  if (!isWebhookTs(ts)) problems.push('ts must be a Unix time in seconds (a date from 1970 to 9999)');
  // Every field the graph shows must have its type, or a later query of the tracking would fail.
  if (!isObject(msg)) problems.push('msg must be the tracking object');
  else problems.push(...trackingPayloadProblems(msg));
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

/** Receives one delivery: verified, parsed, de-duplicated and applied before it is answered. */
export type WebhookReceiver = (delivery: WebhookDelivery) => Promise<WebhookAnswer>;

export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const { webhookSecret, dedup, updates, logger } = options;
  const maxBytes = options.maxBodyBytes ?? 1024 * 1024;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  // Anyone can send a refused delivery: those lines are rate-limited.
  const refusal = limitedLog(logger);
  const ttlMs = options.dedupTtlMs ?? DEFAULT_DEDUP_TTL_MS;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const record = (outcome: WebhookOutcome): void => options.recorder?.webhookReceived(outcome);
  /** 200 answers say what became of the event. */
  const answered = (outcome: 'accepted' | 'duplicate' | 'stale', eventId: string, status: string = outcome): WebhookAnswer => {
    record(outcome);
    return { status: 200, body: { status, eventId } };
  };
  /** Every other answer is a refusal (4xx) or a failure (5xx). */
  const refused = (answer: WebhookAnswer): WebhookAnswer => {
    record(answer.status >= 500 ? 'failed' : 'refused');
    return answer;
  };

  const receive = async (delivery: WebhookDelivery): Promise<WebhookAnswer> => {
    const { requestId } = delivery;
    if (delivery.method !== 'POST') return refused(refuse(405, 'METHOD_NOT_ALLOWED', 'Webhooks are delivered with POST.'));
    if (!webhookSecret) {
      return refused(refuse(401, 'WEBHOOKS_DISABLED', 'No webhook secret is configured (AFTERSHIP_WEBHOOK_SECRET), so no delivery can be verified.'));
    }
    const declared = delivery.header('content-length');
    if (declared !== null && Number(declared) > maxBytes) {
      return refused(refuse(413, 'PAYLOAD_TOO_LARGE', `Body is ${declared} bytes; the limit is ${maxBytes}.`, true));
    }
    const signature = delivery.header(SIGNATURE_HEADER);
    if (!signature) return refused(refuse(401, 'MISSING_SIGNATURE', `Header ${SIGNATURE_HEADER} is missing.`));

    let raw: Uint8Array;
    try {
      raw = await delivery.readBody(maxBytes, bodyTimeoutMs);
    } catch (e) {
      // The sender may still be sending: close the connection rather than read the rest.
      if (e instanceof WebhookBodyTooLarge) return refused(refuse(413, 'PAYLOAD_TOO_LARGE', `Body exceeds the limit of ${maxBytes} bytes.`, true));
      if (e instanceof WebhookBodyTooSlow) {
        refusal('info', { timeoutMs: bodyTimeoutMs, requestId }, 'webhook refused: body too slow');
        return refused(refuse(408, 'BODY_TIMEOUT', `The body did not arrive within ${bodyTimeoutMs} ms.`, true));
      }
      throw e;
    }
    if (!verifyWebhookSignature(webhookSecret, raw, signature)) {
      refusal('info', { bytes: raw.byteLength, requestId }, 'webhook refused: bad signature');
      return refused(refuse(401, 'INVALID_SIGNATURE', `Header ${SIGNATURE_HEADER} does not match the body signed with the webhook secret.`));
    }
    options.onAuthentic?.();

    let body: unknown;
    try {
      body = JSON.parse(utf8.decode(raw));
    } catch {
      return refused(refuse(400, 'INVALID_JSON', 'Body is not valid UTF-8 JSON.'));
    }
    const parsed = parseWebhook(body);
    if (!parsed.ok) {
      return refused({ status: 400, body: { error: { code: 'INVALID_WEBHOOK', message: 'Body is not an AfterShip tracking webhook.', problems: parsed.problems } } });
    }
    const w = parsed.webhook;
    if (!(await dedup.markSeen(w.event_id, ttlMs))) {
      if (logger.isLevelEnabled('debug')) logger.debug({ eventId: w.event_id, requestId }, 'webhook repeat ignored');
      return answered('duplicate', w.event_id);
    }
    try {
      const outcome = await updates.apply({
        eventId: w.event_id,
        source: 'webhook',
        webhookEvent: w.event,
        ts: w.ts,
        isFirstTag: w.is_tracking_first_tag,
        tracking: w.msg,
        // The tracking's JSON is (a little less than) the body: its size need not be measured again.
        trackingBytes: raw.byteLength,
      });
      if (logger.isLevelEnabled('debug')) logger.debug({ eventId: w.event_id, trackingId: w.msg.id, outcome: outcome.status, requestId }, 'webhook handled');
      return outcome.status === 'stale' ? answered('stale', w.event_id) : answered('accepted', w.event_id, outcome.status === 'published' ? 'accepted' : outcome.status);
    } catch (e) {
      // Let AfterShip's retry bring it back: forget the id so the retry is not taken for a repeat.
      await dedup.forget(w.event_id).catch(() => undefined);
      logger.error({ eventId: w.event_id, err: e, requestId }, 'webhook processing failed');
      return refused(refuse(500, 'PROCESSING_FAILED', 'The event could not be processed; AfterShip will retry it.'));
    }
  };

  return async (delivery) => {
    try {
      return await receive(delivery);
    } catch (e) {
      record('failed');
      throw e;
    }
  };
}
