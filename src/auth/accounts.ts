/**
 * The AfterShip accounts the gateway serves, and how to authenticate to each.
 * An `api-key` account carries its key (and optional signing secret); an `oauth` account's tokens
 * live in the token store and are refreshed on demand by a per-account provider.
 */
import { systemClock, type Clock } from '../lib/clock.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import type { OAuthEndpointClient } from './oauth-client.js';
import type { RefreshLock } from './refresh-lock.js';
import { createOAuthTokenProvider, defaultConnectUrl, type OAuthTokenProvider } from './oauth-tokens.js';
import { redactKeys } from './secrets.js';
import { protectTokens, type OAuthTokens, type TokenStore } from './token-store.js';

export type AccountConfig =
  | { id: string; kind: 'api-key'; apiKey: string; apiSecret?: string; webhookSecret?: string }
  | { id: string; kind: 'oauth'; webhookSecret?: string };

/**
 * How the AfterShip client authenticates (structurally the same as `AfterShipAuth` in
 * `src/aftership/auth.ts`; repeated here so this module does not depend on the client).
 */
export type AfterShipAuth =
  | { kind: 'api-key'; apiKey: string; apiSecret?: string }
  | { kind: 'bearer'; getAccessToken(): Promise<string>; onUnauthorized?(): Promise<void> };

export interface OAuthStatus {
  connected: boolean;
  scopes: string[];
  /** ms since the epoch */
  expiresAt?: number;
  obtainedAt?: number;
}

export interface AccountRegistry {
  readonly defaultAccountId: string;
  list(): AccountConfig[];
  has(accountId: string): boolean;
  get(accountId: string): AccountConfig | undefined;
  /** Throws when the account is unknown. The result is stable per account (share it with the client). */
  authFor(accountId: string): AfterShipAuth;
  webhookSecretFor(accountId: string): string | undefined;
  /** Stores the tokens of a completed authorization and makes them current. */
  saveOAuthTokens(accountId: string, tokens: OAuthTokens): Promise<void>;
  oauthStatus(accountId: string): Promise<OAuthStatus>;
  /** Forgets the account's OAuth tokens (it must be reconnected). */
  disconnect(accountId: string): Promise<void>;
  /** Called after an OAuth account's tokens were saved here (its warm-up starts); returns the unsubscribe function. */
  onConnected(listener: (accountId: string) => void): () => void;
}

export interface AccountRegistryOptions {
  accounts: readonly AccountConfig[];
  /** @default the first account's id */
  defaultAccountId?: string;
  /** Required when any account is `oauth`. */
  tokenStore?: TokenStore;
  /** Required when any account is `oauth`. */
  oauthEndpoint?: OAuthEndpointClient;
  clock?: Clock;
  /** @default 60000 */
  refreshSkewMs?: number;
  /** @default 5000 */
  minRefreshIntervalMs?: number;
  /** @default (id) => "/oauth/aftership/start?account=<id>" */
  connectUrl?: (accountId: string) => string;
  logger?: Logger;
  /** Cross-instance refresh lock (Redis) when several gateways share the token store. */
  refreshLock?: RefreshLock;
}

export function createAccountRegistry(options: AccountRegistryOptions): AccountRegistry {
  const byId = new Map<string, AccountConfig>();
  for (const a of options.accounts) {
    if (byId.has(a.id)) throw new Error(`AfterShip account "${a.id}" is configured twice`);
    byId.set(a.id, a);
  }
  const hasOAuth = options.accounts.some((a) => a.kind === 'oauth');
  if (hasOAuth && (!options.tokenStore || !options.oauthEndpoint)) {
    throw new Error('OAuth accounts need a token store and the OAuth client settings (AFTERSHIP_OAUTH_*, TOKEN_ENCRYPTION_KEY)');
  }
  const defaultAccountId = options.defaultAccountId ?? options.accounts[0]?.id ?? 'default';
  const clock = options.clock ?? systemClock;
  const connectUrl = options.connectUrl ?? defaultConnectUrl;
  const providers = new Map<string, OAuthTokenProvider>();
  const auths = new Map<string, AfterShipAuth>();

  const need = (accountId: string): AccountConfig => {
    const a = byId.get(accountId);
    if (!a) throw new Error(`Unknown AfterShip account "${accountId}" (configured: ${[...byId.keys()].join(', ') || 'none'})`);
    return a;
  };
  const requireOAuth = (accountId: string): void => {
    if (need(accountId).kind !== 'oauth') {
      // Callers check the kind first (the OAuth routes answer NOT_OAUTH_ACCOUNT): reaching this is a bug.
      throw new Error(`AfterShip account ${accountId} uses an API key, not OAuth`);
    }
  };
  const providerFor = (accountId: string): OAuthTokenProvider => {
    let p = providers.get(accountId);
    if (!p) {
      p = createOAuthTokenProvider({
        accountId,
        store: options.tokenStore!,
        endpoint: options.oauthEndpoint!,
        clock,
        refreshSkewMs: options.refreshSkewMs,
        minRefreshIntervalMs: options.minRefreshIntervalMs,
        connectUrl: connectUrl(accountId),
        logger: options.logger ?? silentLogger,
        lock: options.refreshLock,
      });
      providers.set(accountId, p);
    }
    return p;
  };

  const connected = new Set<(accountId: string) => void>();
  return {
    defaultAccountId,
    list: () => [...byId.values()],
    has: (accountId) => byId.has(accountId),
    get: (accountId) => byId.get(accountId),
    authFor(accountId) {
      const cachedAuth = auths.get(accountId);
      if (cachedAuth) return cachedAuth;
      const a = need(accountId);
      let auth: AfterShipAuth;
      if (a.kind === 'api-key') {
        auth = { kind: 'api-key', apiKey: a.apiKey, ...(a.apiSecret !== undefined && { apiSecret: a.apiSecret }) };
      } else {
        const p = providerFor(accountId);
        auth = { kind: 'bearer', getAccessToken: () => p.getAccessToken(), onUnauthorized: () => p.onUnauthorized() };
      }
      // Never print the key if someone logs the auth object.
      if (auth.kind === 'api-key') redactKeys(auth, ['apiKey', 'apiSecret']);
      auths.set(accountId, auth);
      return auth;
    },
    webhookSecretFor: (accountId) => need(accountId).webhookSecret,
    async saveOAuthTokens(accountId, tokens) {
      requireOAuth(accountId);
      await options.tokenStore!.set(accountId, protectTokens(tokens));
      providerFor(accountId).invalidate();
      for (const l of [...connected]) l(accountId);
    },
    onConnected(listener) {
      connected.add(listener);
      return () => void connected.delete(listener);
    },
    async oauthStatus(accountId) {
      requireOAuth(accountId);
      const t = await options.tokenStore!.get(accountId);
      return t ? { connected: true, scopes: t.scopes, expiresAt: t.expiresAt, obtainedAt: t.obtainedAt } : { connected: false, scopes: [] };
    },
    async disconnect(accountId) {
      requireOAuth(accountId);
      await options.tokenStore!.delete(accountId);
      providerFor(accountId).invalidate();
    },
  };
}
