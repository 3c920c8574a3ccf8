/**
 * Load generators, written to run in their own process (load-client.ts) so the server under test
 * does not share an event loop with its clients. Jobs are plain JSON so they cross IPC.
 *
 * - closedLoop: `concurrency` workers, each sends its next request as soon as the last answered.
 * - openLoop: one request every 1/rate s whatever the answers (demand that does not slow down).
 */
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { summarize, type Summary } from '../lib/stats.js';
import { classifyGraphQL, classifyStatus, classifyWebhook, createAgent, send, type HttpAnswer } from './http.js';
import { leanConnection } from './lean-http.js';

export type Check = 'graphql' | 'webhook' | 'status';

export interface HttpTarget {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
}

/** How the body of the i-th request is made. */
export type BodySpec =
  | { kind: 'none' }
  | { kind: 'fixed'; body: string }
  /**
   * Signed AfterShip webhooks: request i (counting from `firstIndex`) carries tracking i % n,
   * event id `<runId>-<i>` and `updated_at` = baseMs + 10·i ms, so every one is a newer version.
   */
  | { kind: 'webhook'; secret: string; trackings: Record<string, unknown>[]; runId: string; baseMs: number; firstIndex: number }
  /** Request i carries bodies[i % bodies.length] (e.g. lookups of distinct numbers). */
  | { kind: 'sequence'; bodies: string[] }
  /** Request i carries `body` and the header `header: values[i % values.length]` (e.g. a different token each time). */
  | { kind: 'rotating-header'; body: string; header: string; values: string[] };

export interface ClosedLoopJob {
  target: HttpTarget;
  body: BodySpec;
  concurrency: number;
  durationMs: number;
  /** Requests in this first stretch are sent but not counted. */
  warmupMs: number;
  check: Check;
  /** One lean keep-alive connection per worker (lean-http.ts) instead of node:http's client: a cheaper load process. */
  lean?: boolean;
}

export interface ClosedLoopResult {
  /** Requests sent, warm-up included. */
  sent: number;
  /** Requests counted (answered inside the measured window). */
  requests: number;
  perSecond: number;
  latencyMs: Summary;
  outcomes: Record<string, number>;
  networkErrors: number;
}

const SIGNATURE_HEADER = 'aftership-hmac-sha256';

function classify(check: Check, a: HttpAnswer): string {
  return check === 'graphql' ? classifyGraphQL(a) : check === 'webhook' ? classifyWebhook(a) : classifyStatus(a);
}

/** A factory for the i-th request's body and extra headers. */
function bodyMaker(spec: BodySpec): (i: number) => { body?: string; headers: Record<string, string> } {
  if (spec.kind === 'none') return () => ({ headers: {} });
  if (spec.kind === 'fixed') return () => ({ body: spec.body, headers: {} });
  if (spec.kind === 'rotating-header') {
    if (spec.values.length === 0) throw new Error('rotating-header load needs at least one value');
    return (i) => ({ body: spec.body, headers: { [spec.header]: spec.values[i % spec.values.length] } });
  }
  if (spec.kind === 'sequence') {
    if (spec.bodies.length === 0) throw new Error('sequence load needs at least one body');
    return (i) => ({ body: spec.bodies[i % spec.bodies.length], headers: {} });
  }
  if (spec.trackings.length === 0) throw new Error('webhook load needs at least one tracking');
  const PLACEHOLDER = '"__BENCH_UPDATED_AT__"';
  // Serialise each tracking once; only the timestamp and the event id change per request.
  const templates = spec.trackings.map((t) => JSON.stringify({ ...t, updated_at: '__BENCH_UPDATED_AT__' }));
  return (seq) => {
    const i = spec.firstIndex + seq;
    const at = spec.baseMs + i * 10;
    const msg = templates[i % templates.length].replace(PLACEHOLDER, JSON.stringify(new Date(at).toISOString()));
    const body = `{"event":"tracking_update","event_id":"${spec.runId}-${i}","is_tracking_first_tag":false,"msg":${msg},"ts":${Math.floor(at / 1000)}}`;
    return { body, headers: { [SIGNATURE_HEADER]: createHmac('sha256', spec.secret).update(body, 'utf8').digest('base64'), 'as-webhook-version': '2026-07' } };
  };
}

export async function closedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult> {
  if (!(job.concurrency >= 1) || !(job.durationMs > 0)) throw new Error('closedLoop: concurrency >= 1 and durationMs > 0 required');
  const url = new URL(job.target.url);
  const agent = createAgent(job.concurrency);
  const make = bodyMaker(job.body);
  const baseHeaders = { 'content-type': 'application/json', accept: 'application/json', ...job.target.headers };
  const start = performance.now();
  const countFrom = start + job.warmupMs;
  const end = countFrom + job.durationMs;
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let networkErrors = 0;
  let seq = 0;
  const worker = async (): Promise<void> => {
    const lean = job.lean ? leanConnection(url) : undefined;
    while (performance.now() < end) {
      const { body, headers } = make(seq++);
      const t0 = performance.now();
      let outcome: string;
      try {
        const all = { ...baseHeaders, ...headers };
        outcome = classify(job.check, await (lean ? lean.send(job.target.method, all, body) : send(agent, url, job.target.method, all, body)));
      } catch {
        networkErrors++;
        outcome = 'NETWORK_ERROR';
      }
      const t1 = performance.now();
      if (t0 >= countFrom && t1 <= end) {
        latencies.push(t1 - t0);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    }
    lean?.close();
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  agent.destroy();
  return { sent: seq, requests: latencies.length, perSecond: latencies.length / (job.durationMs / 1000), latencyMs: summarize(latencies), outcomes, networkErrors };
}

export interface OpenLoopJob {
  target: HttpTarget;
  /** One request per body, in order. */
  bodies: string[];
  ratePerSecond: number;
  check: Check;
}

export interface OpenLoopResult {
  sent: number;
  outcomes: Record<string, number>;
  /** From the first send to the last answer. */
  wallMs: number;
  /** Sending stretch only (bodies / rate). */
  offeredMs: number;
  okLatencyMs: Summary;
  failedLatencyMs: Summary;
}

export async function openLoop(job: OpenLoopJob): Promise<OpenLoopResult> {
  if (!(job.ratePerSecond > 0)) throw new Error('openLoop: ratePerSecond must be > 0');
  const url = new URL(job.target.url);
  const agent = createAgent(Infinity);
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...job.target.headers };
  const interval = 1000 / job.ratePerSecond;
  const okLat: number[] = [];
  const failedLat: number[] = [];
  const outcomes: Record<string, number> = {};
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < job.bodies.length; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inflight.push(
      send(agent, url, job.target.method, headers, job.bodies[i]).then(
        (a) => {
          const o = classify(job.check, a);
          outcomes[o] = (outcomes[o] ?? 0) + 1;
          (o === 'ok' ? okLat : failedLat).push(performance.now() - t0);
        },
        () => {
          outcomes.NETWORK_ERROR = (outcomes.NETWORK_ERROR ?? 0) + 1;
          failedLat.push(performance.now() - t0);
        },
      ),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  return {
    sent: job.bodies.length,
    outcomes,
    wallMs: performance.now() - start,
    offeredMs: job.bodies.length * interval,
    okLatencyMs: summarize(okLat),
    failedLatencyMs: summarize(failedLat),
  };
}
