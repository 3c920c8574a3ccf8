/**
 * Many graphql-ws subscribers, one WebSocket each or several subscriptions per socket, speaking
 * graphql-transport-ws by hand (raw `ws` is far lighter than a full client per socket). Then signed
 * webhooks are posted from this same process, so send time and arrival times are read from one clock.
 */
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { summarize, type Summary } from '../lib/stats.js';
import { classifyWebhook, createAgent, send } from './http.js';

export interface SwarmJob {
  wsUrl: string;
  /** Subscribers (subscriptions) in all. */
  count: number;
  query: string;
  variables: Record<string, unknown>;
  /** Subscriber n runs operations[n % length] instead of query/variables (mixed fan-out). */
  operations?: { query: string; variables: Record<string, unknown> }[];
  /** Subscriptions per socket (ids s0, s1, ...). @default 1 */
  perSocket?: number;
  /** Sockets being opened at once. */
  connectConcurrency: number;
  /** `connection_init` payload (e.g. `{ Authorization: "Bearer ..." }`). */
  connectionParams?: Record<string, unknown>;
}

export interface SwarmConnectResult {
  /** Sockets acknowledged by the server and subscribed. */
  subscribed: number;
  failed: number;
  firstError?: string;
  connectMs: number;
}

export interface FireJob {
  webhookUrl: string;
  secret: string;
  /** The webhook body, exactly as signed. */
  body: string;
  /** More webhooks, posted with `body` (concurrently, 16 at a time); each subscriber waits for its first event. */
  more?: string[];
  /** Give up waiting for stragglers after this long. */
  timeoutMs: number;
}

export interface FanoutResult {
  subscribers: number;
  received: number;
  ack: string;
  /** The (last) webhook's answer time, from the first POST. */
  ackMs: number;
  /** From just before the webhook POST to each subscriber's `next` message. */
  latencyMs: Summary;
  errors: number;
}

export interface Swarm {
  connect(): Promise<SwarmConnectResult>;
  fire(job: FireJob): Promise<FanoutResult>;
  close(): Promise<void>;
}

const NEXT = Buffer.from('"type":"next"');
const ID_S = Buffer.from('"id":"s');

export function createSwarm(job: SwarmJob): Swarm {
  const sockets: WebSocket[] = [];
  /** Arrival time of the first `next` per socket (NaN until then). */
  let arrivals = new Float64Array(0);
  let errors = 0;
  let received = 0;
  /** Subscribers that connected: the ones we wait for. */
  let expected = 0;
  let onArrival: (() => void) | undefined;

  const perSocket = Math.max(1, job.perSocket ?? 1);
  const sockets_ = Math.ceil(job.count / perSocket);
  const open = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(job.wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
      sockets[i] = ws;
      const first = i * perSocket;
      const subs = Math.min(perSocket, job.count - first);
      const timer = setTimeout(() => reject(new Error('connection_ack timed out')), 30_000);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: job.connectionParams })));
      ws.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      ws.on('message', (data: Buffer) => {
        // Hot path first, on the bytes (no decoding): a `next` is what we are timing. Its id is `s<j>`.
        if (data.indexOf(NEXT) >= 0) {
          const at = data.indexOf(ID_S);
          let j = 0;
          for (let k = at < 0 ? data.length : at + ID_S.length; k < data.length; k++) {
            const c = data[k]!;
            if (c < 48 || c > 57) break;
            j = j * 10 + c - 48;
          }
          const n = first + j;
          if (Number.isNaN(arrivals[n])) {
            arrivals[n] = performance.now();
            received++;
            onArrival?.();
          }
          return;
        }
        const text = data.toString();
        const msg = JSON.parse(text) as { type: string };
        if (msg.type === 'connection_ack') {
          clearTimeout(timer);
          for (let j = 0; j < subs; j++) {
            const op = job.operations ? job.operations[(first + j) % job.operations.length]! : { query: job.query, variables: job.variables };
            ws.send(JSON.stringify({ id: `s${j}`, type: 'subscribe', payload: op }));
          }
          resolve();
        } else if (msg.type === 'ping') {
          ws.send('{"type":"pong"}');
        } else if (msg.type === 'error') {
          errors++;
        }
      });
    });

  return {
    async connect() {
      const t0 = performance.now();
      arrivals = new Float64Array(job.count).fill(NaN);
      let nextIndex = 0;
      let subscribed = 0;
      let failed = 0;
      let firstError: string | undefined;
      const worker = async (): Promise<void> => {
        while (nextIndex < sockets_) {
          const i = nextIndex++;
          try {
            await open(i);
            subscribed += Math.min(perSocket, job.count - i * perSocket);
          } catch (e) {
            failed += Math.min(perSocket, job.count - i * perSocket);
            firstError ??= e instanceof Error ? e.message : String(e);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(job.connectConcurrency, sockets_)) }, worker));
      expected = subscribed;
      return { subscribed, failed, firstError, connectMs: performance.now() - t0 };
    },

    async fire(f) {
      const bodies = [f.body, ...(f.more ?? [])];
      const agent = createAgent(Math.min(16, bodies.length));
      const all = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, f.timeoutMs);
        onArrival = () => {
          if (received >= expected) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      const signed = bodies.map((body) => ({ body, signature: createHmac('sha256', f.secret).update(body, 'utf8').digest('base64') }));
      const url = new URL(f.webhookUrl);
      const t0 = performance.now();
      let answer = '';
      let ackMs = 0;
      let nextBody = 0;
      const poster = async (): Promise<void> => {
        while (nextBody < signed.length) {
          const { body, signature } = signed[nextBody++]!;
          const r = await send(agent, url, 'POST', { 'content-type': 'application/json', 'aftership-hmac-sha256': signature, 'as-webhook-version': '2026-07' }, body);
          const outcome = classifyWebhook(r);
          if (!answer || outcome !== 'accepted') answer = outcome;
          ackMs = Math.max(ackMs, performance.now() - t0);
        }
      };
      await Promise.all(Array.from({ length: Math.min(16, signed.length) }, poster));
      await all;
      onArrival = undefined;
      agent.destroy();
      const lat: number[] = [];
      for (const a of arrivals) if (!Number.isNaN(a)) lat.push(a - t0);
      return { subscribers: expected, received: lat.length, ack: answer, ackMs, latencyMs: summarize(lat), errors };
    },

    async close() {
      await Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (!ws || ws.readyState === WebSocket.CLOSED) return resolve();
              ws.once('close', () => resolve());
              ws.terminate();
            }),
        ),
      );
      sockets.length = 0;
    },
  };
}
