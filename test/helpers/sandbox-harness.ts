/**
 * Test helpers for the sandbox: a started sandbox with an SDK client, and a webhook receiver
 * that records raw deliveries and answers with a scripted status. Everything is closed by `close()`.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AfterShip } from '@aftership/tracking-sdk';
import { ManualClock } from '../../src/lib/clock.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

export const API_KEY = 'asat_sandbox_test_key';

export interface Harness {
  sandbox: Sandbox;
  clock: ManualClock;
  url: string;
  sdk: AfterShip;
  close(): Promise<void>;
}

export async function startSandbox(options: Partial<SandboxOptions> = {}): Promise<Harness> {
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
  const sandbox = createSandbox({ apiKey: API_KEY, seed: 12, clock, ...options });
  const url = await sandbox.listen(0, '127.0.0.1');
  const sdk = new AfterShip({ api_key: API_KEY, domain: url, max_retry: 0 });
  return { sandbox, clock, url, sdk, close: () => sandbox.close() };
}

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  /** Status to answer for the nth delivery (0-based); default 200. */
  respond: (n: number, d: Delivery) => number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = { url: '', deliveries: [], respond: () => 200, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const d = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const status = receiver.respond(receiver.deliveries.length, d);
      receiver.deliveries.push(d);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/aftership`;
  receiver.close = () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return receiver;
}

/** Raw fetch against the sandbox API with the right key (override headers to test auth). */
export function api(h: Harness, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${h.url}/tracking/2026-07${path}`, {
    ...init,
    headers: { 'as-api-key': API_KEY, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
  });
}
