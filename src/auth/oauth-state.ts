/**
 * Server-side memory of authorizations in progress: `state` → account and PKCE verifier, single use,
 * with expiry. In memory for one instance; in Redis (sealed, since the verifier is a secret) when
 * several instances share the callback URL.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../lib/clock.js';
import type { TokenCipher } from './token-cipher.js';

export interface PendingAuthorization {
  accountId: string;
  codeVerifier: string;
  createdAt: number;
}

export interface OAuthStateStore {
  put(key: string, value: PendingAuthorization, ttlMs: number): Promise<void>;
  /** Returns and forgets the value (single use); undefined when unknown or expired. */
  take(key: string): Promise<PendingAuthorization | undefined>;
}

export function createMemoryOAuthStateStore(clock: Clock): OAuthStateStore {
  const map = new Map<string, { value: PendingAuthorization; expiresAt: number }>();
  return {
    async put(key, value, ttlMs) {
      const now = clock.now();
      for (const [k, v] of map) if (v.expiresAt <= now) map.delete(k);
      map.set(key, { value, expiresAt: now + ttlMs });
    },
    async take(key) {
      const hit = map.get(key);
      map.delete(key);
      return hit && hit.expiresAt > clock.now() ? hit.value : undefined;
    },
  };
}

export function createRedisOAuthStateStore(options: { redis: Redis; cipher: TokenCipher; prefix?: string }): OAuthStateStore {
  const prefix = `${options.prefix ?? 'asgw:'}oauth-state:`;
  return {
    async put(key, value, ttlMs) {
      await options.redis.set(prefix + key, options.cipher.seal(JSON.stringify(value), key), 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async take(key) {
      const [[, sealed]] = (await options.redis.multi().get(prefix + key).del(prefix + key).exec()) as [[Error | null, string | null]];
      if (!sealed) return undefined;
      const v = JSON.parse(options.cipher.open(sealed, key)) as PendingAuthorization;
      return typeof v.accountId === 'string' && typeof v.codeVerifier === 'string' ? v : undefined;
    },
  };
}
