/**
 * The embedded AfterShip sandbox: a faithful emulator of the Tracking API 2026-07 with a seeded,
 * moving world, signed webhooks, per-endpoint rate limits and fault injection. Usable over HTTP
 * (`listen`) or in-process (`handle`). Nothing of the gateway is imported except the shared
 * wire types, the endpoint table, the clock and the logger.
 */
import { randomBytes } from 'node:crypto';
import type { EndpointKey } from '../aftership/endpoints.js';
import type { Tracking } from '../aftership/wire-types.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import { createApiHandler, DROP, type OAuthVerifier } from './api.js';
import { createCourierRegistry } from './detect.js';
import { createFaultController, type FaultController } from './faults.js';
import { createRateLimiter } from './limits.js';
import { createRequestLog, type RequestLog } from './request-log.js';
import { CONTROL_PREFIX, handleControl } from './routes/control.js';
import { createHttpServer } from './server.js';
import { seedWorld } from './seed.js';
import { createSimulation } from './simulation.js';
import { createStore } from './store.js';
import { createWorld } from './world.js';
import { DEFAULT_PENDING_ALERT_HOURS, HOUR_MS, SEED_WINDOW_DAYS } from './timing.js';
import { createWebhookDispatcher, type WebhookLog, type WebhookTarget } from './webhooks.js';
import type { RouteContext } from './routes/context.js';

export type { FaultController, FaultSettings } from './faults.js';
export type { RequestLog, RequestLogEntry, RequestFilter } from './request-log.js';
export type { WebhookLog, WebhookAttempt, WebhookTarget } from './webhooks.js';
export { signWebhook, WEBHOOK_USER_AGENT } from './webhooks.js';
export { DEMO_SPEED, SEED_WINDOW_DAYS, DEFAULT_PENDING_ALERT_HOURS } from './timing.js';

export interface SandboxOptions {
  /** Requests must send `as-api-key: <apiKey>` (401 otherwise). */
  apiKey: string;
  /** Where to POST webhooks (none: no deliveries). */
  webhookUrl?: string;
  /** HMAC-SHA256 key for `aftership-hmac-sha256`. */
  webhookSecret?: string;
  /** Number of seeded trackings (default 60; 0 = empty world), created over the last SEED_WINDOW_DAYS. */
  seed?: number;
  /** PRNG seed: same seed (and same start time) -> same world (default 42). */
  randomSeed?: number;
  /**
   * How much faster than real time the world runs with autoAdvance (default 1: AfterShip's real
   * pace, hours to days between scans). Compresses every time scale alike; DEMO_SPEED (1440) is a
   * simulated day per minute.
   */
  speed?: number;
  /**
   * New shipments arriving per simulated hour (default: the seeded pace, seed / SEED_WINDOW_DAYS
   * per day; 0 = none).
   */
  newShipmentsPerHour?: number;
  /** Hours a shipment may stay Pending before `tracking_pending_time` is sent (default 48; 0 = never). */
  pendingAlertHours?: number;
  /** Move the world on its own timer (default false: call advance()). */
  autoAdvance?: boolean;
  clock?: Clock;
  /** Per-second limits per endpoint (default: AfterShip's table). */
  rateLimits?: Partial<Record<EndpointKey, number>>;
  /** Account-wide cap in any rolling minute (0/undefined = off). */
  accountLimitPerMinute?: number;
  /** Default true. */
  enforceRateLimits?: boolean;
  /** Default AfterShip's: 14 attempts, 30 s x 2^k. */
  webhookRetry?: { attempts: number; baseDelayMs: number };
  logger?: Logger;
  /** API secret: requests signed with `as-signature-hmac-sha256` are verified (401 when wrong). */
  apiSecret?: string;
  /** PEM public key: requests signed with `as-signature-rsa-sha256` are verified. */
  apiPublicKey?: string;
  /** Refuse unsigned requests (needs apiSecret or apiPublicKey). Default false. */
  requireSignedRequests?: boolean;
  /** An OAuth server (see oauth-server.ts): serves /oauth/* and lets `Authorization: Bearer` tokens in. */
  oauth?: OAuthVerifier;
}

export interface SandboxStore {
  /** A copy of a tracking by id or legacy id. */
  get(id: string): Tracking | undefined;
  /** Copies of all trackings, newest first (builds every one: meant for tests of small worlds). */
  list(): Tracking[];
  count(): number;
  setWebhookTarget(url: string | undefined, secret?: string): void;
  /** The next planned lifecycle events of a tracking (simulation times, ms). */
  plannedEvents(id: string): { at: number; tag: string; subtag: string }[];
}

export interface Sandbox {
  listen(port?: number, host?: string): Promise<string>;
  readonly url: string;
  close(): Promise<void>;
  handle(req: Request): Promise<Response>;
  /** Moves simulation time by ms; resolves after webhooks for the resulting changes were attempted once. */
  advance(ms: number): Promise<void>;
  faults: FaultController;
  requests: RequestLog;
  webhooks: WebhookLog;
  store: SandboxStore;
  /** Applies one tracking's next lifecycle event now (and sends its webhooks); undefined if none left. */
  moveTracking(id: string): Promise<Tracking | undefined>;
  /** Simulation time (ms): the clock plus everything advance()/speed added. */
  now(): number;
  setWebhookTarget(url: string | undefined, secret?: string): void;
  /** Rebuilds the seeded world and clears faults, logs and rate windows. */
  reset(): Promise<void>;
}

const AFTERSHIP_RETRY = { attempts: 14, baseDelayMs: 30_000 };

export function createSandbox(options: SandboxOptions): Sandbox {
  if (!options.apiKey) throw new Error('createSandbox: apiKey is required');
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error('createSandbox: speed must be > 0');
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const count = options.seed ?? 60;
  if (!(Number.isInteger(count) && count >= 0)) throw new Error('createSandbox: seed must be a whole number >= 0');
  const randomSeed = options.randomSeed ?? 42;
  const newShipmentsPerHour = options.newShipmentsPerHour ?? count / (SEED_WINDOW_DAYS * 24);
  if (!(newShipmentsPerHour >= 0 && Number.isFinite(newShipmentsPerHour))) throw new Error('createSandbox: newShipmentsPerHour must be >= 0');
  const pendingAlertMs = (options.pendingAlertHours ?? DEFAULT_PENDING_ALERT_HOURS) * HOUR_MS;
  if (!(pendingAlertMs >= 0 && Number.isFinite(pendingAlertMs))) throw new Error('createSandbox: pendingAlertHours must be >= 0');
  const couriers = createCourierRegistry();
  const store = createStore();
  const world = createWorld(store);
  const requests = createRequestLog();
  const faults = createFaultController(randomSeed);
  const limiter = createRateLimiter({ clock, limits: options.rateLimits, accountLimitPerMinute: options.accountLimitPerMinute, enforce: options.enforceRateLimits ?? true });
  const webhooks = createWebhookDispatcher({
    clock, logger, retry: options.webhookRetry ?? AFTERSHIP_RETRY, target: { url: options.webhookUrl, secret: options.webhookSecret },
  });
  const seed = (now: number) => seedWorld(store, world, { count, randomSeed, now, pendingAlertMs });
  const sim = createSimulation({ clock, store, world, webhooks, rng: seed(clock.now()), speed, newShipmentsPerHour, pendingAlertMs });
  const context: RouteContext = {
    store, world, couriers, randomSeed, pendingAlertMs,
    now: () => sim.now(),
    schedule: (rec) => sim.schedule(rec),
    emitUpdate: (tracking, tagChanged) => webhooks.enqueue('tracking_update', tracking, tagChanged, sim.now()),
    newId: () => randomBytes(16).toString('hex'),
    newLegacyId: () => Array.from(randomBytes(24), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join(''),
  };
  const signing = options.apiSecret || options.apiPublicKey
    ? { apiSecret: options.apiSecret, apiPublicKey: options.apiPublicKey, required: options.requireSignedRequests ?? false }
    : undefined;
  const api = createApiHandler({ apiKey: options.apiKey, clock, logger, faults, limiter, requests, context, signature: signing, oauth: options.oauth });
  const setWebhookTarget = (url: string | undefined, secret?: string): void =>
    webhooks.setTarget({ url, secret: secret ?? webhooks.target().secret });
  const reset = async (): Promise<void> => {
    store.clear();
    world.clear();
    sim.restart(seed(sim.now()));
    limiter.reset();
    faults.reset();
    requests.reset();
    webhooks.log.reset();
  };
  const control = {
    faults, requests, webhooks: webhooks.log, reset,
    advance: (ms: number) => sim.advance(ms),
    now: () => sim.now(),
    setWebhookTarget: (t: WebhookTarget) => setWebhookTarget(t.url, t.secret),
    moveTracking: (id: string) => sim.moveTracking(id).then((t) => (t ? structuredClone(t) : undefined)),
    trackingCount: () => store.count(),
  };
  const dispatch = async (request: Request): Promise<Response | typeof DROP> => {
    const path = new URL(request.url).pathname;
    if (path.startsWith(CONTROL_PREFIX)) return handleControl(request, control);
    if (options.oauth && path.startsWith('/oauth/')) {
      const answer = options.oauth.handle(request);
      if (answer) return answer;
    }
    return api(request);
  };
  const http = createHttpServer(dispatch);
  if (options.autoAdvance) sim.start();

  return {
    listen: (port = 0, host = '127.0.0.1') => http.listen(port, host),
    get url(): string {
      const u = http.url();
      if (!u) throw new Error('sandbox is not listening: call listen() first');
      return u;
    },
    async close() {
      sim.stop();
      webhooks.close();
      await http.close();
    },
    async handle(request) {
      const result = await dispatch(request);
      if (result === DROP) throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      return result;
    },
    advance: async (ms) => void (await sim.advance(ms)),
    faults,
    requests,
    webhooks: webhooks.log,
    store: {
      get: (id) => {
        const rec = store.find(id);
        return rec ? structuredClone(world.state(rec).data) : undefined;
      },
      list: () => [...store.ordered()].reverse().map((r) => structuredClone(world.state(r).data)),
      count: () => store.count(),
      setWebhookTarget,
      plannedEvents: (id) => {
        const rec = store.find(id);
        if (!rec) return [];
        const script = world.state(rec).script;
        return rec.plan.map((p) => p.kind === 'step'
          ? { at: p.at, tag: script[p.index].tag, subtag: script[p.index].subtag }
          : { at: p.at, tag: p.kind === 'recheck' ? '(re-check)' : '(tracking_pending_time)', subtag: '' });
      },
    },
    moveTracking: control.moveTracking,
    now: () => sim.now(),
    setWebhookTarget,
    reset,
  };
}
