/**
 * Access control and AfterShip accounts, assembled from an AuthConfig: the one call the app makes.
 * Everything is created here and handed back; nothing is global.
 */
import { Redis } from 'ioredis';
import { systemClock, type Clock } from '../lib/clock.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import { createAccountRegistry, type AccountRegistry } from './accounts.js';
import type { AuthConfig } from './config.js';
import { createOAuthEndpointClient } from './oauth-client.js';
import { createOAuthHandlers, type OAuthHandlers } from './oauth.js';
import { createMemoryOAuthStateStore, createRedisOAuthStateStore } from './oauth-state.js';
import { createRedisRefreshLock } from './refresh-lock.js';
import { createTokenCipher } from './token-cipher.js';
import { createFileTokenStore } from './token-store-file.js';
import { createRedisTokenStore } from './token-store-redis.js';
import type { TokenStore } from './token-store.js';
import { createAuthenticator, type Authenticator } from './viewer.js';

export * from './scopes.js';
export * from './scope-guard.js';
export * from './viewer.js';
export * from './accounts.js';
export * from './config.js';
export * from './oauth.js';
export * from './token-store.js';
export { createFileTokenStore } from './token-store-file.js';
export { createRedisTokenStore } from './token-store-redis.js';
export { createTokenCipher, TokenCipherError } from './token-cipher.js';
export { createOAuthEndpointClient, OAuthGrantError, OAuthUnavailableError } from './oauth-client.js';
export { createMemoryOAuthStateStore, createRedisOAuthStateStore } from './oauth-state.js';
export { createRedisRefreshLock, type RefreshLock } from './refresh-lock.js';

export interface GatewayAuth {
  authenticator: Authenticator;
  accounts: AccountRegistry;
  /** Present when OAuth is configured: mount `oauth.handle` for /oauth/aftership/*. */
  oauth?: OAuthHandlers;
  tokenStore?: TokenStore;
  close(): Promise<void>;
}

export interface CreateGatewayAuthDeps {
  clock?: Clock;
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
  /** Reuse the app's Redis connection (otherwise one is opened from tokenStore.redisUrl). */
  redis?: Redis;
}

export function createGatewayAuth(config: AuthConfig, deps: CreateGatewayAuthDeps = {}): GatewayAuth {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  for (const w of config.warnings) logger.warn(w);

  let tokenStore: TokenStore | undefined;
  let redis: Redis | undefined;
  let ownsRedis = false;
  let oauth: OAuthHandlers | undefined;
  let accounts: AccountRegistry;

  if (config.oauth && config.tokenStore) {
    const cipher = createTokenCipher(config.tokenStore.encryptionKey);
    if (config.tokenStore.kind === 'redis') {
      redis = deps.redis;
      if (!redis) {
        redis = new Redis(config.tokenStore.redisUrl!, { maxRetriesPerRequest: 2 });
        ownsRedis = true;
        // Failures reach callers through the commands that fail; without a listener ioredis prints
        // every reconnection attempt to stderr, around the logger.
        let warned = false;
        redis.on('error', (e: Error) => {
          if (warned) return;
          warned = true;
          logger.warn({ error: e.message }, 'Redis of the OAuth token store is unreachable; retrying');
        });
        redis.on('ready', () => {
          warned = false;
        });
      }
      tokenStore = createRedisTokenStore({ redis, cipher, prefix: config.tokenStore.redisPrefix });
    } else {
      tokenStore = createFileTokenStore({ dir: config.tokenStore.dataDir, cipher });
    }
    const endpoint = createOAuthEndpointClient({
      tokenUrl: config.oauth.tokenUrl,
      clientId: config.oauth.clientId,
      clientSecret: config.oauth.clientSecret,
      clock,
      fetch: deps.fetch,
    });
    accounts = createAccountRegistry({
      accounts: config.accounts,
      defaultAccountId: config.defaultAccountId,
      tokenStore,
      oauthEndpoint: endpoint,
      clock,
      refreshSkewMs: config.oauth.refreshSkewMs,
      refreshLock: redis ? createRedisRefreshLock({ redis, prefix: config.tokenStore.redisPrefix }) : undefined,
      logger,
    });
    const authenticator = createAuthenticator(config, { clock, fetch: deps.fetch, accounts, logger });
    oauth = createOAuthHandlers({
      config: config.oauth,
      accounts,
      authenticator,
      endpoint,
      stateStore: redis ? createRedisOAuthStateStore({ redis, cipher, prefix: config.tokenStore.redisPrefix }) : createMemoryOAuthStateStore(clock),
      clock,
      logger,
    });
    return { authenticator, accounts, oauth, tokenStore, close: async () => void (ownsRedis && (await redis?.quit().catch(() => undefined))) };
  }

  accounts = createAccountRegistry({ accounts: config.accounts, defaultAccountId: config.defaultAccountId, clock, logger });
  // In sandbox mode the lead may add the sandbox account later; only check accounts when some exist.
  const authenticator = createAuthenticator(config, { clock, fetch: deps.fetch, accounts: config.accounts.length ? accounts : undefined, logger });
  return { authenticator, accounts, close: async () => undefined };
}
