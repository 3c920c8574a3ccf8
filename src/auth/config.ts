/**
 * Access control and AfterShip account configuration from the environment, in the style of
 * `src/config.ts`: parsed once at start-up, one clear message per bad variable, secrets never echoed.
 *
 * The rule: with no AfterShip credentials at all (sandbox mode) the gateway is open unless auth is
 * configured; with real credentials it refuses to start without access control, unless
 * GATEWAY_AUTH=none says so explicitly (then `warnings` carries a line for the log).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../lib/errors.js';
import type { AccountConfig } from './accounts.js';
import { parseAccountEntries, parseJsonList, parseTokenEntries, ACCOUNT_ID_PATTERN, type GatewayTokenEntry } from './config-entries.js';
import { SCOPES, isScope, type Scope } from './scopes.js';
import { MIN_ENCRYPTION_KEY_LENGTH } from './token-cipher.js';
import { redactKeys } from './secrets.js';

export type { GatewayTokenEntry } from './config-entries.js';
export type GatewayAuthMode = 'tokens' | 'jwt' | 'tokens,jwt' | 'none';

export interface JwtConfig {
  /** JWKS URL (asymmetric keys) — exactly one of jwksUrl and secret. */
  jwksUrl?: string;
  /** HS256 shared secret. */
  secret?: string;
  issuer?: string;
  audience?: string[];
  /** Claim naming the AfterShip account. @default "aftership_account" */
  accountClaim: string;
  /** @default 5 */
  clockToleranceSeconds: number;
}

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** @default "https://apps.aftership.com/oauth/authorize" (unconfirmed host, REFERENCE §2.3) */
  authorizeUrl: string;
  /** @default "https://apps.aftership.com/oauth/token" (unconfirmed host, REFERENCE §2.3) */
  tokenUrl: string;
  /** Scopes requested from AfterShip. @default every scope */
  scopes: Scope[];
  /** Refresh this long before expiry. @default 60000 */
  refreshSkewMs: number;
  /** How long a started authorization may take. @default 600000 */
  stateTtlMs: number;
}

export interface TokenStoreConfig {
  kind: 'file' | 'redis';
  /** @default "./data" (resolved) */
  dataDir: string;
  encryptionKey: string;
  redisUrl?: string;
  /** @default "asgw:" */
  redisPrefix: string;
}

export interface AuthConfig {
  mode: GatewayAuthMode;
  /** True when no AfterShip credentials are configured (the embedded sandbox is used). */
  sandbox: boolean;
  tokens: GatewayTokenEntry[];
  jwt?: JwtConfig;
  accounts: AccountConfig[];
  defaultAccountId: string;
  oauth?: OAuthConfig;
  /** Present when any account uses OAuth. */
  tokenStore?: TokenStoreConfig;
  /** Lines to log as warnings at start-up. */
  warnings: string[];
}

type Env = Record<string, string | undefined>;

export interface LoadAuthConfigOptions {
  /** Reads GATEWAY_TOKENS_FILE / AFTERSHIP_ACCOUNTS_FILE. @default fs.readFileSync(path, 'utf8') */
  readFile?: (path: string) => string;
  /** In sandbox mode, the key the embedded sandbox accepts: becomes the default account. */
  sandboxApiKey?: string;
}

export const DEFAULT_ACCOUNT_ID = 'default';
export const DEFAULT_OAUTH_AUTHORIZE_URL = 'https://apps.aftership.com/oauth/authorize';
export const DEFAULT_OAUTH_TOKEN_URL = 'https://apps.aftership.com/oauth/token';
const MODES: readonly GatewayAuthMode[] = ['tokens', 'jwt', 'tokens,jwt', 'none'];

export function loadAuthConfig(env: Env = process.env, options: LoadAuthConfigOptions = {}): AuthConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const read = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const url = (name: string, fallback?: string): string | undefined => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      return raw;
    } catch {
      problems.push(`${name} must be an http or https URL (got "${raw}")`);
      return fallback;
    }
  };
  const secret = (name: string, min: number): string | undefined => {
    const v = str(name);
    if (v !== undefined && v.length < min) problems.push(`${name} is too short (at least ${min} characters)`);
    return v;
  };
  /** A JSON list from VAR or VAR_FILE (not both). */
  const jsonList = (name: string): unknown[] | undefined => {
    const inline = str(name);
    const file = str(`${name}_FILE`);
    if (inline && file) {
      problems.push(`${name} and ${name}_FILE are both set; use one`);
      return undefined;
    }
    if (inline) return parseJsonList(inline, name, problems);
    if (!file) return undefined;
    let text: string;
    try {
      text = read(file);
    } catch (e) {
      problems.push(`${name}_FILE "${file}" cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
    return parseJsonList(text, `${name}_FILE "${file}"`, problems);
  };

  // --- AfterShip accounts ---
  const apiKey = secret('AFTERSHIP_API_KEY', 8);
  const apiSecret = secret('AFTERSHIP_API_SECRET', 8);
  const webhookSecret = secret('AFTERSHIP_WEBHOOK_SECRET', 8);
  const accountList = jsonList('AFTERSHIP_ACCOUNTS');
  const accounts = accountList ? parseAccountEntries(accountList, 'AFTERSHIP_ACCOUNTS', problems) : [];
  const sandbox = apiKey === undefined && accountList === undefined;
  if (apiKey) {
    if (accounts.some((a) => a.id === DEFAULT_ACCOUNT_ID)) {
      problems.push(`AFTERSHIP_ACCOUNTS must not use the id "${DEFAULT_ACCOUNT_ID}" when AFTERSHIP_API_KEY is set (that key is account "${DEFAULT_ACCOUNT_ID}")`);
    }
    accounts.unshift({ id: DEFAULT_ACCOUNT_ID, kind: 'api-key', apiKey, ...(apiSecret && { apiSecret }), ...(webhookSecret && { webhookSecret }) });
  } else if (sandbox && options.sandboxApiKey) {
    accounts.push({ id: DEFAULT_ACCOUNT_ID, kind: 'api-key', apiKey: options.sandboxApiKey, ...(webhookSecret && { webhookSecret }) });
  }
  if (accountList !== undefined && accountList.length === 0) problems.push('AFTERSHIP_ACCOUNTS must list at least one account');
  let defaultAccountId = str('AFTERSHIP_DEFAULT_ACCOUNT') ?? accounts[0]?.id ?? DEFAULT_ACCOUNT_ID;
  if (str('AFTERSHIP_DEFAULT_ACCOUNT') && accounts.length && !accounts.some((a) => a.id === defaultAccountId)) {
    problems.push(`AFTERSHIP_DEFAULT_ACCOUNT "${defaultAccountId}" is not a configured account (${accounts.map((a) => a.id).join(', ')})`);
    defaultAccountId = accounts[0].id;
  }
  for (const a of accounts) redactKeys(a, ['apiKey', 'apiSecret', 'webhookSecret'] as never[]);

  // --- gateway API tokens ---
  const tokenList = jsonList('GATEWAY_TOKENS');
  const tokens = tokenList ? parseTokenEntries(tokenList, str('GATEWAY_TOKENS') ? 'GATEWAY_TOKENS' : 'GATEWAY_TOKENS_FILE', defaultAccountId, problems) : [];
  const known = new Set(accounts.map((a) => a.id));
  if (known.size) {
    for (const t of tokens) {
      if (!known.has(t.account)) problems.push(`GATEWAY_TOKENS entry "${t.name}" names account "${t.account}", which is not configured`);
    }
  }

  // --- JWT ---
  const jwksUrl = url('GATEWAY_JWT_JWKS_URL');
  const jwtSecret = secret('GATEWAY_JWT_SECRET', 32);
  if (jwksUrl && jwtSecret) problems.push('GATEWAY_JWT_JWKS_URL and GATEWAY_JWT_SECRET are both set; use one');
  const audience = str('GATEWAY_JWT_AUDIENCE')?.split(',').map((s) => s.trim()).filter(Boolean);
  const accountClaim = str('GATEWAY_JWT_ACCOUNT_CLAIM') ?? 'aftership_account';
  const tolRaw = str('GATEWAY_JWT_CLOCK_TOLERANCE_SECONDS');
  let clockToleranceSeconds = 5;
  if (tolRaw !== undefined) {
    if (!/^\d+$/.test(tolRaw) || Number(tolRaw) > 300) problems.push(`GATEWAY_JWT_CLOCK_TOLERANCE_SECONDS must be a whole number from 0 to 300 (got "${tolRaw}")`);
    else clockToleranceSeconds = Number(tolRaw);
  }
  const jwt: JwtConfig | undefined =
    jwksUrl || jwtSecret
      ? redactKeys({ jwksUrl, secret: jwtSecret, issuer: str('GATEWAY_JWT_ISSUER'), audience, accountClaim, clockToleranceSeconds }, ['secret'])
      : undefined;

  // --- mode ---
  const modeRaw = str('GATEWAY_AUTH')?.toLowerCase().replace(/\s+/g, '');
  let mode: GatewayAuthMode;
  const normalized = modeRaw === 'jwt,tokens' ? 'tokens,jwt' : modeRaw;
  if (normalized !== undefined && !(MODES as readonly string[]).includes(normalized)) {
    problems.push(`GATEWAY_AUTH must be one of ${MODES.join(', ')} (got "${str('GATEWAY_AUTH')}")`);
    mode = 'none';
  } else if (normalized !== undefined) {
    mode = normalized as GatewayAuthMode;
  } else if (tokenList && jwt) mode = 'tokens,jwt';
  else if (tokenList) mode = 'tokens';
  else if (jwt) mode = 'jwt';
  else {
    mode = 'none';
    if (!sandbox) {
      problems.push(
        'GATEWAY_AUTH is not set and no access control is configured: with real AfterShip credentials set GATEWAY_TOKENS (or GATEWAY_TOKENS_FILE) and/or GATEWAY_JWT_SECRET / GATEWAY_JWT_JWKS_URL, or GATEWAY_AUTH=none to run without access control',
      );
    }
  }
  if (mode.includes('tokens') && !tokenList) problems.push(`GATEWAY_AUTH=${mode} needs GATEWAY_TOKENS or GATEWAY_TOKENS_FILE`);
  if (mode.includes('jwt') && !jwt) problems.push(`GATEWAY_AUTH=${mode} needs GATEWAY_JWT_SECRET or GATEWAY_JWT_JWKS_URL`);
  if (mode.includes('jwt') && jwt && (!jwt.issuer || !jwt.audience?.length)) {
    warnings.push('GATEWAY_JWT_ISSUER and/or GATEWAY_JWT_AUDIENCE are not set: JWTs from any issuer or for any audience signed with the key are accepted');
  }
  if (mode === 'none' && !sandbox && normalized === 'none') {
    warnings.push('GATEWAY_AUTH=none: access control is OFF and every client may use the AfterShip account(s) with every scope');
  }
  if (mode === 'none' && (tokenList || jwt)) warnings.push('GATEWAY_AUTH=none: the configured GATEWAY_TOKENS / GATEWAY_JWT_* are ignored');

  // --- OAuth for AfterShip apps ---
  const anyOAuth = accounts.some((a) => a.kind === 'oauth');
  const clientId = str('AFTERSHIP_OAUTH_CLIENT_ID');
  const clientSecret = secret('AFTERSHIP_OAUTH_CLIENT_SECRET', 8);
  const redirectUri = url('AFTERSHIP_OAUTH_REDIRECT_URI');
  let oauth: OAuthConfig | undefined;
  if (anyOAuth || clientId || clientSecret || redirectUri) {
    if (!clientId) problems.push('AFTERSHIP_OAUTH_CLIENT_ID is required for OAuth accounts');
    if (!clientSecret) problems.push('AFTERSHIP_OAUTH_CLIENT_SECRET is required for OAuth accounts');
    if (!redirectUri) problems.push('AFTERSHIP_OAUTH_REDIRECT_URI is required for OAuth accounts (e.g. https://gateway.example.com/oauth/aftership/callback)');
    const scopeRaw = str('AFTERSHIP_OAUTH_SCOPES');
    const scopes: Scope[] = [];
    for (const s of scopeRaw ? scopeRaw.split(/[\s,]+/) : SCOPES) {
      if (isScope(s)) scopes.push(s);
      else problems.push(`AFTERSHIP_OAUTH_SCOPES has unknown scope "${s}" (known: ${SCOPES.join(', ')})`);
    }
    const skewRaw = str('AFTERSHIP_OAUTH_REFRESH_SKEW_SECONDS');
    let refreshSkewMs = 60_000;
    if (skewRaw !== undefined) {
      if (!/^\d+$/.test(skewRaw) || Number(skewRaw) > 3600) problems.push(`AFTERSHIP_OAUTH_REFRESH_SKEW_SECONDS must be a whole number from 0 to 3600 (got "${skewRaw}")`);
      else refreshSkewMs = Number(skewRaw) * 1000;
    }
    oauth = redactKeys(
      {
        clientId: clientId ?? '',
        clientSecret: clientSecret ?? '',
        redirectUri: redirectUri ?? '',
        authorizeUrl: url('AFTERSHIP_OAUTH_AUTHORIZE_URL', DEFAULT_OAUTH_AUTHORIZE_URL) ?? DEFAULT_OAUTH_AUTHORIZE_URL,
        tokenUrl: url('AFTERSHIP_OAUTH_TOKEN_URL', DEFAULT_OAUTH_TOKEN_URL) ?? DEFAULT_OAUTH_TOKEN_URL,
        scopes,
        refreshSkewMs,
        stateTtlMs: 600_000,
      },
      ['clientSecret'],
    );
  }

  // --- token store (only when OAuth is used) ---
  let tokenStore: TokenStoreConfig | undefined;
  if (oauth) {
    const encryptionKey = secret('TOKEN_ENCRYPTION_KEY', MIN_ENCRYPTION_KEY_LENGTH);
    if (!encryptionKey) problems.push(`TOKEN_ENCRYPTION_KEY is required when OAuth is used (at least ${MIN_ENCRYPTION_KEY_LENGTH} characters; e.g. \`openssl rand -base64 32\`)`);
    const redisUrl = str('REDIS_URL');
    if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must be a redis: or rediss: URL');
    tokenStore = redactKeys(
      {
        kind: redisUrl ? ('redis' as const) : ('file' as const),
        dataDir: resolve(str('DATA_DIR') ?? './data'),
        encryptionKey: encryptionKey ?? '',
        redisUrl,
        redisPrefix: str('REDIS_PREFIX') ?? 'asgw:',
      },
      ['encryptionKey', 'redisUrl'],
    );
  }
  if (!ACCOUNT_ID_PATTERN.test(defaultAccountId)) problems.push('AFTERSHIP_DEFAULT_ACCOUNT must be an account id (letters, digits, "_", ".", "-")');

  if (problems.length) throw new ConfigError(problems);
  return { mode, sandbox, tokens, jwt, accounts, defaultAccountId, oauth, tokenStore, warnings };
}
