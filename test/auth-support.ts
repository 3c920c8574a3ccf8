/**
 * Test helper for the auth tests: serves a WHATWG fetch handler over real loopback HTTP.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthConfig } from '../src/auth/config.js';
import { loadConfig, type LoadConfigOptions } from '../src/config.js';

export interface Served {
  url: string;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else if (v !== undefined) headers.set(k, v);
  }
  const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? '/', base), { method: req.method, headers, body });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export async function serve(handler: (request: Request) => Promise<Response | undefined> | Response | undefined): Promise<Served> {
  let base = '';
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const response = (await handler(await toRequest(req, base))) ?? new Response('not found', { status: 404 });
        await send(res, response);
      } catch (e) {
        res.statusCode = 500;
        res.end(String(e));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The access-control part of the configuration an environment gives (loadConfig reads it all). */
export function authConfigFrom(env: Record<string, string>, options?: LoadConfigOptions): AuthConfig {
  return loadConfig(env, options).auth;
}
