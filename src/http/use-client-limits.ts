/**
 * Who may start GraphQL work now, decided before the body is read:
 *
 * - **load shedding**: while the event loop lags behind (`lag()`, from event-loop.ts) or the gateway
 *   already runs `maxConcurrent` operations, new work gets 503 with `Retry-After` instead of
 *   queueing without bound behind it (health checks, webhooks and other routes are answered by the
 *   plugins before this one, so they keep being served);
 * - **per-client fairness**: one client (a token's name, a JWT's subject; the address in open mode)
 *   may run at most `maxPerClient` operations at once; more get 429 with `Retry-After`, so one token
 *   cannot take the whole gateway while the others wait.
 *
 * An operation counts from its request until its response starts (an SSE subscription is released
 * once its stream opens) or its connection closes, whichever comes first. The client's key goes on
 * the server context: the GraphQL context hands it to the AfterShip client, whose rate budget takes
 * turns between clients. graphql-ws operations are not counted here (each socket authenticated once).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { clientKeyOf, type Viewer } from '../auth/viewer.js';
import { limitedLog, silentLogger, type Logger } from '../lib/logger.js';

export interface ClientLimitsOptions {
  /** @default "/graphql" */
  endpoint?: string;
  /** Operations one client may run at once; 0 turns the limit off. @default 16 */
  maxPerClient?: number;
  /** Operations the gateway runs at once over all clients; 0 turns the limit off. @default 1024 */
  maxConcurrent?: number;
  /** Recent event-loop lag in ms (event-loop.ts), and above how much new work is shed (0: never). */
  lag?: () => number;
  /** @default 500 */
  maxLagMs?: number;
  /** @default silentLogger */
  logger?: Logger;
}

/** What the plugin adds to yoga's server context. */
export interface ClientContext {
  /** Who is asking, for fairness downstream (the rate budget's turns). */
  clientKey?: string;
}

type NodeContext = { req?: IncomingMessage; res?: ServerResponse; viewer?: Viewer } & ClientContext;

const refuse = (status: 429 | 503, code: string, message: string, retryAfterSeconds: number): Response =>
  Response.json(
    { errors: [{ message, extensions: { code, retryAfterSeconds } }] },
    { status, headers: { 'retry-after': String(retryAfterSeconds), 'cache-control': 'no-store' } },
  );

export function useClientLimits(options: ClientLimitsOptions = {}): Plugin<{}, NodeContext> {
  const endpoint = options.endpoint ?? '/graphql';
  const maxPerClient = options.maxPerClient ?? 16;
  const maxConcurrent = options.maxConcurrent ?? 1024;
  const maxLagMs = options.maxLagMs ?? 500;
  const log = limitedLog(options.logger ?? silentLogger);
  const perClient = new Map<string, number>();
  let running = 0;
  /** Requests holding a slot, and how to give it back (once). */
  const held = new WeakMap<object, () => void>();

  return {
    onRequest({ request, url, serverContext, endResponse }) {
      if (url.pathname !== endpoint || request.method === 'OPTIONS') return;
      const key = serverContext.viewer ? clientKeyOf(serverContext.viewer, serverContext.req?.socket.remoteAddress) : `address:${serverContext.req?.socket.remoteAddress ?? 'unknown'}`;
      serverContext.clientKey = key;
      const lag = options.lag?.() ?? 0;
      if (maxLagMs > 0 && lag > maxLagMs) {
        log('warn', { lagMs: Math.round(lag), client: key }, 'shedding load: event loop lagging');
        return endResponse(refuse(503, 'OVERLOADED', 'The gateway is overloaded; retry shortly.', 1));
      }
      if (maxConcurrent > 0 && running >= maxConcurrent) {
        log('warn', { running, client: key }, 'shedding load: too many operations running');
        return endResponse(refuse(503, 'OVERLOADED', 'The gateway is overloaded; retry shortly.', 1));
      }
      const mine = perClient.get(key) ?? 0;
      if (maxPerClient > 0 && mine >= maxPerClient) {
        log('info', { client: key, running: mine }, 'client over its concurrency limit');
        return endResponse(refuse(429, 'TOO_MANY_REQUESTS', `Too many operations at once from this client: at most ${maxPerClient}.`, 1));
      }
      running++;
      perClient.set(key, mine + 1);
      let done = false;
      const release = (): void => {
        if (done) return;
        done = true;
        running--;
        const left = (perClient.get(key) ?? 1) - 1;
        if (left > 0) perClient.set(key, left);
        else perClient.delete(key);
      };
      held.set(request, release);
      // A client that goes away before its answer gives its slot back too.
      serverContext.res?.once('close', release);
    },
    onResponse({ request }) {
      held.get(request)?.();
    },
  };
}
