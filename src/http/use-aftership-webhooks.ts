/**
 * AfterShip webhooks, answered before yoga parses anything: the receiver reads the raw body itself
 * (the signature is over the raw bytes) and bounds it (413 past its limit, 408 when too slow). At most
 * `maxConcurrent` deliveries are handled at once: past that, 503 with `Retry-After` (AfterShip retries),
 * so a flood of slow senders cannot hold every socket and buffer.
 * `/webhooks/aftership` is the default account's, `/webhooks/aftership/<account>` another account's.
 */
import type { Plugin } from 'graphql-yoga';
import { limitedLog, silentLogger, type Logger } from '../lib/logger.js';
import { answerOrInternalError } from './internal-error.js';
import type { RequestIdContext } from './use-request-id.js';

/** `requestId`: the delivery's, for the receiver's log lines. */
export type WebhookHandler = (request: Request, facts?: { requestId?: string }) => Promise<Response>;

export interface WebhookPluginOptions {
  /** @default "/webhooks/aftership" */
  path?: string;
  /** For a receiver that throws (answered 500). @default silentLogger */
  logger?: Logger;
  /** Deliveries handled at once (bodies in flight included). @default 64 */
  maxConcurrent?: number;
  /** Told of a delivery refused because too many are in flight (metrics); undefined: the default account. */
  onBusy?: (accountId: string | undefined) => void;
}

/**
 * `receivers`: one handler (served on `path` only), or a lookup by account id (undefined: the
 * default account) answering undefined for an account the gateway does not serve.
 */
export function useAfterShipWebhooks(
  receivers: WebhookHandler | { forAccount(accountId: string | undefined): WebhookHandler | undefined },
  options: WebhookPluginOptions = {},
): Plugin<{}, RequestIdContext> {
  const path = (options.path ?? '/webhooks/aftership').replace(/\/+$/, '');
  const logger = options.logger ?? silentLogger;
  const maxConcurrent = options.maxConcurrent ?? 64;
  let inFlight = 0;
  const busyLog = limitedLog(logger);
  const forAccount = (id: string | undefined): WebhookHandler | undefined =>
    typeof receivers === 'function' ? (id === undefined ? receivers : undefined) : receivers.forAccount(id);
  return {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      const { pathname } = url;
      if (pathname !== path && !pathname.startsWith(`${path}/`)) return;
      const rest = pathname.slice(path.length).replace(/^\/|\/$/g, '');
      if (rest.includes('/')) return; // not a webhook path: yoga's 404
      // Account ids are plain ASCII (letters, digits, "_", ".", "-"): no decoding, an encoded one is unknown.
      const handler = forAccount(rest === '' ? undefined : rest);
      if (!handler) {
        endResponse(fetchAPI.Response.json({ error: { code: 'UNKNOWN_ACCOUNT', message: 'No such AfterShip account' } }, { status: 404 }));
        return;
      }
      if (inFlight >= maxConcurrent) {
        busyLog('info', { inFlight, requestId: serverContext.requestId }, 'webhook refused: too many deliveries in flight');
        options.onBusy?.(rest === '' ? undefined : rest);
        const busy = { error: { code: 'BUSY', message: `More than ${maxConcurrent} deliveries in flight; retry later.` } };
        endResponse(fetchAPI.Response.json(busy, { status: 503, headers: { 'retry-after': '1', connection: 'close' } }));
        return;
      }
      inFlight++;
      try {
        const { requestId } = serverContext;
        endResponse(await answerOrInternalError(() => handler(request, { requestId }), logger.child({ requestId }), 'webhook'));
      } finally {
        inFlight--;
      }
    },
  };
}
