/**
 * Access control and AfterShip accounts: the auth section of the environment schema (`AUTH_ENV`;
 * src/config.ts composes it with the rest and is the one module that reads the environment) and
 * the rules between its variables (`resolveAuthConfig`). One message per problem, secrets never echoed.
 *
 * The rule: with no real AfterShip account (no key: the embedded sandbox; or only the sandbox's own
 * well-known key, which AfterShip never issues: a standalone sandbox) the gateway is open unless auth
 * is configured; with real credentials it refuses to start without access control, unless
 * GATEWAY_AUTH=none says so explicitly (then `warnings` carries a line for the log).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { envVar, issueLines, jsonList } from '../lib/env-schema.js';
import type { AccountConfig } from './accounts.js';
import { ACCOUNT_ID_PATTERN, parseAccountEntries, parseTokenEntries, scopeList, type GatewayTokenEntry } from './config-entries.js';
import { SCOPES, type Scope } from './scopes.js';
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
  /** A token whose `exp` is further away than this is refused: a leaked long-lived token stays dangerous. @default 86400 */
  maxLifetimeSeconds: number;
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
  /**
   * True when no AfterShip account of any kind is configured (no AFTERSHIP_API_KEY, no
   * AFTERSHIP_ACCOUNTS): the embedded sandbox is used. The one definition of sandbox mode.
   */
  sandbox: boolean;
  /** True when some account may be a real AfterShip account (anything but the sandbox's well-known key): access control is then required. */
  realAccount: boolean;
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

export interface ResolveAuthOptions {
  /** Reads GATEWAY_TOKENS_FILE / AFTERSHIP_ACCOUNTS_FILE. @default fs.readFileSync(path, 'utf8') */
  readFile?: (path: string) => string;
  /**
   * The sandbox's well-known key. In sandbox mode it becomes the default account; as AFTERSHIP_API_KEY
   * it reaches only a sandbox (AfterShip issues no such key), so it counts as no real account.
   */
  sandboxApiKey?: string;
  /** Variables set but wrong (already reported): they count as set, so no rule asks for them again. */
  wrong?: ReadonlySet<string>;
}

export const DEFAULT_ACCOUNT_ID = 'default';
export const DEFAULT_OAUTH_AUTHORIZE_URL = 'https://apps.aftership.com/oauth/authorize';
export const DEFAULT_OAUTH_TOKEN_URL = 'https://apps.aftership.com/oauth/token';
const MODES = ['tokens', 'jwt', 'tokens,jwt', 'none'] as const;
const HTTP = ['http:', 'https:'];

/** The auth section of the environment schema (src/config.ts composes it with the rest and reads the environment). */
export const AUTH_ENV = {
  GATEWAY_AUTH: envVar.oneOf(MODES, (v) => v.toLowerCase().replace(/\s+/g, '').replace(/^jwt,tokens$/, 'tokens,jwt')).optional(),
  GATEWAY_TOKENS: envVar.jsonList.optional(),
  GATEWAY_TOKENS_FILE: z.string().optional(),
  GATEWAY_JWT_JWKS_URL: envVar.url(HTTP).optional(),
  GATEWAY_JWT_SECRET: envVar.secret(32).optional(),
  GATEWAY_JWT_ISSUER: z.string().optional(),
  GATEWAY_JWT_AUDIENCE: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .optional(),
  GATEWAY_JWT_ACCOUNT_CLAIM: z.string().default('aftership_account'),
  GATEWAY_JWT_CLOCK_TOLERANCE_SECONDS: envVar.int(0, 300).default('5'),
  GATEWAY_JWT_MAX_LIFETIME_SECONDS: envVar.int(60, 31_536_000).default('86400'),
  AFTERSHIP_ACCOUNTS: envVar.jsonList.optional(),
  AFTERSHIP_ACCOUNTS_FILE: z.string().optional(),
  AFTERSHIP_DEFAULT_ACCOUNT: envVar.matching(ACCOUNT_ID_PATTERN, 'an account id (letters, digits, "_", ".", "-")').optional(),
  AFTERSHIP_OAUTH_CLIENT_ID: z.string().optional(),
  AFTERSHIP_OAUTH_CLIENT_SECRET: envVar.secret(8).optional(),
  AFTERSHIP_OAUTH_REDIRECT_URI: envVar.url(HTTP).optional(),
  AFTERSHIP_OAUTH_AUTHORIZE_URL: envVar.url(HTTP).default(DEFAULT_OAUTH_AUTHORIZE_URL),
  AFTERSHIP_OAUTH_TOKEN_URL: envVar.url(HTTP).default(DEFAULT_OAUTH_TOKEN_URL),
  AFTERSHIP_OAUTH_SCOPES: z
    .string()
    .transform((v) => v.split(/[\s,]+/))
    .pipe(scopeList)
    .optional(),
  AFTERSHIP_OAUTH_REFRESH_SKEW_SECONDS: envVar.int(0, 3600).default('60'),
  TOKEN_ENCRYPTION_KEY: envVar.secret(MIN_ENCRYPTION_KEY_LENGTH).optional(),
  DATA_DIR: z.string().default('./data'),
};

/** The auth variables, parsed, plus those it shares with the rest of the configuration. */
export type AuthEnv = z.output<z.ZodObject<typeof AUTH_ENV>> & {
  AFTERSHIP_API_KEY?: string;
  AFTERSHIP_API_SECRET?: string;
  AFTERSHIP_WEBHOOK_SECRET?: string;
  REDIS_URL?: string;
  REDIS_PREFIX: string;
};

/**
 * The rules between the auth variables, on their parsed values: who the accounts are, which access
 * control applies, what OAuth needs. Adds one line per problem to `problems`.
 */
export function resolveAuthConfig(env: AuthEnv, options: ResolveAuthOptions, problems: string[]): AuthConfig {
  const warnings: string[] = [];
  const read = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const given = (name: keyof AuthEnv): boolean => env[name] !== undefined || (options.wrong?.has(name) ?? false);

  /**
   * A JSON list from VAR or VAR_FILE (not both), with the name its entries are reported under;
   * undefined when neither is set; `list` undefined when it is set but unusable (reported).
   */
  const jsonListOf = (name: 'GATEWAY_TOKENS' | 'AFTERSHIP_ACCOUNTS'): { list?: unknown[]; source: string } | undefined => {
    const file = env[`${name}_FILE`];
    if (given(name) && file) {
      problems.push(`${name} and ${name}_FILE are both set; use one`);
      return { source: name };
    }
    if (given(name)) return { list: env[name], source: name };
    if (!file) return undefined;
    let text: string;
    try {
      text = read(file);
    } catch (e) {
      problems.push(`${name}_FILE "${file}" cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return { source: `${name}_FILE` };
    }
    const parsed = jsonList.safeParse(text);
    if (!parsed.success) problems.push(...issueLines(`${name}_FILE "${file}"`, parsed.error.issues));
    return { list: parsed.data, source: `${name}_FILE` };
  };

  // --- AfterShip accounts ---
  const apiKey = env.AFTERSHIP_API_KEY;
  const webhookSecret = env.AFTERSHIP_WEBHOOK_SECRET;
  const accountList = jsonListOf('AFTERSHIP_ACCOUNTS');
  const accounts = accountList?.list ? parseAccountEntries(accountList.list, accountList.source, problems) : [];
  const sandbox = !given('AFTERSHIP_API_KEY') && accountList === undefined;
  const realAccount = !sandbox && !(apiKey !== undefined && apiKey === options.sandboxApiKey && accountList === undefined);
  if (apiKey) {
    if (accounts.some((a) => a.id === DEFAULT_ACCOUNT_ID)) {
      problems.push(`AFTERSHIP_ACCOUNTS must not use the id "${DEFAULT_ACCOUNT_ID}" when AFTERSHIP_API_KEY is set (that key is account "${DEFAULT_ACCOUNT_ID}")`);
    }
    const apiSecret = env.AFTERSHIP_API_SECRET;
    accounts.unshift({ id: DEFAULT_ACCOUNT_ID, kind: 'api-key', apiKey, ...(apiSecret && { apiSecret }), ...(webhookSecret && { webhookSecret }) });
  } else if (sandbox && options.sandboxApiKey) {
    accounts.push({ id: DEFAULT_ACCOUNT_ID, kind: 'api-key', apiKey: options.sandboxApiKey, ...(webhookSecret && { webhookSecret }) });
  }
  if (accountList?.list?.length === 0) problems.push(`${accountList.source} must list at least one account`);
  let defaultAccountId = env.AFTERSHIP_DEFAULT_ACCOUNT ?? accounts[0]?.id ?? DEFAULT_ACCOUNT_ID;
  if (env.AFTERSHIP_DEFAULT_ACCOUNT && accounts.length && !accounts.some((a) => a.id === defaultAccountId)) {
    problems.push(`AFTERSHIP_DEFAULT_ACCOUNT "${defaultAccountId}" is not a configured account (${accounts.map((a) => a.id).join(', ')})`);
    defaultAccountId = accounts[0].id;
  }
  for (const a of accounts) redactKeys(a, ['apiKey', 'apiSecret', 'webhookSecret'] as never[]);

  // --- gateway API tokens ---
  const tokenList = jsonListOf('GATEWAY_TOKENS');
  const tokens = tokenList?.list ? parseTokenEntries(tokenList.list, tokenList.source, defaultAccountId, problems) : [];
  const known = new Set(accounts.map((a) => a.id));
  if (known.size) {
    for (const t of tokens) {
      if (!known.has(t.account)) problems.push(`GATEWAY_TOKENS entry "${t.name}" names account "${t.account}", which is not configured`);
    }
  }

  // --- JWT ---
  const { GATEWAY_JWT_JWKS_URL: jwksUrl, GATEWAY_JWT_SECRET: jwtSecret } = env;
  if (jwksUrl && jwtSecret) problems.push('GATEWAY_JWT_JWKS_URL and GATEWAY_JWT_SECRET are both set; use one');
  const jwt: JwtConfig | undefined =
    jwksUrl || jwtSecret
      ? redactKeys(
          {
            jwksUrl,
            secret: jwtSecret,
            issuer: env.GATEWAY_JWT_ISSUER,
            audience: env.GATEWAY_JWT_AUDIENCE,
            accountClaim: env.GATEWAY_JWT_ACCOUNT_CLAIM,
            clockToleranceSeconds: env.GATEWAY_JWT_CLOCK_TOLERANCE_SECONDS,
            maxLifetimeSeconds: env.GATEWAY_JWT_MAX_LIFETIME_SECONDS,
          },
          ['secret'],
        )
      : undefined;

  // --- mode ---
  const jwtGiven = given('GATEWAY_JWT_JWKS_URL') || given('GATEWAY_JWT_SECRET');
  let mode: GatewayAuthMode;
  if (env.GATEWAY_AUTH !== undefined) mode = env.GATEWAY_AUTH;
  else if (given('GATEWAY_AUTH')) mode = 'none'; // wrong, reported: nothing more to say about it
  else if (tokenList && jwtGiven) mode = 'tokens,jwt';
  else if (tokenList) mode = 'tokens';
  else if (jwtGiven) mode = 'jwt';
  else {
    mode = 'none';
    if (realAccount) {
      problems.push(
        'GATEWAY_AUTH is not set and no access control is configured: with real AfterShip credentials set GATEWAY_TOKENS (or GATEWAY_TOKENS_FILE) and/or GATEWAY_JWT_SECRET / GATEWAY_JWT_JWKS_URL, or GATEWAY_AUTH=none to run without access control',
      );
    }
  }
  if (mode.includes('tokens') && !tokenList) problems.push(`GATEWAY_AUTH=${mode} needs GATEWAY_TOKENS or GATEWAY_TOKENS_FILE`);
  if (mode.includes('jwt') && !jwtGiven) problems.push(`GATEWAY_AUTH=${mode} needs GATEWAY_JWT_SECRET or GATEWAY_JWT_JWKS_URL`);
  if (mode.includes('jwt') && jwt && (!jwt.issuer || !jwt.audience?.length)) {
    warnings.push('GATEWAY_JWT_ISSUER and/or GATEWAY_JWT_AUDIENCE are not set: JWTs from any issuer or for any audience signed with the key are accepted');
  }
  if (mode === 'none' && realAccount && env.GATEWAY_AUTH === 'none') {
    warnings.push('GATEWAY_AUTH=none: access control is OFF and every client may use the AfterShip account(s) with every scope');
  }
  if (mode === 'none' && (tokenList || jwtGiven)) warnings.push('GATEWAY_AUTH=none: the configured GATEWAY_TOKENS / GATEWAY_JWT_* are ignored');

  // --- OAuth for AfterShip apps ---
  const { AFTERSHIP_OAUTH_CLIENT_ID: clientId, AFTERSHIP_OAUTH_CLIENT_SECRET: clientSecret, AFTERSHIP_OAUTH_REDIRECT_URI: redirectUri } = env;
  let oauth: OAuthConfig | undefined;
  if (accounts.some((a) => a.kind === 'oauth') || given('AFTERSHIP_OAUTH_CLIENT_ID') || given('AFTERSHIP_OAUTH_CLIENT_SECRET') || given('AFTERSHIP_OAUTH_REDIRECT_URI')) {
    if (!given('AFTERSHIP_OAUTH_CLIENT_ID')) problems.push('AFTERSHIP_OAUTH_CLIENT_ID is required for OAuth accounts');
    if (!given('AFTERSHIP_OAUTH_CLIENT_SECRET')) problems.push('AFTERSHIP_OAUTH_CLIENT_SECRET is required for OAuth accounts');
    if (!given('AFTERSHIP_OAUTH_REDIRECT_URI')) problems.push('AFTERSHIP_OAUTH_REDIRECT_URI is required for OAuth accounts (e.g. https://gateway.example.com/oauth/aftership/callback)');
    oauth = redactKeys(
      {
        clientId: clientId ?? '',
        clientSecret: clientSecret ?? '',
        redirectUri: redirectUri ?? '',
        authorizeUrl: env.AFTERSHIP_OAUTH_AUTHORIZE_URL,
        tokenUrl: env.AFTERSHIP_OAUTH_TOKEN_URL,
        scopes: env.AFTERSHIP_OAUTH_SCOPES ?? [...SCOPES],
        refreshSkewMs: env.AFTERSHIP_OAUTH_REFRESH_SKEW_SECONDS * 1000,
        stateTtlMs: 600_000,
      },
      ['clientSecret'],
    );
  }

  // --- token store (only when OAuth is used) ---
  let tokenStore: TokenStoreConfig | undefined;
  if (oauth) {
    const encryptionKey = env.TOKEN_ENCRYPTION_KEY;
    if (!given('TOKEN_ENCRYPTION_KEY')) problems.push(`TOKEN_ENCRYPTION_KEY is required when OAuth is used (at least ${MIN_ENCRYPTION_KEY_LENGTH} characters; e.g. \`openssl rand -base64 32\`)`);
    tokenStore = redactKeys(
      {
        kind: env.REDIS_URL ? ('redis' as const) : ('file' as const),
        dataDir: resolve(env.DATA_DIR),
        encryptionKey: encryptionKey ?? '',
        redisUrl: env.REDIS_URL,
        redisPrefix: env.REDIS_PREFIX,
      },
      ['encryptionKey', 'redisUrl'],
    );
  }

  return { mode, sandbox, realAccount, tokens, jwt, accounts, defaultAccountId, oauth, tokenStore, warnings };
}
