/**
 * Route plugins answer outside yoga's GraphQL error handling: an exception thrown from `onRequest` would
 * reach @whatwg-node/server, which answers 500 with the error's stack. Route handlers run through this
 * instead: the error is logged, the client gets a plain 500.
 */
import type { Logger } from '../lib/logger.js';

/** Logs the error and answers a plain 500. */
export function internalError(logger: Logger, err: unknown, route: string): Response {
  logger.error({ err, route }, 'HTTP route failed');
  return Response.json({ error: 'internal error' }, { status: 500 });
}

export async function answerOrInternalError(run: () => Promise<Response>, logger: Logger, route: string): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    return internalError(logger, err, route);
  }
}
