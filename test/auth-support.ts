/**
 * Test helper for the auth tests: serves a WHATWG fetch handler over real loopback HTTP.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthConfig } from '../src/auth/config.js';
import { loadConfig, type LoadConfigOptions } from '../src/config.js';
import { createServerAdapter } from '@whatwg-node/server';

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(handler: (request: Request) => Promise<Response | undefined> | Response | undefined): Promise<Served> {
  const server = createServer(createServerAdapter(async (request) => (await handler(request)) ?? new Response('not found', { status: 404 })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
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
