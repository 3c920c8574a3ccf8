/**
 * The gateway's Node HTTP server. It listens first and answers 503 until `serve` hands it yoga: the
 * embedded sandbox needs the gateway's URL (for its webhooks) before the gateway can be wired.
 *
 * Its limits are set on purpose rather than left at Node's defaults, which suit a trusted network:
 * headers within 10 s (Node: 60 s) and the whole request within 30 s (Node: 5 min), checked every
 * second (Node: every 30 s), so a slow client cannot hold a socket for minutes; at most 1000 requests
 * per keep-alive connection (Node: unlimited), so connections get rebalanced; and a cap on open
 * connections (Node: none), so a flood of sockets meets a refusal before the process runs out of file
 * descriptors. Responses (SSE streams, WebSockets) are not bounded by the request timeout.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpLimits {
  /** Complete request headers must arrive within this long (408 after). @default 10000 */
  headersTimeoutMs?: number;
  /** The whole request (headers and body) must arrive within this long (408 after). @default 30000 */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this long. @default 5000 */
  keepAliveTimeoutMs?: number;
  /** Requests served on one keep-alive connection before it is closed. @default 1000 */
  maxRequestsPerSocket?: number;
  /** Open connections (WebSockets included); more are closed as they arrive. @default 16384 */
  maxConnections?: number;
}

export const DEFAULT_HTTP_LIMITS: Required<HttpLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxRequestsPerSocket: 1000,
  maxConnections: 16_384,
};

/** How often Node checks the header and request timeouts (its default, 30 s, lets them run 30 s late). */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

export interface HttpServer {
  readonly server: Server;
  readonly port: number;
  serve(listener: RequestListener): void;
  /**
   * Stops accepting connections at once and lets the open ones finish: a keep-alive connection is
   * closed as soon as its response is done. Resolves when no connection is left, or when `deadline`
   * resolves (the rest are cut then), with how many requests were cut.
   */
  drain(deadline: Promise<void>): Promise<{ cut: number }>;
  close(): Promise<void>;
}

export async function listenHttp(port: number, host: string, limits: HttpLimits = {}): Promise<HttpServer> {
  const l = { ...DEFAULT_HTTP_LIMITS, ...limits };
  let listener: RequestListener = (_req, res) => void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"starting"}');
  let inFlight = 0;
  let draining = false;
  const server = createServer(
    {
      headersTimeout: l.headersTimeoutMs,
      // Node requires requestTimeout ≥ headersTimeout (0 would turn it off).
      requestTimeout: Math.max(l.requestTimeoutMs, l.headersTimeoutMs),
      keepAliveTimeout: l.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, l.headersTimeoutMs),
    },
    (req, res) => {
      inFlight++;
      res.once('close', () => {
        inFlight--;
        // The response is done: its connection is idle now, so close it rather than keep it alive.
        if (draining) setImmediate(() => server.closeIdleConnections());
      });
      listener(req, res);
    },
  );
  server.maxRequestsPerSocket = l.maxRequestsPerSocket;
  server.maxConnections = l.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Resolves once the server stops listening and its last connection (WebSockets included) is gone.
  let closed: Promise<void> | undefined;
  const stopListening = (): Promise<void> => (closed ??= new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    serve: (next) => void (listener = next),
    async drain(deadline) {
      draining = true;
      const done = stopListening(); // also closes the connections idle right now
      const timedOut = await Promise.race([done.then(() => false), deadline.then(() => true)]);
      const cut = timedOut ? inFlight : 0;
      if (timedOut) server.closeAllConnections();
      return { cut };
    },
    close() {
      const done = stopListening();
      server.closeAllConnections();
      return done;
    },
  };
}
