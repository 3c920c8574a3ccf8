/**
 * AfterShip webhooks, answered on Node's own request before yoga sees it: a delivery needs none of
 * yoga's pipeline (no GraphQL, no access control: the HMAC is the authentication), and going through
 * it (a Fetch Request and Response, a body stream, the plugin chain) cost more than the whole ingest
 * (#15: at most ~5,000 deliveries/s through yoga on the bench machine, before any work). The receiver
 * gets the raw bytes (the signature is over them) read within bounds: 413 past its limit, 408 when too
 * slow, and the connection is closed after either. At most `maxConcurrent` deliveries are handled at
 * once: past that, 503 with `Retry-After` (AfterShip retries), so a flood of slow senders cannot hold
 * every socket and buffer. `/webhooks/aftership` is the default account's, `/webhooks/aftership/<account>`
 * another account's. Like every answer, these carry the request's id (`x-request-id`, see useRequestId).
 * Anything else, a CORS preflight (OPTIONS) on this path included, goes on to yoga.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../lib/clock.js';
import { limitedLog, silentLogger, type Logger } from '../lib/logger.js';
import { WebhookBodyTooLarge, WebhookBodyTooSlow, type WebhookAnswer, type WebhookDelivery } from '../realtime/webhook-receiver.js';
import { REQUEST_ID_HEADER, requestIdOf } from './use-request-id.js';

/** Receives one delivery of an account (src/realtime/webhook-receiver.ts). */
export type WebhookHandler = (delivery: WebhookDelivery) => Promise<WebhookAnswer>;

export interface WebhookRouteOptions {
  /** @default "/webhooks/aftership" */
  path?: string;
  /** For a receiver that throws (answered 500). @default silentLogger */
  logger?: Logger;
  /** Deliveries handled at once (bodies in flight included). @default 64 */
  maxConcurrent?: number;
  /** Told of a delivery refused because too many are in flight (metrics); undefined: the default account. */
  onBusy?: (accountId: string | undefined) => void;
  /** Times the body read (the receiver's body timeout). @default systemClock */
  clock?: Clock;
}

/** The client went away before its body arrived: nothing to answer. */
class RequestAborted extends Error {}

/**
 * Reads a Node request's body, counting bytes as they arrive (a lying or absent Content-Length cannot
 * bypass `maxBytes`), within `timeoutMs`. After a refusal the rest is not read: the answer closes the connection.
 */
export function readNodeBody(req: IncomingMessage, maxBytes: number, timeoutMs: number, clock: Clock = systemClock): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (error?: Error): void => {
      deadline.cancel();
      req.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.byteLength;
      if (total > maxBytes) finish(new WebhookBodyTooLarge());
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish();
    const onClose = (): void => finish(new RequestAborted());
    const deadline = clock.setTimer(() => finish(new WebhookBodyTooSlow()), timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', finish).on('close', onClose);
  });
}

const JSON_TYPE = 'application/json; charset=utf-8';

function send(res: ServerResponse, status: number, body: unknown, requestId: string, extra?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), [REQUEST_ID_HEADER]: requestId, ...extra });
  res.end(text);
}

/**
 * `receivers`: one handler (served on `path` only), or a lookup by account id (undefined: the
 * default account) answering undefined for an account the gateway does not serve. Returns a
 * wrapper: the webhook path is answered here, every other request goes to `next` (yoga).
 */
export function serveAfterShipWebhooks(
  receivers: WebhookHandler | { forAccount(accountId: string | undefined): WebhookHandler | undefined },
  options: WebhookRouteOptions = {},
): (next: RequestListener) => RequestListener {
  const path = (options.path ?? '/webhooks/aftership').replace(/\/+$/, '');
  const logger = options.logger ?? silentLogger;
  const maxConcurrent = options.maxConcurrent ?? 64;
  const clock = options.clock ?? systemClock;
  let inFlight = 0;
  const busyLog = limitedLog(logger);
  const forAccount = (id: string | undefined): WebhookHandler | undefined =>
    typeof receivers === 'function' ? (id === undefined ? receivers : undefined) : receivers.forAccount(id);

  /** The account part of a webhook path ('' for the default account), or undefined for any other path. */
  const accountPart = (url: string | undefined): string | undefined => {
    if (!url) return undefined;
    let pathname = url;
    // Origin-form ("/path?query") is what clients send; anything else is left to yoga's URL parsing.
    if (!url.startsWith('/')) return undefined;
    const end = pathname.search(/[?#]/);
    if (end >= 0) pathname = pathname.slice(0, end);
    if (pathname !== path && !pathname.startsWith(`${path}/`)) return undefined;
    const rest = pathname.slice(path.length).replace(/^\/|\/$/g, '');
    return rest.includes('/') ? undefined : rest; // a path below an account: yoga's 404
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, account: string, requestId: string): Promise<void> => {
    // Account ids are plain ASCII (letters, digits, "_", ".", "-"): no decoding, an encoded one is unknown.
    const handler = forAccount(account === '' ? undefined : account);
    if (!handler) {
      send(res, 404, { error: { code: 'UNKNOWN_ACCOUNT', message: 'No such AfterShip account' } }, requestId);
      return;
    }
    if (inFlight >= maxConcurrent) {
      busyLog('info', { inFlight, requestId }, 'webhook refused: too many deliveries in flight');
      options.onBusy?.(account === '' ? undefined : account);
      const busy = { error: { code: 'BUSY', message: `More than ${maxConcurrent} deliveries in flight; retry later.` } };
      send(res, 503, busy, requestId, { 'retry-after': '1', connection: 'close' });
      return;
    }
    inFlight++;
    try {
      const delivery: WebhookDelivery = {
        method: req.method ?? 'GET',
        header: (name) => {
          const v = req.headers[name];
          return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
        },
        readBody: (maxBytes, timeoutMs) => readNodeBody(req, maxBytes, timeoutMs, clock),
        requestId,
      };
      const answer = await handler(delivery);
      send(res, answer.status, answer.body, requestId, answer.close ? { connection: 'close' } : undefined);
    } catch (err) {
      if (err instanceof RequestAborted) {
        logger.debug({ requestId }, 'webhook sender went away before its body arrived');
        return;
      }
      // As every route's failure: logged, and a plain 500 without the error's details.
      logger.error({ err, route: 'webhook', requestId }, 'HTTP route failed');
      send(res, 500, { error: 'internal error' }, requestId);
    } finally {
      inFlight--;
    }
  };

  return (next) => (req, res) => {
    const account = req.method === 'OPTIONS' ? undefined : accountPart(req.url);
    if (account === undefined) return next(req, res);
    void handle(req, res, account, requestIdOf(req.headers[REQUEST_ID_HEADER]));
  };
}
