/**
 * The sandbox's AfterShip OAuth 2.0 server for apps (REFERENCE §2.3): an authorize page and a token
 * endpoint, enough to run the whole authorization-code flow offline.
 * AfterShip's token response is undocumented: we answer standard OAuth 2.0 JSON. PKCE (S256) is
 * verified when the app sent a challenge. Refresh tokens rotate on every use. The redirect also
 * carries `hmac` like AfterShip's does; its real computation is unknown, ours is hex
 * HMAC-SHA256(client secret, sorted "k=v" pairs joined by "&").
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../lib/clock.js';

/** AfterShip's app scopes (same list as the gateway's src/auth/scopes.ts; the sandbox stays independent). */
const KNOWN_SCOPES = [
  'aftership:tracking:read',
  'aftership:tracking:write',
  'aftership:courier:read',
  'aftership:courier:write',
  'aftership:estimated_delivery_date:write',
  'aftership:carrier_connection:read',
  'aftership:carrier_connection:write',
];

export interface SandboxOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Allowed redirect URIs (exact match). @default any http(s) URI */
  redirectUris?: string[];
  clock: Clock;
  /** @default 3600000 */
  accessTokenTtlMs?: number;
  /** @default 600000 */
  codeTtlMs?: number;
  onTokenIssued?: (event: { grantType: 'authorization_code' | 'refresh_token'; scopes: string[]; expiresAt: number }) => void;
}

export interface SandboxOAuthServer {
  /** Answers `/oauth/authorize` and `/oauth/token`; undefined for any other path. */
  handle(request: Request): Promise<Response> | undefined;
  isValidAccessToken(token: string): { valid: boolean; scopes?: string[] };
  /** Revokes the grant behind this refresh token: the refresh token and its access tokens. */
  revokeRefreshToken(token: string): void;
  /** Revokes every token (the merchant uninstalled the app). */
  revokeAll(): void;
}

interface Grant {
  id: number;
  scopes: string[];
  revoked: boolean;
}
interface Code {
  grant: Grant;
  redirectUri: string;
  challenge?: string;
  expiresAt: number;
  used: boolean;
}

const sha256b64url = (s: string): string => createHash('sha256').update(s).digest('base64url');
const token = (prefix: string): string => `${prefix}_${randomBytes(24).toString('base64url')}`;
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function oauthError(status: number, error: string, description: string): Response {
  return new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...(status === 401 && { 'www-authenticate': 'Basic realm="oauth"' }) },
  });
}

function page(status: number, title: string, body: string): Response {
  return new Response(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

export function createSandboxOAuthServer(options: SandboxOAuthOptions): SandboxOAuthServer {
  const { clock } = options;
  const accessTtl = options.accessTokenTtlMs ?? 3_600_000;
  const codeTtl = options.codeTtlMs ?? 600_000;
  const codes = new Map<string, Code>();
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  const refreshTokens = new Map<string, Grant>();
  let grantSeq = 0;

  const redirectAllowed = (uri: string): boolean => {
    if (options.redirectUris) return options.redirectUris.includes(uri);
    try {
      return ['http:', 'https:'].includes(new URL(uri).protocol);
    } catch {
      return false;
    }
  };

  const redirectTo = (redirectUri: string, params: Record<string, string | undefined>): Response => {
    const url = new URL(redirectUri);
    const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
    for (const [k, v] of entries) url.searchParams.set(k, v);
    if (params.code) {
      const signed = [...url.searchParams.entries()].filter(([k]) => k !== 'hmac').sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&');
      url.searchParams.set('hmac', createHmac('sha256', options.clientSecret).update(signed).digest('hex'));
    }
    return new Response(null, { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } });
  };

  /** Forgets expired codes and access tokens and revoked refresh tokens, so a long sandbox run stays small. */
  const prune = (): void => {
    const now = clock.now();
    for (const [k, c] of codes) if (c.expiresAt <= now) codes.delete(k);
    for (const [k, t] of accessTokens) if (t.expiresAt <= now) accessTokens.delete(k);
    for (const [k, g] of refreshTokens) if (g.revoked) refreshTokens.delete(k);
  };

  const issue = (grant: Grant, grantType: 'authorization_code' | 'refresh_token'): Response => {
    prune();
    const accessToken = token('sbx_at');
    const refreshToken = token('sbx_rt');
    const expiresAt = clock.now() + accessTtl;
    accessTokens.set(accessToken, { grant, expiresAt });
    refreshTokens.set(refreshToken, grant);
    options.onTokenIssued?.({ grantType, scopes: grant.scopes, expiresAt });
    return new Response(
      JSON.stringify({ access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expires_in: Math.floor(accessTtl / 1000), scope: grant.scopes.join(' ') }),
      { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' } },
    );
  };

  /** Validates an authorization request; a Response when it must stop there. */
  const authorizeRequest = (p: URLSearchParams): Response | { redirectUri: string; scopes: string[]; state?: string; challenge?: string } => {
    const clientId = p.get('client_id');
    const redirectUri = p.get('redirect_uri') ?? '';
    // Per RFC 6749 §4.1.2.1: a bad client or redirect URI is shown to the user, never redirected to.
    if (clientId !== options.clientId) return page(400, 'Unknown app', '<p>client_id is missing or unknown.</p>');
    if (!redirectAllowed(redirectUri)) return page(400, 'Invalid redirect URI', '<p>redirect_uri is missing or not registered for this app.</p>');
    const state = p.get('state') ?? undefined;
    if (p.get('response_type') !== 'code') return redirectTo(redirectUri, { error: 'unsupported_response_type', state });
    const scopes = (p.get('scope') ?? '').split(/[\s,]+/).filter(Boolean);
    const unknown = scopes.filter((s) => !KNOWN_SCOPES.includes(s));
    if (!scopes.length || unknown.length) {
      return redirectTo(redirectUri, { error: 'invalid_scope', error_description: unknown.length ? `unknown scope ${unknown.join(' ')}` : 'scope is required', state });
    }
    const challenge = p.get('code_challenge') ?? undefined;
    const method = p.get('code_challenge_method') ?? (challenge ? 'plain' : undefined);
    if (challenge && method !== 'S256') return redirectTo(redirectUri, { error: 'invalid_request', error_description: 'code_challenge_method must be S256', state });
    return { redirectUri, scopes, state, challenge };
  };

  const approve = (req: { redirectUri: string; scopes: string[]; state?: string; challenge?: string }): Response => {
    prune();
    const code = token('sbx_code');
    codes.set(code, { grant: { id: ++grantSeq, scopes: req.scopes, revoked: false }, redirectUri: req.redirectUri, challenge: req.challenge, expiresAt: clock.now() + codeTtl, used: false });
    return redirectTo(req.redirectUri, { code, state: req.state });
  };

  const authorize = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (request.method === 'GET') {
      const checked = authorizeRequest(url.searchParams);
      if (checked instanceof Response) return checked;
      if (url.searchParams.get('auto_approve') === '1') return approve(checked);
      const hidden = [...url.searchParams.entries()].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
      return page(
        200,
        'Authorize app (AfterShip sandbox)',
        `<p>The app asks for: ${checked.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}</p>` +
          `<form method="post" action="${escapeHtml(url.pathname)}">${hidden}<button name="decision" value="approve">Approve</button> <button name="decision" value="deny">Deny</button></form>`,
      );
    }
    if (request.method === 'POST') {
      const form = new URLSearchParams(await request.text());
      const checked = authorizeRequest(form);
      if (checked instanceof Response) return checked;
      if (form.get('decision') === 'deny') return redirectTo(checked.redirectUri, { error: 'access_denied', state: checked.state });
      return approve(checked);
    }
    return oauthError(405, 'invalid_request', 'use GET or POST');
  };

  const tokenEndpoint = async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'use POST');
    if (!(request.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(await request.text());
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic\s+(.+)$/i.exec(request.headers.get('authorization') ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    if (clientId !== options.clientId || clientSecret === null || !safeEqual(clientSecret, options.clientSecret)) {
      return oauthError(401, 'invalid_client', 'client authentication failed');
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const codeValue = form.get('code') ?? '';
      const code = codes.get(codeValue);
      if (!code || code.expiresAt <= clock.now()) return oauthError(400, 'invalid_grant', 'the authorization code is invalid or expired');
      if (code.used) {
        // RFC 6749 §4.1.2: a reused code revokes what it issued.
        code.grant.revoked = true;
        return oauthError(400, 'invalid_grant', 'the authorization code was already used');
      }
      if (form.has('redirect_uri') && form.get('redirect_uri') !== code.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
      if (code.challenge) {
        const verifier = form.get('code_verifier');
        if (!verifier) return oauthError(400, 'invalid_request', 'code_verifier is required');
        if (!safeEqual(sha256b64url(verifier), code.challenge)) return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
      }
      code.used = true;
      return issue(code.grant, 'authorization_code');
    }
    if (grantType === 'refresh_token') {
      const value = form.get('refresh_token') ?? '';
      const grant = refreshTokens.get(value);
      if (!grant || grant.revoked) return oauthError(400, 'invalid_grant', 'the refresh token is invalid or was revoked');
      refreshTokens.delete(value); // rotation: each refresh token works once
      return issue(grant, 'refresh_token');
    }
    return oauthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  };

  return {
    handle(request) {
      const path = new URL(request.url).pathname.replace(/\/+$/, '');
      if (path.endsWith('/oauth/authorize')) return authorize(request);
      if (path.endsWith('/oauth/token')) return tokenEndpoint(request);
      return undefined;
    },
    isValidAccessToken(value) {
      const t = accessTokens.get(value);
      if (!t || t.grant.revoked || t.expiresAt <= clock.now()) return { valid: false };
      return { valid: true, scopes: [...t.grant.scopes] };
    },
    revokeRefreshToken(value) {
      const grant = refreshTokens.get(value);
      if (grant) grant.revoked = true;
    },
    revokeAll() {
      for (const g of refreshTokens.values()) g.revoked = true;
      for (const t of accessTokens.values()) t.grant.revoked = true;
      for (const c of codes.values()) c.grant.revoked = true;
    },
  };
}
