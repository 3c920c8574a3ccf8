/**
 * Cross-instance mutual exclusion for OAuth refreshes. When several gateway instances share tokens
 * in Redis and AfterShip rotates refresh tokens, two instances refreshing at once would burn the same
 * refresh token and one would see `invalid_grant`. With the lock, the second instance waits, then
 * re-reads the store and finds the fresh token instead of refreshing again.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface RefreshLock {
  run<T>(accountId: string, fn: () => Promise<T>): Promise<T>;
}

export interface RedisRefreshLockOptions {
  redis: Redis;
  /** @default "asgw:" */
  prefix?: string;
  /** The lock frees itself after this long if its holder dies. @default 15000 */
  ttlMs?: number;
  /** Poll interval while waiting (real time: this is about another process). @default 50 */
  pollMs?: number;
}

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export function createRedisRefreshLock(options: RedisRefreshLockOptions): RefreshLock {
  const { redis } = options;
  const prefix = `${options.prefix ?? 'asgw:'}oauth-refresh-lock:`;
  const ttlMs = options.ttlMs ?? 15_000;
  const pollMs = options.pollMs ?? 50;
  return {
    async run(accountId, fn) {
      const key = prefix + accountId;
      const owner = randomBytes(12).toString('hex');
      const deadline = Date.now() + ttlMs;
      let held = false;
      while (!held) {
        held = (await redis.set(key, owner, 'PX', ttlMs, 'NX')) === 'OK';
        // Past the TTL the holder is gone or stuck; go on rather than block requests forever.
        if (!held && Date.now() > deadline) break;
        if (!held) await new Promise((r) => setTimeout(r, pollMs));
      }
      try {
        return await fn();
      } finally {
        if (held) await redis.eval(RELEASE, 1, key, owner).catch(() => undefined);
      }
    },
  };
}
