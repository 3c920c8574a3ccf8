/**
 * Calls to AfterShip's OAuth token endpoint (REFERENCE §2.3): `POST /oauth/token` with a form body,
 * `grant_type=authorization_code` or `refresh_token`, client id and secret in the body.
 * The response shape is not documented; we accept the standard OAuth 2.0 JSON and, in case AfterShip
 * wraps it in its usual `{ meta, data }` envelope, the same fields under `data`.
 */
import type { Clock } from '../lib/clock.js';
import { protectTokens, type OAuthTokens } from './token-store.js';

export interface OAuthEndpointClient {
  exchangeCode(input: { code: string; codeVerifier?: string; redirectUri: string }): Promise<OAuthTokens>;
  /** Tokens from a refresh; keeps `previous.refreshToken`/scopes when the answer omits them. */
  refresh(previous: OAuthTokens): Promise<OAuthTokens>;
}

export interface OAuthEndpointClientOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  clock: Clock;
  fetch?: typeof globalThis.fetch;
  /** @default 10000 */
  timeoutMs?: number;
}

/** The token endpoint refused the grant (`invalid_grant`, `invalid_client`, ...). */
export class OAuthGrantError extends Error {
  override readonly name = 'OAuthGrantError';
  constructor(
    readonly error: string,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

/** The token endpoint could not be reached or answered with a server error. */
export class OAuthUnavailableError extends Error {
  override readonly name = 'OAuthUnavailableError';
}

type Json = Record<string, unknown>;

function describe(body: Json): string {
  const d = typeof body.error_description === 'string' ? body.error_description.slice(0, 200) : '';
  return d ? `: ${d}` : '';
}

export function createOAuthEndpointClient(options: OAuthEndpointClientOptions): OAuthEndpointClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  const post = async (form: Record<string, string>, previous?: OAuthTokens): Promise<OAuthTokens> => {
    const body = new URLSearchParams({ ...form, client_id: options.clientId, client_secret: options.clientSecret });
    let res: Response;
    try {
      res = await doFetch(options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new OAuthUnavailableError(`AfterShip's OAuth token endpoint did not answer (${(e as Error).name})`, { cause: e });
    }
    const text = await res.text();
    let json: Json = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) json = parsed as Json;
    } catch {
      // not JSON: handled by the status checks below
    }
    const payload = typeof json.data === 'object' && json.data !== null && !('access_token' in json) ? (json.data as Json) : json;
    if (res.status >= 500) throw new OAuthUnavailableError(`AfterShip's OAuth token endpoint failed with HTTP ${res.status}`);
    if (!res.ok) {
      const error = typeof payload.error === 'string' ? payload.error : res.status === 401 ? 'invalid_client' : 'invalid_request';
      throw new OAuthGrantError(error, res.status, `AfterShip's OAuth token endpoint refused the request (HTTP ${res.status}, ${error})${describe(payload)}`);
    }
    if (typeof payload.access_token !== 'string' || payload.access_token === '') {
      throw new OAuthUnavailableError(`AfterShip's OAuth token endpoint answered HTTP ${res.status} without an access_token`);
    }
    const now = options.clock.now();
    const expiresIn = typeof payload.expires_in === 'number' ? payload.expires_in : typeof payload.expires_in === 'string' ? Number(payload.expires_in) : NaN;
    const scopes =
      typeof payload.scope === 'string' ? payload.scope.split(/[\s,]+/).filter(Boolean)
      : Array.isArray(payload.scope) ? payload.scope.filter((s): s is string => typeof s === 'string')
      : previous?.scopes ?? [];
    const refreshToken = typeof payload.refresh_token === 'string' && payload.refresh_token ? payload.refresh_token : previous?.refreshToken;
    return protectTokens({
      accessToken: payload.access_token,
      ...(refreshToken !== undefined && { refreshToken }),
      tokenType: typeof payload.token_type === 'string' ? payload.token_type : 'Bearer',
      ...(Number.isFinite(expiresIn) && expiresIn > 0 && { expiresAt: now + expiresIn * 1000 }),
      scopes,
      obtainedAt: now,
    });
  };

  return {
    exchangeCode({ code, codeVerifier, redirectUri }) {
      return post({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, ...(codeVerifier && { code_verifier: codeVerifier }) });
    },
    refresh(previous) {
      if (!previous.refreshToken) {
        return Promise.reject(new OAuthGrantError('invalid_grant', 400, 'No refresh token was issued for this connection'));
      }
      return post({ grant_type: 'refresh_token', refresh_token: previous.refreshToken }, previous);
    },
  };
}
