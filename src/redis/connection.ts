/**
 * The two Redis connections one gateway instance keeps (commands, and pub/sub subscriber) and
 * whether Redis is usable right now.
 *
 * Commands fail fast while Redis is away instead of queueing (no offline queue, no re-send of
 * unanswered commands): every caller has a local fallback, and a re-sent `SET NX` whose first
 * copy did run would wrongly answer "already seen". Loss and return are logged once each.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';

export interface RedisHealth {
  /** True while the command connection is ready. */
  up(): boolean;
  /** Called on every change (true: back, false: lost); returns the unsubscribe function. */
  onChange(listener: (up: boolean) => void): () => void;
}

export interface RedisConnections extends RedisHealth {
  readonly command: Redis;
  /** Only for SUBSCRIBE and friends (a subscribed connection cannot run other commands). */
  readonly subscriber: Redis;
  /** Key and channel prefix, e.g. "asgw:". */
  readonly prefix: string;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  url: string;
  /** @default "asgw:" */
  prefix?: string;
  logger: Logger;
  /** A command unanswered this long fails (and its caller falls back). @default 1000 */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts. @default 1000 */
  maxReconnectDelayMs?: number;
}

export function createRedisConnections(options: RedisConnectionOptions): RedisConnections {
  const prefix = options.prefix ?? 'asgw:';
  const logger = options.logger;
  const maxDelay = options.maxReconnectDelayMs ?? 1000;
  const base = {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: 2000,
    retryStrategy: (times: number) => Math.min(times * 100, maxDelay),
  };
  const command = new Redis(options.url, { ...base, connectionName: 'asgw-command' });
  // The subscriber resubscribes itself (see bus.ts), after which it needs no command timeout.
  const subscriber = new Redis(options.url, { ...base, commandTimeout: undefined, autoResubscribe: false, connectionName: 'asgw-subscriber' });

  const listeners = new Set<(up: boolean) => void>();
  let isUp = false;
  let everUp = false;
  let lastError = '';
  let closed = false;
  const set = (next: boolean): void => {
    if (next === isUp || closed) return;
    isUp = next;
    if (next) {
      if (everUp) logger.info('Redis is back: shared rate budget, dedup, pub/sub and cache coherence resume');
      everUp = true;
    } else {
      logger.warn({
        error: lastError || undefined,
      }, 'Redis is unavailable: serving on this instance alone (local dedup, a share of the rate budget, events kept for later)');
    }
    for (const l of [...listeners]) l(next);
  };
  command.on('ready', () => set(true));
  command.on('close', () => set(false));
  command.on('end', () => set(false));
  // Errors are reported through `close`/health; without listeners ioredis would print each retry.
  let startWarned = false;
  command.on('error', (e: Error) => {
    lastError = e.message;
    if (!everUp && !startWarned) {
      startWarned = true;
      logger.warn({ error: e.message }, 'Redis is not reachable yet: serving on this instance alone until it is');
    }
  });
  subscriber.on('error', () => undefined);

  return {
    command,
    subscriber,
    prefix,
    up: () => isUp,
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await Promise.all([
        command.quit().catch(() => command.disconnect()),
        subscriber.quit().catch(() => subscriber.disconnect()),
      ]);
    },
  };
}

/** Runs a Lua script by SHA, loading it on the first NOSCRIPT (also after a Redis restart). */
export function createScript(source: string): (redis: Redis, keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown> {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.includes('NOSCRIPT')) throw e;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
