/**
 * Keeps subscriptions live without webhooks: when no webhook secret is configured, or no
 * authentic webhook arrived for `staleAfterMs`, every tracking someone watches in this process
 * is re-read from AfterShip every `intervalMs` in the client's background lane (served only when
 * no user call waits), and whatever changed is published like a webhook would be.
 * Trackings nobody watches any more are not polled.
 */
import type { AfterShipClient } from '../aftership/types.js';
import { GatewayError } from '../lib/errors.js';
import type { GatewayCache } from '../cache/index.js';
import type { Clock, TimerHandle } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { RealtimePubSub } from './pubsub.js';
import type { TrackingUpdates } from './tracking-updates.js';

export interface PollingOptions {
  /** Time between two polls of a watched tracking. @default 30_000 */
  intervalMs?: number;
  /** Webhooks count as stopped after this long without an authentic one. @default 120_000 */
  staleAfterMs?: number;
  /** Trackings fetched at once per round. @default 4 */
  concurrency?: number;
}

export interface Poller {
  /** Webhooks are flowing: postpones polling by `staleAfterMs`. */
  webhookReceived(): void;
  /** True when subscriptions are currently kept live by polling. */
  active(): boolean;
  /** Runs one round now (also what the timer runs); resolves when it is done. */
  pollOnce(): Promise<void>;
  stop(): void;
}

export interface PollerDeps {
  accountId: string;
  client: AfterShipClient;
  cache: GatewayCache;
  pubsub: RealtimePubSub;
  updates: TrackingUpdates;
  clock: Clock;
  logger: Logger;
  /** False when no webhook secret is set: always poll. */
  webhooksEnabled: boolean;
}

export function createPoller(deps: PollerDeps, options: PollingOptions = {}): Poller {
  const { accountId, client, cache, pubsub, updates, clock, logger } = deps;
  const intervalMs = options.intervalMs ?? 30_000;
  const staleAfterMs = options.staleAfterMs ?? 120_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  if (!(intervalMs > 0) || !(staleAfterMs > 0)) throw new RangeError('polling intervalMs and staleAfterMs must be positive');

  // Start-up counts as "just heard from AfterShip": give webhooks staleAfterMs to show up.
  let lastWebhookAt = clock.now();
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const controller = new AbortController();

  const active = (): boolean => !deps.webhooksEnabled || clock.now() - lastWebhookAt >= staleAfterMs;

  const refresh = async (id: string): Promise<void> => {
    try {
      const tracking = await client.getTracking(id, undefined, { priority: 'background', signal: controller.signal });
      if (stopped) return;
      const outcome = await updates.apply({
        eventId: `poll:${tracking.id ?? id}:${tracking.updated_at ?? ''}`,
        source: 'poll',
        webhookEvent: null,
        ts: null,
        isFirstTag: null,
        tracking,
      });
      if (outcome.status === 'published') logger.debug({ trackingId: id, kinds: outcome.change.kinds }, 'poll found a change');
    } catch (e) {
      if (stopped) return;
      const code = e instanceof GatewayError ? e.code : undefined;
      logger.warn({ trackingId: id, code, error: e instanceof Error ? e.message : String(e) }, 'poll of a watched tracking failed');
    }
  };

  const round = async (): Promise<void> => {
    const ids = pubsub.watchedIds(accountId);
    for (let i = 0; i < ids.length && !stopped; i += concurrency) {
      await Promise.all(ids.slice(i, i + concurrency).map(refresh));
    }
  };

  const pollOnce = (): Promise<void> => {
    // One round at a time: a slow round (rate budget) delays the next rather than piling up.
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = clock.setTimer(() => {
      if (active()) void pollOnce().finally(schedule);
      else schedule();
    }, intervalMs);
  };

  // A new watcher of a tracking the gateway knows nothing about gets a baseline right away
  // (when polling), so the first later poll can tell what changed.
  const offWatch = pubsub.onWatch((acc, id) => {
    if (acc !== accountId || stopped) return;
    const cached = cache.peekTracking(accountId, id)?.value;
    if (cached) updates.remember(cached);
    else if (active()) void refresh(id);
  });

  schedule();

  return {
    webhookReceived() {
      lastWebhookAt = clock.now();
    },
    active,
    pollOnce,
    stop() {
      stopped = true;
      timer?.cancel();
      offWatch();
      controller.abort(new Error('realtime stopped'));
    },
  };
}
