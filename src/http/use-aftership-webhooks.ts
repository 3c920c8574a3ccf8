/**
 * AfterShip webhooks, answered before yoga parses anything: the receiver reads the raw body itself
 * (the signature is over the raw bytes) and bounds it (413 past its limit).
 * `/webhooks/aftership` is the default account's, `/webhooks/aftership/<account>` another account's.
 */
import type { Plugin } from 'graphql-yoga';
import { silentLogger, type Logger } from '../lib/logger.js';
import { answerOrInternalError } from './internal-error.js';

export type WebhookHandler = (request: Request) => Promise<Response>;

export interface WebhookPluginOptions {
  /** @default "/webhooks/aftership" */
  path?: string;
  /** For a receiver that throws (answered 500). @default silentLogger */
  logger?: Logger;
}

/**
 * `receivers`: one handler (served on `path` only), or a lookup by account id (undefined: the
 * default account) answering undefined for an account the gateway does not serve.
 */
export function useAfterShipWebhooks(
  receivers: WebhookHandler | { forAccount(accountId: string | undefined): WebhookHandler | undefined },
  options: WebhookPluginOptions = {},
): Plugin {
  const path = (options.path ?? '/webhooks/aftership').replace(/\/+$/, '');
  const logger = options.logger ?? silentLogger;
  const forAccount = (id: string | undefined): WebhookHandler | undefined =>
    typeof receivers === 'function' ? (id === undefined ? receivers : undefined) : receivers.forAccount(id);
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
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
      endResponse(await answerOrInternalError(() => handler(request), logger, 'webhook'));
    },
  };
}
