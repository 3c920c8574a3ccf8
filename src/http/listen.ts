/**
 * The gateway's Node HTTP server. It listens first and answers 503 until `serve` hands it yoga: the
 * embedded sandbox needs the gateway's URL (for its webhooks) before the gateway can be wired.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpServer {
  readonly server: Server;
  readonly port: number;
  serve(listener: RequestListener): void;
  close(): Promise<void>;
}

export async function listenHttp(port: number, host: string): Promise<HttpServer> {
  let listener: RequestListener = (_req, res) => void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"starting"}');
  const server = createServer((req, res) => listener(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    serve: (next) => void (listener = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
