/**
 * The HTTP server's own limits, set on purpose (src/http/listen.ts): slow headers are cut off, the
 * defaults are not Node's, and the connection cap holds.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_LIMITS, listenHttp } from '../src/http/listen.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';

function open(url: string, first: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(first);
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

function untilClosed(socket: Socket, limitMs: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => resolve({ text, closed: false }), limitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
  });
}

describe('HTTP server limits', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ sandbox: { seed: 1 }, env: { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' } });
  });
  afterAll(() => gw?.close());

  it('cuts off a client that trickles its headers (408, disconnected) while others are served', async () => {
    const started = Date.now();
    const slow = await open(gw.url, 'POST /graphql HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => slow.writable && slow.write('x-pad: 1\r\n'), 100);
    try {
      const ok = await gw.graphql('{ __typename }');
      expect(ok).toEqual({ data: { __typename: 'Query' } });
      const { text, closed } = await untilClosed(slow, 15_000);
      expect(closed).toBe(true);
      expect(text).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      clearInterval(drip);
      slow.destroy();
    }
  });

  it('cuts off a request body that does not arrive within the request timeout', async () => {
    const slow = await open(gw.url, 'POST /graphql HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"query":');
    const { text, closed } = await untilClosed(slow, 15_000);
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
  });

  it('sets every limit deliberately, not to Node defaults, and caps connections', async () => {
    const http = await listenHttp(0, '127.0.0.1', { maxConnections: 2 });
    try {
      const { server } = http;
      expect(server.headersTimeout).toBe(DEFAULT_HTTP_LIMITS.headersTimeoutMs);
      expect(server.requestTimeout).toBe(DEFAULT_HTTP_LIMITS.requestTimeoutMs);
      expect(server.keepAliveTimeout).toBe(DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs);
      expect(server.maxRequestsPerSocket).toBe(1000);
      expect(server.maxConnections).toBe(2);
      expect(DEFAULT_HTTP_LIMITS).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 16_384 });
      http.serve((_req, res) => void res.end('ok'));
      const url = `http://127.0.0.1:${http.port}`;
      const held = await Promise.all([open(url, ''), open(url, '')]);
      await new Promise((r) => setTimeout(r, 50));
      const third = await open(url, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      const { closed, text } = await untilClosed(third, 5000);
      expect(closed).toBe(true);
      expect(text).toBe('');
      held.forEach((s) => s.destroy());
    } finally {
      await http.close();
    }
  });
});
