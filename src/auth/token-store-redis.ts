/**
 * Token store in Redis, for several gateway instances: one key per account,
 * `<prefix>oauth-tokens:<accountId>`, whose value is sealed with the same cipher as the file
 * store (bound to the account id). No expiry: the refresh token must outlive the access token.
 */
import { Redis } from 'ioredis';
import type { TokenCipher } from './token-cipher.js';
import { deserializeTokens, serializeTokens, type TokenStore } from './token-store.js';

export interface RedisTokenStoreOptions {
  /** A connected client (not closed by the store) or a redis:// URL (the store owns that connection). */
  redis: Redis | string;
  cipher: TokenCipher;
  /** @default "asgw:" */
  prefix?: string;
}

export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  const owned = typeof options.redis === 'string';
  const redis = typeof options.redis === 'string' ? new Redis(options.redis, { lazyConnect: false, maxRetriesPerRequest: 2 }) : options.redis;
  const prefix = options.prefix ?? 'asgw:';
  const { cipher } = options;
  const keyOf = (accountId: string): string => `${prefix}oauth-tokens:${accountId}`;

  return {
    async get(accountId) {
      const sealed = await redis.get(keyOf(accountId));
      if (sealed === null) return undefined;
      return deserializeTokens(cipher.open(sealed, accountId), `Redis key ${keyOf(accountId)}`);
    },
    async set(accountId, tokens) {
      await redis.set(keyOf(accountId), cipher.seal(serializeTokens(tokens), accountId));
    },
    async delete(accountId) {
      await redis.del(keyOf(accountId));
    },
    async close() {
      if (owned) await redis.quit().catch(() => undefined);
    },
  };
}
