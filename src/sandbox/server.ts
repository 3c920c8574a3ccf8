/**
 * The plain Node http server around the WHATWG handler: buffers the body, builds a Request,
 * writes the Response, or destroys the socket for a "dropped connection" fault.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DROP, type DispatchResult } from './api.js';

export interface HttpServer {
  listen(port: number, host: string): Promise<string>;
  url(): string | undefined;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    else if (v !== undefined) headers.set(k, v);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && chunks.length > 0;
  return new Request(new URL(req.url ?? '/', base), { method, headers, body: hasBody ? Buffer.concat(chunks) : undefined });
}

export function createHttpServer(dispatch: (request: Request) => Promise<DispatchResult>): HttpServer {
  let server: Server | undefined;
  let baseUrl: string | undefined;
  return {
    url: () => baseUrl,
    listen(port, host) {
      if (server) return Promise.reject(new Error('sandbox is already listening'));
      const s = createServer((req, res) => {
        void (async () => {
          try {
            const result = await dispatch(await toRequest(req, baseUrl ?? `http://${host}`));
            if (result === DROP) {
              req.socket.destroy();
              return;
            }
            const headers: Record<string, string> = {};
            result.headers.forEach((v, k) => (headers[k] = v));
            const body = Buffer.from(await result.arrayBuffer());
            res.writeHead(result.status, { ...headers, 'content-length': String(body.length) });
            res.end(body);
          } catch {
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
            res.end('{"meta":{"code":500,"message":"Something went wrong on AfterShip\'s end.","type":"InternalError"},"data":{}}');
          }
        })();
      });
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
