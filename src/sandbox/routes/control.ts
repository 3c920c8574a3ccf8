/**
 * Control routes: no API key, JSON in and out, under /__sandbox (not part of AfterShip's API).
 *
 *   GET    /__sandbox                       what is served: base path, endpoints, counts, simulation time
 *   GET    /__sandbox/faults                current fault settings
 *   POST   /__sandbox/faults                merge fault settings: {latencyMs, errorRate, errorStatus,
 *                                           rateLimitRate, force429Count, dropRate, dropCount, endpoints}
 *   DELETE /__sandbox/faults                clear every fault
 *   POST   /__sandbox/advance               {ms}: move simulation time; answers {applied, now}
 *   GET    /__sandbox/requests              request log, filters ?endpoint=GET%20/trackings&status=429&method=GET
 *                                           -> {count, max_per_second, requests}
 *   DELETE /__sandbox/requests              clear the request log
 *   GET    /__sandbox/webhooks              webhook delivery attempts -> {count, pending, attempts}
 *   DELETE /__sandbox/webhooks              clear the webhook log
 *   POST   /__sandbox/webhooks/flush        run every pending retry now
 *   PUT    /__sandbox/webhook-target        {url, secret}: where webhooks go (url null: nowhere)
 *   POST   /__sandbox/trackings/:id/move    apply that tracking's next lifecycle event now (sends its webhook)
 *   POST   /__sandbox/reset                 rebuild the seeded world; clear faults, logs and rate windows
 *
 * Errors answer {error: "<message>"} with 400 (bad input) or 404 (unknown route or tracking).
 */
import { ENDPOINT_KEYS, type EndpointKey } from '../../aftership/endpoints.js';
import { API_PATH_PREFIX } from '../../aftership/wire-types.js';
import type { FaultController, FaultSettings } from '../faults.js';
import type { RequestLog } from '../request-log.js';
import type { WebhookLog, WebhookTarget } from '../webhooks.js';
import type { Tracking } from '../../aftership/wire-types.js';
import { isObject } from '../http.js';

export const CONTROL_PREFIX = '/__sandbox';

export interface ControlTarget {
  faults: FaultController;
  requests: RequestLog;
  webhooks: WebhookLog;
  advance(ms: number): Promise<number>;
  now(): number;
  reset(): Promise<void>;
  setWebhookTarget(target: WebhookTarget): void;
  moveTracking(id: string): Promise<Tracking | undefined>;
  trackingCount(): number;
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
const fail = (status: number, error: string): Response => json(status, { error });

async function readJson(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text.trim()) return {};
  const v: unknown = JSON.parse(text);
  if (!isObject(v)) throw new Error('body must be a JSON object');
  return v;
}

export async function handleControl(request: Request, target: ControlTarget): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '') || '/';
  const route = `${request.method.toUpperCase()} ${path}`;
  try {
    switch (route) {
      case 'GET /':
        return json(200, {
          api_base_path: API_PATH_PREFIX, endpoints: ENDPOINT_KEYS, trackings: target.trackingCount(),
          simulation_time: new Date(target.now()).toISOString(), faults: target.faults.get(),
        });
      case 'GET /faults':
        return json(200, target.faults.get());
      case 'POST /faults':
        return json(200, target.faults.set((await readJson(request)) as Partial<FaultSettings>));
      case 'DELETE /faults':
        target.faults.reset();
        return json(200, target.faults.get());
      case 'POST /advance': {
        const { ms } = await readJson(request);
        if (typeof ms !== 'number' || !(ms >= 0)) return fail(400, 'advance needs {"ms": <number >= 0>}');
        const applied = await target.advance(ms);
        return json(200, { applied, now: new Date(target.now()).toISOString() });
      }
      case 'GET /requests': {
        const endpoint = url.searchParams.get('endpoint') ?? undefined;
        if (endpoint !== undefined && !ENDPOINT_KEYS.includes(endpoint as EndpointKey)) return fail(400, `unknown endpoint "${endpoint}"`);
        const status = url.searchParams.get('status');
        const method = url.searchParams.get('method') ?? undefined;
        const filter = { endpoint: endpoint as EndpointKey | undefined, status: status === null ? undefined : Number(status), method };
        const requests = target.requests.all().filter((e) => matchesFilter(e, filter));
        return json(200, { count: requests.length, max_per_second: target.requests.maxInWindow({ endpoint: filter.endpoint }), requests });
      }
      case 'DELETE /requests':
        target.requests.reset();
        return json(200, { count: 0 });
      case 'GET /webhooks': {
        const attempts = target.webhooks.all();
        return json(200, { count: attempts.length, pending: target.webhooks.pending(), attempts });
      }
      case 'DELETE /webhooks':
        target.webhooks.reset();
        return json(200, { count: 0 });
      case 'POST /webhooks/flush':
        await target.webhooks.flush();
        return json(200, { pending: target.webhooks.pending() });
      case 'PUT /webhook-target': {
        const body = await readJson(request);
        if (body.url !== null && body.url !== undefined && (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url))) {
          return fail(400, 'url must be an http(s) URL or null');
        }
        if (body.secret !== undefined && typeof body.secret !== 'string') return fail(400, 'secret must be a string');
        target.setWebhookTarget({ url: (body.url as string | null) ?? undefined, secret: body.secret as string | undefined });
        return json(200, { url: body.url ?? null });
      }
      case 'POST /reset':
        await target.reset();
        return json(200, { trackings: target.trackingCount() });
    }
    const move = /^POST \/trackings\/([^/]+)\/move$/.exec(route);
    if (move) {
      const t = await target.moveTracking(decodeURIComponent(move[1]));
      return t ? json(200, { tracking: t }) : fail(404, 'no such tracking, or nothing left to happen to it');
    }
    return fail(404, `unknown control route ${route}`);
  } catch (err) {
    return fail(400, err instanceof Error ? err.message : String(err));
  }
}

function matchesFilter(e: { endpoint?: EndpointKey; status: number; method: string }, f: { endpoint?: EndpointKey; status?: number; method?: string }): boolean {
  return (f.endpoint === undefined || e.endpoint === f.endpoint) && (f.status === undefined || e.status === f.status) &&
    (f.method === undefined || e.method === f.method.toUpperCase());
}
