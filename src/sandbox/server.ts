/**
 * The sandbox's Node HTTP server: the WHATWG handler on @whatwg-node/server (the same Node bridge yoga
 * runs the gateway on). Answers are buffered (AfterShip's carry a Content-Length); a "dropped connection"
 * fault destroys the socket without an answer.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import { DROP, type DispatchResult } from './api.js';

export interface HttpServer {
  listen(port: number, host: string): Promise<string>;
  url(): string | undefined;
  close(): Promise<void>;
}

const INTERNAL_ERROR = '{"meta":{"code":500,"message":"Something went wrong on AfterShip\'s end.","type":"InternalError"},"data":{}}';

export function createHttpServer(dispatch: (request: Request) => Promise<DispatchResult>): HttpServer {
  let server: Server | undefined;
  let baseUrl: string | undefined;
  return {
    url: () => baseUrl,
    listen(port, host) {
      if (server) return Promise.reject(new Error('sandbox is already listening'));
      const adapter = createServerAdapter<{ req: IncomingMessage }>(async (request, { req }) => {
        try {
          // Read the whole body first, as AfterShip does: a client that gives up while the handler is
          // slow (latency fault) has still delivered its request, and it is processed.
          const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
          const received = hasBody ? await request.arrayBuffer() : undefined;
          const result = await dispatch(new Request(request.url, { method: request.method, headers: request.headers, body: received }));
          if (result === DROP) {
            req.socket.destroy();
            return new Response(null, { status: 499 }); // never sent: the socket is gone
          }
          const body = new Uint8Array(await result.arrayBuffer());
          const headers = new Headers(result.headers);
          headers.set('content-length', String(body.byteLength));
          return new Response(body, { status: result.status, headers });
        } catch {
          return new Response(INTERNAL_ERROR, { status: 500, headers: { 'content-type': 'application/json' } });
        }
      });
      const s = createServer(adapter);
      server = s;
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          const addr = s.address() as AddressInfo;
          const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          baseUrl = `http://${shownHost}:${addr.port}`;
          resolve(baseUrl);
        });
      });
    },
    close() {
      const s = server;
      server = undefined;
      if (!s) return Promise.resolve();
      return new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
