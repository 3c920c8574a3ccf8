/**
 * One id per HTTP request: the client's `x-request-id` when it is well formed (so a frontend or a proxy
 * can correlate), else a fresh UUID. Put on the server context (the GraphQL context factory binds it to
 * `ctx.logger`) and echoed on every response, GraphQL or not.
 */
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export interface RequestIdOptions {
  /** @default "x-request-id" */
  header?: string;
  /** @default crypto.randomUUID */
  generate?: () => string;
}

/** What the plugin adds to yoga's server context. */
export interface RequestIdContext {
  requestId?: string;
}

/** Short printable ids only: a client's id ends up in every log line of its request. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The header, by default (the webhook route, answered outside yoga, uses it too). */
export const REQUEST_ID_HEADER = 'x-request-id';

/** The client's id when it is well formed, else a fresh one. */
export function requestIdOf(given: string | string[] | null | undefined, generate: () => string = randomUUID): string {
  return typeof given === 'string' && WELL_FORMED.test(given) ? given : generate();
}

export function useRequestId(options: RequestIdOptions = {}): Plugin<{}, RequestIdContext> {
  const header = options.header ?? REQUEST_ID_HEADER;
  const generate = options.generate ?? randomUUID;
  const idOf = (request: Request): string => requestIdOf(request.headers.get(header), generate);
  return {
    onRequest({ request, serverContext }) {
      serverContext.requestId = idOf(request);
    },
    // Responses ended before this plugin's onRequest (yoga's CORS preflight and health check) get one too.
    onResponse({ request, serverContext, response }) {
      response.headers.set(header, (serverContext.requestId ??= idOf(request)));
    },
  };
}
