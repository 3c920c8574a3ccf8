/**
 * `/oauth/aftership/*`: connecting AfterShip accounts through OAuth (start, callback, status), served by
 * the auth module's handlers. Mounted only when OAuth is configured.
 */
import type { Plugin } from 'graphql-yoga';
import { silentLogger, type Logger } from '../lib/logger.js';
import { answerOrInternalError } from './internal-error.js';
import type { RequestIdContext } from './use-request-id.js';

export interface OAuthRoutesOptions {
  /** Answers undefined for a path it does not serve (then 404). */
  handle(request: Request): Promise<Response | undefined> | Response | undefined;
  /** @default "/oauth/aftership/" */
  prefix?: string;
  /** @default silentLogger */
  logger?: Logger;
}

export function useOAuthRoutes(options: OAuthRoutesOptions): Plugin<{}, RequestIdContext> {
  const prefix = options.prefix ?? '/oauth/aftership/';
  const logger = options.logger ?? silentLogger;
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      if (!url.pathname.startsWith(prefix)) return;
      const answer = async (): Promise<Response> => (await options.handle(request)) ?? Response.json({ error: 'not found' }, { status: 404 });
      endResponse(await answerOrInternalError(answer, logger.child({ requestId: serverContext.requestId }), 'oauth'));
    },
  };
}
