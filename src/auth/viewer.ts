/**
 * Who is calling the gateway. A request carries `Authorization: Bearer <token>`, where the token is
 * either one of the gateway's configured API tokens (compared by SHA-256, in constant time) or a JWT
 * verified with jose (HS256 secret or a JWKS URL; issuer, audience and expiry checked).
 * Tokens are never logged; failures say what was wrong, not what was sent.
 */
import { timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { systemClock, type Clock } from '../lib/clock.js';
import { GatewayError, type Fault } from '../lib/errors.js';
import { limitedLog, silentLogger, type Logger } from '../lib/logger.js';
import type { AuthConfig, GatewayTokenEntry, JwtConfig } from './config.js';
import { SCOPES, parseScopes, type Scope } from './scopes.js';
import { sha256Hex } from './secrets.js';

export interface Viewer {
  name: string;
  accountId: string;
  scopes: Set<Scope>;
  kind: 'api-token' | 'jwt' | 'open';
  /**
   * A public page's token (`"lookupOnly": true`): it may read a tracking whose number it knows and
   * follow it live, never list the account's trackings or read them by a guessable id.
   */
  lookupOnly?: boolean;
}

export type AuthErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'AUTH_UNAVAILABLE';
const REALM = 'aftership-graphql-gateway';

/** The gateway refused to identify the caller (401), to serve their account (403), or could not check (503). */
export class AuthError extends GatewayError {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly status: 401 | 403 | 503 = code === 'FORBIDDEN' ? 403 : code === 'AUTH_UNAVAILABLE' ? 503 : 401,
    /** RFC 6750 error code for WWW-Authenticate; absent when no credentials were sent. */
    readonly bearerError?: 'invalid_request' | 'invalid_token' | 'insufficient_scope',
  ) {
    super(message);
  }

  /** A JWKS that cannot be loaded is the identity provider's failure; the rest is the caller's. */
  override get fault(): Fault {
    return this.code === 'AUTH_UNAVAILABLE' ? 'upstream' : 'client';
  }

  /** The `WWW-Authenticate` header value (RFC 6750). */
  get wwwAuthenticate(): string {
    const parts = [`realm="${REALM}"`];
    if (this.bearerError) parts.push(`error="${this.bearerError}"`, `error_description="${this.message.replace(/["\\]/g, '')}"`);
    return `Bearer ${parts.join(', ')}`;
  }
}

/** A JSON 401/403/503 answer with `WWW-Authenticate: Bearer`. */
export function authErrorResponse(error: AuthError): Response {
  return new Response(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] }), {
    status: error.status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'www-authenticate': error.wwwAuthenticate,
      'cache-control': 'no-store',
    },
  });
}

/** What can carry credentials: a request, its headers, a header record (node, graphql-ws connectionParams) or a raw token. */
export type Credentials = Request | Headers | Record<string, unknown> | string | null | undefined;

const isHeaders = (value: unknown): value is Headers => typeof (value as Headers | undefined)?.get === 'function';

/** The bearer token in the credentials; undefined when none; AuthError when the header is malformed. */
export function bearerTokenOf(input: Credentials): string | undefined | AuthError {
  let header: unknown;
  if (input === null || input === undefined) return undefined;
  if (typeof input === 'string') header = /^bearer\s/i.test(input) ? input : `Bearer ${input}`;
  // By shape, not instanceof: yoga's server adapter hands out its own (ponyfill) Request and Headers.
  else if (isHeaders((input as Request).headers)) header = (input as Request).headers.get('authorization');
  else if (isHeaders(input)) header = input.get('authorization');
  else {
    const record = input as Record<string, unknown>;
    header = record.authorization ?? record.Authorization;
  }
  if (Array.isArray(header)) header = header[0];
  if (header === null || header === undefined || header === '') return undefined;
  const m = typeof header === 'string' ? /^Bearer[ ]+([\x21-\x7e]+)\s*$/i.exec(header) : null;
  if (!m) return new AuthError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>"', 401, 'invalid_request');
  return m[1];
}

/**
 * Who a caller is, for fairness (per-client concurrency, turns in the rate budget): a token's name or
 * a JWT's subject within its account (plus the caller's address for a lookup-only token, shared by a public page's visitors); the network address when the gateway runs open (everyone is
 * "anonymous" then; behind a proxy, every caller shares the proxy's address).
 */
export function clientKeyOf(viewer: Pick<Viewer, 'kind' | 'name' | 'accountId' | 'lookupOnly'>, address?: string): string {
  if (viewer.kind === 'open') return `address:${address ?? 'unknown'}`;
  const key = `${viewer.accountId}/${viewer.kind}:${viewer.name}`;
  // Every visitor of a public page sends the same token: one visitor's flood must not use up the others' share.
  return viewer.lookupOnly ? `${key}@${address ?? 'unknown'}` : key;
}

/**
 * What a viewer may see, as a key: viewers with the same key get the same answers (account, scopes,
 * and whether the token is lookup-only, which withholds the enumerateTrackings pseudo-scope), so
 * their subscriptions can share one execution (src/http/subscription-hub.ts) and their queries one
 * cached result (src/response-cache). A lookup-only token with the same scopes as a full one must
 * never join the full one's execution or read its cached answer.
 */
export function accessKeyOf(viewer: Pick<Viewer, 'accountId' | 'scopes' | 'lookupOnly'>): string {
  return `${viewer.accountId}\u0000${[...viewer.scopes].sort().join(' ')}${viewer.lookupOnly ? '\u0000lookup-only' : ''}`;
}

export function hasAllScopes(viewer: Viewer, required: Iterable<Scope>): boolean {
  for (const s of required) if (!viewer.scopes.has(s)) return false;
  return true;
}

/** A 403 for a viewer lacking scopes (for callers that check scopes outside GraphQL). */
export function insufficientScope(required: readonly Scope[]): AuthError {
  return new AuthError('FORBIDDEN', `This needs the scope(s) ${required.join(' ')}`, 403, 'insufficient_scope');
}

export interface Authenticator {
  readonly mode: AuthConfig['mode'];
  authenticateRequest(input: Credentials): Promise<Viewer | AuthError>;
}

export interface AuthenticatorOptions {
  clock?: Clock;
  /** For the JWKS download. */
  fetch?: typeof globalThis.fetch;
  /** When given, a token naming an account not in it is refused (403). */
  accounts?: { has(accountId: string): boolean };
  logger?: Logger;
}

const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

export function createAuthenticator(
  config: Pick<AuthConfig, 'mode' | 'tokens' | 'jwt' | 'defaultAccountId'>,
  options: AuthenticatorOptions = {},
): Authenticator {
  const clock = options.clock ?? systemClock;
  // A caller can send bad tokens at will: their refusals are logged at a bounded rate.
  const refusal = limitedLog(options.logger ?? silentLogger);
  const useTokens = config.mode === 'tokens' || config.mode === 'tokens,jwt';
  const useJwt = config.mode === 'jwt' || config.mode === 'tokens,jwt';
  // By SHA-256 of the token: one lookup, whatever the number of tokens (a scan of 1,000 was 17% of a
  // cached query's CPU, bench/PROFILE.md). Keyed by a hash, the lookup's timing says nothing about a token.
  const tokensByHash = new Map<string, { entry: GatewayTokenEntry; hash: Buffer }>();
  // The first entry of a token listed twice wins, as it always did.
  for (const t of config.tokens) if (!tokensByHash.has(t.sha256)) tokensByHash.set(t.sha256, { entry: t, hash: Buffer.from(t.sha256, 'hex') });
  const verifyJwt = useJwt && config.jwt ? createJwtVerifier(config.jwt, clock, options.fetch) : undefined;
  // One viewer per API token (and one for open access), shared by every request and socket that
  // presents it: an idle WebSocket then holds no viewer or scope set of its own. Never mutated.
  const tokenViewers = new Map<GatewayTokenEntry, Viewer>();
  const viewerOf = (entry: GatewayTokenEntry): Viewer => {
    let viewer = tokenViewers.get(entry);
    if (!viewer) {
      viewer = { name: entry.name, accountId: entry.account, scopes: new Set(entry.scopes), kind: 'api-token', ...(entry.lookupOnly && { lookupOnly: true }) };
      tokenViewers.set(entry, viewer);
    }
    return viewer;
  };
  let openViewer: Viewer | undefined;

  const checkAccount = (accountId: string, who: string): AuthError | undefined =>
    options.accounts && !options.accounts.has(accountId)
      ? new AuthError('FORBIDDEN', `${who} is for AfterShip account "${accountId}", which this gateway does not serve`, 403, 'invalid_token')
      : undefined;

  const matchToken = (token: string): GatewayTokenEntry | undefined => {
    const presented = sha256Hex(token);
    const candidate = tokensByHash.get(presented);
    return candidate && timingSafeEqual(Buffer.from(presented, 'hex'), candidate.hash) ? candidate.entry : undefined;
  };

  return {
    mode: config.mode,
    async authenticateRequest(input) {
      if (config.mode === 'none') {
        return (openViewer ??= { name: 'anonymous', accountId: config.defaultAccountId, scopes: new Set(SCOPES), kind: 'open' });
      }
      const token = bearerTokenOf(input);
      if (token instanceof AuthError) return token;
      if (token === undefined) return new AuthError('UNAUTHENTICATED', 'Authentication required: send "Authorization: Bearer <token>"');

      if (useTokens) {
        const entry = matchToken(token);
        if (entry) {
          return checkAccount(entry.account, `API token "${entry.name}"`) ?? viewerOf(entry);
        }
      }
      if (verifyJwt && JWT_SHAPE.test(token)) {
        const result = await verifyJwt(token);
        if (result instanceof AuthError) {
          refusal('info', { reason: result.message }, 'refused a JWT');
          return result;
        }
        const claim = result[config.jwt!.accountClaim];
        if (claim !== undefined && typeof claim !== 'string') {
          return new AuthError('UNAUTHENTICATED', `The token's "${config.jwt!.accountClaim}" claim must be a string`, 401, 'invalid_token');
        }
        const accountId = claim ?? config.defaultAccountId;
        const name = typeof result.sub === 'string' ? result.sub : typeof result.client_id === 'string' ? result.client_id : 'jwt';
        const scopes = parseScopes(result.scope !== undefined ? result.scope : result.scopes);
        return checkAccount(accountId, 'The token') ?? { name, accountId, scopes, kind: 'jwt' };
      }
      return new AuthError('UNAUTHENTICATED', useJwt ? 'The token is neither a known API token nor a valid JWT' : 'The token is not valid', 401, 'invalid_token');
    },
  };
}

function createJwtVerifier(config: JwtConfig, clock: Clock, fetchImpl?: typeof globalThis.fetch): (token: string) => Promise<JWTPayload | AuthError> {
  const key = config.secret
    ? new TextEncoder().encode(config.secret)
    : createRemoteJWKSet(new URL(config.jwksUrl!), {
        timeoutDuration: 5_000,
        cooldownDuration: 30_000,
        cacheMaxAge: 600_000,
        ...(fetchImpl && { [customFetch]: (url: string, init: RequestInit) => fetchImpl(url, init) }),
      });
  const algorithms = config.secret ? ['HS256'] : ASYMMETRIC_ALGS;
  const invalid = (message: string): AuthError => new AuthError('UNAUTHENTICATED', message, 401, 'invalid_token');

  return async (token) => {
    const verifyOptions = {
      algorithms,
      issuer: config.issuer,
      audience: config.audience,
      clockTolerance: config.clockToleranceSeconds,
      currentDate: new Date(clock.now()),
      requiredClaims: ['exp'],
    };
    try {
      const { payload } =
        key instanceof Uint8Array ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions);
      // jose checked that `exp` is a number in the future; a lifetime of centuries is not accepted either.
      const remaining = (payload.exp as number) - clock.now() / 1000;
      if (remaining > config.maxLifetimeSeconds + config.clockToleranceSeconds) {
        return invalid(`The token expires too far in the future: at most ${config.maxLifetimeSeconds} s from now is accepted`);
      }
      return payload;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return invalid('The token has expired');
      if (e instanceof joseErrors.JWTClaimValidationFailed) return invalid(`The token's "${e.claim}" claim is ${e.reason === 'missing' ? 'missing' : 'not accepted'}`);
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) return invalid('The token signature is invalid');
      if (e instanceof joseErrors.JOSEAlgNotAllowed) return invalid('The token is signed with an algorithm this gateway does not accept');
      if (e instanceof joseErrors.JWKSNoMatchingKey) return invalid('The token was signed with a key this gateway does not know');
      // Key-set trouble is ours, not the caller's: fetch failures, timeouts, a non-200 or bad JWKS.
      const jose = e instanceof joseErrors.JOSEError;
      if (!jose || e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid || e.code === 'ERR_JOSE_GENERIC') {
        return new AuthError('AUTH_UNAVAILABLE', 'Cannot verify the token right now: the JWKS could not be loaded', 503);
      }
      return invalid('The token is malformed');
    }
  };
}
