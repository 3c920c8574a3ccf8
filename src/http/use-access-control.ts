/**
 * Access control for HTTP: every request that reaches this plugin (the public routes before it in the
 * plugin list have answered theirs; CORS preflights are answered by yoga before any plugin) must carry
 * credentials. The viewer goes on the server context, where the GraphQL context factory picks it up;
 * a refusal is the gateway's own JSON 401/403 with `WWW-Authenticate`, and gets yoga's CORS headers like
 * any other response, so a cross-origin page can read it. WebSocket connections authenticate in
 * `connection_init` instead (websocket.ts).
 */
import type { Plugin } from 'graphql-yoga';
import { AuthError, authErrorResponse, type Authenticator, type Viewer } from '../auth/index.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import { internalError } from './internal-error.js';
import type { RequestIdContext } from './use-request-id.js';

export interface AccessControlOptions {
  authenticator: Pick<Authenticator, 'authenticateRequest'>;
  /** @default silentLogger */
  logger?: Logger;
}

/** What the plugin adds to yoga's server context. */
export interface ViewerContext {
  viewer?: Viewer;
}

export function useAccessControl(options: AccessControlOptions): Plugin<{}, ViewerContext & RequestIdContext> {
  const logger = options.logger ?? silentLogger;
  return {
    async onRequest({ request, serverContext, endResponse }) {
      let viewer: Viewer | AuthError;
      try {
        // Only the header: the body is still yoga's to read.
        viewer = await options.authenticator.authenticateRequest({ authorization: request.headers.get('authorization') ?? undefined });
      } catch (err) {
        return endResponse(internalError(logger.child({ requestId: serverContext.requestId }), err, 'access control'));
      }
      if (viewer instanceof AuthError) return endResponse(authErrorResponse(viewer));
      serverContext.viewer = viewer;
    },
  };
}
