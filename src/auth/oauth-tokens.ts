/**
 * A valid access token for one OAuth account, on demand. Refreshes shortly BEFORE expiry, and after
 * AfterShip answers 401 (via `onUnauthorized`). Concurrent callers share one refresh (single-flight),
 * which matters because AfterShip may rotate refresh tokens: two parallel refreshes with the same
 * refresh token would make the second one fail.
 */
import { AfterShipError, ErrorCode } from '../aftership/errors.js';
import type { Clock } from '../lib/clock.js';
import { GatewayError, type PublicExtensions } from '../lib/errors.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import { OAuthGrantError, OAuthUnavailableError, type OAuthEndpointClient } from './oauth-client.js';
import type { RefreshLock } from './refresh-lock.js';
import type { OAuthTokens, TokenStore } from './token-store.js';

export interface OAuthTokenProvider {
  getAccessToken(): Promise<string>;
  /** AfterShip refused the token: refresh (once, shared by everyone who saw the 401). */
  onUnauthorized(): Promise<void>;
  /** Forget the cached tokens (after a new authorization or a disconnect). */
  invalidate(): void;
}

export interface OAuthTokenProviderOptions {
  accountId: string;
  store: TokenStore;
  endpoint: OAuthEndpointClient;
  clock: Clock;
  /** Refresh this long before expiry. @default 60000 */
  refreshSkewMs?: number;
  /**
   * A 401 right after a refresh is not cured by refreshing again: within this window
   * `onUnauthorized` does nothing. @default 5000
   */
  minRefreshIntervalMs?: number;
  /** Where a person reconnects the account. @default "/oauth/aftership/start?account=<id>" */
  connectUrl?: string;
  logger?: Logger;
  /** Serializes refreshes across gateway instances sharing the store. @default none (one instance) */
  lock?: RefreshLock;
}

/**
 * The gateway holds no usable AfterShip token for an OAuth account (never connected, or the grant
 * was revoked) until a person (re)connects it at `connectUrl`. Decided here, before any AfterShip
 * call; the code is the one clients already handle for refused gateway credentials.
 */
export class OAuthConnectionError extends GatewayError {
  override readonly name = 'OAuthConnectionError';
  readonly code = ErrorCode.Unauthenticated;
  constructor(
    readonly accountId: string,
    readonly reason: 'not-connected' | 'revoked',
    readonly connectUrl: string,
  ) {
    super(
      reason === 'revoked'
        ? `AfterShip OAuth connection for account ${accountId} was revoked; reconnect at ${connectUrl}`
        : `AfterShip OAuth account ${accountId} is not connected yet; connect it at ${connectUrl}`,
    );
  }

  override get extensions(): PublicExtensions {
    return { code: this.code, connectUrl: this.connectUrl };
  }
}

export function defaultConnectUrl(accountId: string): string {
  return `/oauth/aftership/start?account=${encodeURIComponent(accountId)}`;
}

export function createOAuthTokenProvider(options: OAuthTokenProviderOptions): OAuthTokenProvider {
  const { accountId, store, endpoint, clock } = options;
  const skew = options.refreshSkewMs ?? 60_000;
  const minInterval = options.minRefreshIntervalMs ?? 5_000;
  const connectUrl = options.connectUrl ?? defaultConnectUrl(accountId);
  const logger = (options.logger ?? silentLogger).child({ account: accountId });

  let cached: OAuthTokens | undefined;
  let refreshing: Promise<OAuthTokens> | undefined;
  let lastRefreshAt = Number.NEGATIVE_INFINITY;
  /** A refresh token AfterShip refused: no point in sending it again. */
  let deadRefreshToken: string | undefined;
  /**
   * The access token of a grant found revoked. The store still holds it until the account is
   * reconnected; without this each query would send it once more for a certain 401.
   */
  let deadAccessToken: string | undefined;

  const revoked = (grant?: OAuthTokens): OAuthConnectionError => {
    if (grant) deadAccessToken = grant.accessToken;
    cached = undefined;
    return new OAuthConnectionError(accountId, 'revoked', connectUrl);
  };

  const fresh = (t: OAuthTokens): boolean => t.expiresAt === undefined || t.expiresAt - skew > clock.now();

  const load = async (): Promise<OAuthTokens> => {
    if (cached) return cached;
    const stored = await store.get(accountId);
    if (!stored) throw new OAuthConnectionError(accountId, 'not-connected', connectUrl);
    // Still the revoked grant (a reconnection, here or on another instance, stores new tokens).
    if (stored.accessToken === deadAccessToken) throw revoked();
    cached = stored;
    return stored;
  };

  const doRefresh = async (base: OAuthTokens): Promise<OAuthTokens> => {
    // With a shared store (Redis), another gateway instance may have refreshed already.
    const stored = await store.get(accountId);
    if (stored && stored.accessToken !== base.accessToken && fresh(stored)) {
      cached = stored;
      return stored;
    }
    const from = stored ?? base;
    if (!from.refreshToken || from.refreshToken === deadRefreshToken) throw revoked(from);
    let next: OAuthTokens;
    try {
      next = await endpoint.refresh(from);
    } catch (e) {
      if (e instanceof OAuthGrantError && e.error === 'invalid_grant') {
        // Lost a race with another instance that rotated the refresh token? Use its result.
        const latest = await store.get(accountId);
        if (latest && latest.refreshToken !== from.refreshToken) {
          cached = latest;
          return latest;
        }
        deadRefreshToken = from.refreshToken;
        logger.warn('AfterShip refused the OAuth refresh token; the account must be reconnected');
        throw revoked(from);
      }
      if (e instanceof OAuthGrantError) {
        // AfterShip's token endpoint refused the app's own credentials: an upstream refusal.
        throw new AfterShipError({
          code: ErrorCode.Unauthenticated,
          message: `AfterShip refused to refresh the OAuth token of account ${accountId} (${e.error}); check AFTERSHIP_OAUTH_CLIENT_ID and AFTERSHIP_OAUTH_CLIENT_SECRET`,
          httpStatus: 401,
          cause: e,
        });
      }
      const reason = e instanceof OAuthUnavailableError ? e.message : 'unexpected error';
      throw new AfterShipError({
        code: ErrorCode.UpstreamUnavailable,
        message: `Could not refresh the AfterShip OAuth token of account ${accountId}: ${reason}`,
        cause: e,
      });
    }
    await store.set(accountId, next);
    cached = next;
    lastRefreshAt = clock.now();
    logger.info({ expiresAt: next.expiresAt }, 'refreshed AfterShip OAuth access token');
    return next;
  };

  const refresh = (base: OAuthTokens): Promise<OAuthTokens> => {
    refreshing ??= (options.lock ? options.lock.run(accountId, () => doRefresh(base)) : doRefresh(base)).finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  return {
    async getAccessToken() {
      if (refreshing) return (await refreshing).accessToken;
      const t = await load();
      if (fresh(t)) return t.accessToken;
      return (await refresh(t)).accessToken;
    },
    async onUnauthorized() {
      if (refreshing) {
        await refreshing;
        return;
      }
      if (clock.now() - lastRefreshAt < minInterval) return;
      await refresh(await load());
    },
    invalidate() {
      cached = undefined;
      deadRefreshToken = undefined;
      deadAccessToken = undefined;
      lastRefreshAt = Number.NEGATIVE_INFINITY;
    },
  };
}
