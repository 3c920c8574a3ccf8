/**
 * Where the OAuth tokens of AfterShip accounts live. Implementations: in memory (tests),
 * an encrypted JSON file (the embedded default) and Redis (several gateway instances).
 * Tokens are secrets: `OAuthTokens` objects print as "[redacted]" in logs and JSON.
 */
import { redactKeys } from './secrets.js';

export interface OAuthTokens {
  accessToken: string;
  /** Absent when AfterShip issued none (then the account must reconnect when the token expires). */
  refreshToken?: string;
  tokenType: string;
  /** Milliseconds since the epoch; undefined when AfterShip did not say (treated as long-lived). */
  expiresAt?: number;
  /** Scopes AfterShip granted (may be fewer than requested). */
  scopes: string[];
  /** When these tokens were obtained, ms since the epoch. */
  obtainedAt: number;
}

export interface TokenStore {
  get(accountId: string): Promise<OAuthTokens | undefined>;
  set(accountId: string, tokens: OAuthTokens): Promise<void>;
  delete(accountId: string): Promise<void>;
  /** Releases connections/handles the store opened itself. */
  close?(): Promise<void>;
}

/** Wraps tokens so their printed forms never show the secrets. */
export function protectTokens(tokens: OAuthTokens): OAuthTokens {
  const copy: OAuthTokens = {
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    scopes: [...tokens.scopes],
    obtainedAt: tokens.obtainedAt,
  };
  if (tokens.refreshToken !== undefined) copy.refreshToken = tokens.refreshToken;
  if (tokens.expiresAt !== undefined) copy.expiresAt = tokens.expiresAt;
  return redactKeys(copy, ['accessToken', 'refreshToken']);
}

/** The plain JSON shape written (encrypted) to disk or Redis. */
export function serializeTokens(tokens: OAuthTokens): string {
  return JSON.stringify({
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: tokens.tokenType,
    expiresAt: tokens.expiresAt,
    scopes: tokens.scopes,
    obtainedAt: tokens.obtainedAt,
  });
}

/** Parses and checks the stored shape; throws with a clear message when it is not tokens. */
export function deserializeTokens(json: string, where: string): OAuthTokens {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`Stored OAuth tokens in ${where} are not valid JSON`);
  }
  return checkTokens(raw, where);
}

export function checkTokens(raw: unknown, where: string): OAuthTokens {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const ok =
    typeof o.accessToken === 'string' &&
    (o.refreshToken === undefined || typeof o.refreshToken === 'string') &&
    typeof o.tokenType === 'string' &&
    (o.expiresAt === undefined || typeof o.expiresAt === 'number') &&
    Array.isArray(o.scopes) &&
    o.scopes.every((s) => typeof s === 'string') &&
    typeof o.obtainedAt === 'number';
  if (!ok) throw new Error(`Stored OAuth tokens in ${where} have an unexpected shape`);
  return protectTokens(o as unknown as OAuthTokens);
}

/** Tokens in process memory only: lost on restart. For tests and sandbox mode. */
export function createMemoryTokenStore(): TokenStore {
  const map = new Map<string, string>();
  return {
    async get(accountId) {
      const v = map.get(accountId);
      return v === undefined ? undefined : deserializeTokens(v, 'memory');
    },
    async set(accountId, tokens) {
      map.set(accountId, serializeTokens(tokens));
    },
    async delete(accountId) {
      map.delete(accountId);
    },
  };
}
