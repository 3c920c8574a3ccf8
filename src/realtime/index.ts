/**
 * Live tracking: AfterShip webhooks (or, without them, polling) feed GraphQL subscriptions.
 *
 *   POST /webhooks/aftership → verify → de-dup → cache → diff → coalesce → pubsub → trackingUpdated / trackingEvents
 *
 * The app routes the webhook path to `receiveWebhook`, puts `pubsub` into the GraphQL context
 * and calls `stop()` on shutdown.
 */
import type { AfterShipClient } from '../aftership/types.js';
import type { GatewayCache } from '../cache/index.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import { createCoalescer } from './coalesce.js';
import { createMemoryDedupStore, type DedupStore } from './dedup.js';
import { createMemoryEventLog, type EventLog } from './event-log.js';
import { createPoller, type PollingOptions } from './poller.js';
import { createRealtimePubSub, type RealtimePubSub } from './pubsub.js';
import { createTrackingUpdates, type TrackingUpdates } from './tracking-updates.js';
import { answerResponse, createWebhookReceiver, fetchDelivery, type WebhookReceiver, type WebhookRecorder } from './webhook-receiver.js';

export interface RealtimeOptions {
  cache: GatewayCache;
  client: AfterShipClient;
  accountId: string;
  /** Undefined: webhooks disabled (401 on every delivery); subscriptions are kept live by polling. */
  webhookSecret?: string;
  /** Largest webhook body accepted; larger gets 413. @default 1 MiB */
  maxBodyBytes?: number;
  /** The whole webhook body must arrive within this long; 408 after. @default 10000 */
  bodyTimeoutMs?: number;
  /** @default in-memory: 72 h of event ids, at most 500k */
  dedup?: DedupStore;
  /** @default in-memory transport (one process); pass one built on a shared transport for replicas */
  pubsub?: RealtimePubSub;
  /** Where published events are retained for consumers to resume. @default in memory, 72 h, 256 MiB */
  eventLog?: EventLog;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
  polling?: PollingOptions;
  /**
   * Events of one tracking within this many ms of its first are delivered as one change
   * (REALTIME_COALESCE_MS, coalesce.ts). @default 0 (every event on its own; the app passes the configured window)
   */
  coalesceMs?: number;
  /** Metrics of webhook deliveries. @default records nothing */
  webhookRecorder?: WebhookRecorder;
}

export interface Realtime {
  /** Receives a delivery of `POST /webhooks/aftership` (the gateway's Node route hands them over). */
  receiveWebhook: WebhookReceiver;
  /** The same for a Fetch `Request` (a Fetch-API server, tests); `requestId` goes on its log lines. */
  handleWebhook(request: Request, facts?: { requestId?: string }): Promise<Response>;
  /** Goes into the GraphQL context as `pubsub`; the subscription fields read it. */
  pubsub: RealtimePubSub;
  /** The account's retained events (`trackingEvents(after:)` replays from it). */
  eventLog: EventLog;
  /** Applies a tracking state (webhook or poll path); exposed for tests and tools. */
  updates: TrackingUpdates;
  /** True while subscriptions are kept live by polling (no secret, or webhooks went quiet). */
  polling(): boolean;
  /** Runs one polling round now (whether or not polling is active). */
  pollNow(): Promise<void>;
  /** Stops polling and ends every subscription. */
  stop(): Promise<void>;
}

export function createRealtime(options: RealtimeOptions): Realtime {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'realtime' });
  const pubsub = options.pubsub ?? createRealtimePubSub();
  const dedup = options.dedup ?? createMemoryDedupStore({ clock });
  const eventLog = options.eventLog ?? createMemoryEventLog({ clock });
  const coalescer = createCoalescer({
    windowMs: options.coalesceMs ?? 0,
    clock,
    // The one place a change leaves for subscribers: it gets its cursor in the log first. Appends
    // resolve in call order (memory, or one Redis connection), so publishes keep that order.
    emit: (change) => eventLog.append(change).then((logged) => pubsub.publish(logged)),
    onError: (err, change) => logger.error({ err, eventId: change.eventId, trackingId: change.trackingId }, 'tracking change not published'),
  });
  const updates = createTrackingUpdates({ accountId: options.accountId, cache: options.cache, coalescer, clock });
  const poller = createPoller(
    {
      accountId: options.accountId,
      client: options.client,
      cache: options.cache,
      pubsub,
      updates,
      clock,
      logger,
      webhooksEnabled: Boolean(options.webhookSecret),
    },
    options.polling,
  );
  const receiveWebhook = createWebhookReceiver({
    webhookSecret: options.webhookSecret,
    maxBodyBytes: options.maxBodyBytes,
    bodyTimeoutMs: options.bodyTimeoutMs,
    dedup,
    updates,
    logger,
    onAuthentic: () => poller.webhookReceived(),
    recorder: options.webhookRecorder,
  });

  return {
    receiveWebhook,
    handleWebhook: (request, facts) => receiveWebhook(fetchDelivery(request, clock, facts?.requestId)).then(answerResponse),
    pubsub,
    eventLog,
    updates,
    polling: () => poller.active(),
    pollNow: () => poller.pollOnce(),
    async stop() {
      poller.stop();
      await coalescer.flush();
      await pubsub.close();
      await eventLog.close();
    },
  };
}

export { DEFAULT_COALESCE_MS } from './coalesce.js';
export {
  compareCursors,
  createMemoryEventLog,
  DEFAULT_EVENT_LOG_MAX_BYTES,
  DEFAULT_EVENT_LOG_RETENTION_MS,
  EventCursorExpiredError,
  EventLogUnavailableError,
  InvalidEventCursorError,
  type EventLog,
  type EventLogStats,
  type LoggedChange,
} from './event-log.js';
export { resumeEvents, type ResumeOptions } from './resume.js';
export { createMemoryDedupStore, DEFAULT_DEDUP_TTL_MS, type DedupStore, type MemoryDedupStore } from './dedup.js';
export { createMemoryTransport, createRealtimePubSub, streamTopic, trackingTopic } from './pubsub.js';
export type { LiveSubscription, PubSubTransport, RealtimePubSub, RealtimePubSubStats, SubscribeOptions } from './pubsub.js';
export { compileFilter, diffTracking, TRACKING_EVENT_KINDS } from './events.js';
export type { DeliveryEstimate, TrackingChange, TrackingEventFilter, TrackingEventKind } from './events.js';
export { signWebhookBody, verifyWebhookSignature, SIGNATURE_HEADER } from './verify-signature.js';
export { parseWebhook, WebhookBodyTooLarge, WebhookBodyTooSlow, WEBHOOK_ERROR_CODES } from './webhook-receiver.js';
export type { WebhookAnswer, WebhookDelivery, WebhookOutcome, WebhookReceiver, WebhookRecorder } from './webhook-receiver.js';
export type { PollingOptions } from './poller.js';
