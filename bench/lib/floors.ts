/**
 * What this machine allows any Node.js server, measured with the same load as the gateway: the
 * floors the webhook and fan-out rows are read against (#15's targets are absolute figures on the
 * bench machine, whose two cores the load generator shares).
 *
 * - Webhook floor: node:http only; reads the body, checks its HMAC-SHA256 signature, JSON.parse,
 *   answers 200. Every webhook receiver does at least this; the gateway also validates, de-duplicates,
 *   caches, diffs, coalesces and logs each event.
 * - Fan-out floor: node:http and `ws`, speaking just enough graphql-transport-ws for the bench's
 *   subscribers (connection_ack, remembers each subscribe id). A signed webhook is answered 200, then
 *   one `next` message, its payload serialized once, is written to every subscriber, framed into one
 *   buffer each on the connection with the gateway's own `textFrame`: no GraphQL, no coalescing window.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { textFrame } from '../../src/http/websocket.js';

export interface FloorServer {
  url: string;
  /** Subscriptions held (the fan-out floor; 0 for the webhook floor). */
  subscribers(): number;
  /** The fan-out floor: ms its last fan-out spent writing every message (the server's side alone); null before one. */
  lastWriteMs(): number | null;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The signed webhook's parsed body, or undefined when the signature does not match. */
function verified(secret: string, body: Buffer, signature: string | string[] | undefined): { msg?: Record<string, unknown> } | undefined {
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('base64'));
  const given = Buffer.from(typeof signature === 'string' ? signature : '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return JSON.parse(body.toString('utf8')) as { msg?: Record<string, unknown> };
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function listen(server: ReturnType<typeof createServer>, facts: Pick<FloorServer, 'subscribers' | 'lastWriteMs'>, onStop: () => void = () => undefined): Promise<FloorServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ...facts,
    stop: () =>
      new Promise<void>((resolve) => {
        onStop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function startWebhookFloor(secret: string): Promise<FloorServer> {
  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        let event: unknown;
        try {
          event = verified(secret, body, req.headers['aftership-hmac-sha256']);
        } catch {
          return answer(res, 400, '{"error":{"code":"INVALID_JSON"}}');
        }
        answer(res, event ? 200 : 401, event ? '{"status":"accepted"}' : '{"error":{"code":"INVALID_SIGNATURE"}}');
      },
      () => res.destroy(),
    );
  });
  server.keepAliveTimeout = 60_000;
  return listen(server, { subscribers: () => 0, lastWriteMs: () => null });
}

export function startFanoutFloor(secret: string): Promise<FloorServer> {
  /** Every subscription: its connection and its graphql-ws id. */
  const subscribers = new Set<{ socket: Socket; id: string }>();
  let lastWriteMs: number | null = null;
  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        const event = verified(secret, body, req.headers['aftership-hmac-sha256']);
        if (!event) return answer(res, 401, '{"error":{"code":"INVALID_SIGNATURE"}}');
        answer(res, 200, '{"status":"accepted"}');
        const t = event.msg ?? {};
        const checkpoints = Array.isArray(t.checkpoints) ? (t.checkpoints as Record<string, unknown>[]) : [];
        const last = checkpoints[checkpoints.length - 1];
        // The bench subscription's selection, read off the tracking by hand.
        const data = { trackingUpdated: { aftershipId: t.id, tag: t.tag, subtag: t.subtag, updatedAt: t.updated_at, latestCheckpoint: last ? { message: last.message, checkpointTime: last.checkpoint_time } : null } };
        const t0 = performance.now();
        const shared = Buffer.from(`${JSON.stringify({ data })}}`);
        for (const s of subscribers) if (s.socket.writable) s.socket.write(textFrame(`{"id":${JSON.stringify(s.id)},"type":"next","payload":`, shared));
        lastWriteMs = performance.now() - t0;
      },
      () => res.destroy(),
    );
  });
  const wss = new WebSocketServer({ server, perMessageDeflate: false, handleProtocols: () => 'graphql-transport-ws' });
  wss.on('connection', (ws, req) => {
    const mine: { socket: Socket; id: string }[] = [];
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; id?: string };
      if (msg.type === 'connection_init') ws.send('{"type":"connection_ack"}');
      else if (msg.type === 'subscribe' && msg.id) {
        const s = { socket: req.socket, id: msg.id };
        mine.push(s);
        subscribers.add(s);
      } else if (msg.type === 'ping') ws.send('{"type":"pong"}');
    });
    ws.on('close', () => mine.forEach((s) => subscribers.delete(s)));
  });
  return listen(server, { subscribers: () => subscribers.size, lastWriteMs: () => lastWriteMs }, () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
  });
}
