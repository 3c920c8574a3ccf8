/**
 * Serves the webhook receiver from inside graphql-yoga: `POST /webhooks/aftership` is answered
 * before yoga parses anything, so the receiver reads (and signs over) the raw body itself.
 */
import type { Plugin } from 'graphql-yoga';

export interface WebhookPluginOptions {
  /** @default '/webhooks/aftership' */
  path?: string;
}

export function useAfterShipWebhooks(
  handleWebhook: (request: Request) => Promise<Response>,
  options: WebhookPluginOptions = {},
): Plugin {
  const path = options.path ?? '/webhooks/aftership';
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== path) return;
      endResponse(await handleWebhook(request));
    },
  };
}
