/**
 * Connecting an AfterShip account through OAuth 2.0 (authorization code + PKCE S256), as WHATWG
 * handlers the app mounts:
 *   GET  /oauth/aftership/start?account=<id>    → 302 to AfterShip's consent page (sets the state cookie)
 *   POST /oauth/aftership/start?account=<id>    → JSON { url } : a one-time link to open in a browser
 *   GET  /oauth/aftership/callback?code&state   → exchanges the code, stores the tokens, "connected"
 *   GET  /oauth/aftership/status?account=<id>   → JSON connection status
 * Starting needs a viewer of that account holding every requested scope (or an open gateway), so
 * nobody can attach their own AfterShip organisation to someone else's account. The callback is
 * protected by the single-use server-side state, the HttpOnly state cookie and PKCE.
 * AfterShip also appends an `hmac` to the redirect; its computation is undocumented, so it is not checked.
 */
import type { Clock } from '../lib/clock.js';
import { systemClock } from '../lib/clock.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import type { AccountRegistry } from './accounts.js';
import type { OAuthConfig } from './config.js';
import { createOAuthEndpointClient, OAuthGrantError, type OAuthEndpointClient } from './oauth-client.js';
import { createMemoryOAuthStateStore, type OAuthStateStore } from './oauth-state.js';
import { createHash } from 'node:crypto';
import { constantTimeEqual, randomToken } from './secrets.js';
import { AuthError, authErrorResponse, hasAllScopes, insufficientScope, type Authenticator } from './viewer.js';

export const STATE_COOKIE = 'asgw_oauth_state';
const TICKET_PREFIX = 'ticket:';
const TICKET_TTL_MS = 300_000;

export interface OAuthHandlersOptions {
  config: OAuthConfig;
  accounts: AccountRegistry;
  /** Decides who may start a connection (the gateway's authenticator). */
  authenticator: Authenticator;
  /** @default built from `config` */
  endpoint?: OAuthEndpointClient;
  /** @default in memory (use the Redis one with several instances) */
  stateStore?: OAuthStateStore;
  clock?: Clock;
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
  /** @default "/oauth/aftership" */
  basePath?: string;
}

export interface OAuthHandlers {
  start(request: Request): Promise<Response>;
  callback(request: Request): Promise<Response>;
  status(request: Request): Promise<Response>;
  /** Routes a request under basePath; undefined for other paths. */
  handle(request: Request): Promise<Response> | undefined;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function wantsJson(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function respond(request: Request, status: number, title: string, detail: string, json: Record<string, unknown>, extra: Record<string, string> = {}): Response {
  const headers = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', ...extra };
  if (wantsJson(request)) {
    return new Response(JSON.stringify(json), { status, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' } });
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
  return new Response(html, {
    status,
    headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; base-uri 'none'; frame-ancestors 'none'" },
  });
}

function cookieValue(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function createOAuthHandlers(options: OAuthHandlersOptions): OAuthHandlers {
  const { config, accounts, authenticator } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const basePath = (options.basePath ?? '/oauth/aftership').replace(/\/+$/, '');
  const states = options.stateStore ?? createMemoryOAuthStateStore(clock);
  const endpoint =
    options.endpoint ??
    createOAuthEndpointClient({ tokenUrl: config.tokenUrl, clientId: config.clientId, clientSecret: config.clientSecret, clock, fetch: options.fetch });
  const secureCookie = config.redirectUri.startsWith('https:');
  const callbackPath = new URL(config.redirectUri).pathname;

  const badRequest = (request: Request, message: string, code = 'BAD_REQUEST', status = 400): Response =>
    respond(request, status, 'AfterShip connection failed', message, { connected: false, error: { code, message } });

  /** The OAuth account to connect, after checking the caller may act for it. */
  const authorizeCaller = async (request: Request, requested: string | null): Promise<string | Response> => {
    const viewer = await authenticator.authenticateRequest(request);
    if (viewer instanceof AuthError) return authErrorResponse(viewer);
    const accountId = requested ?? (viewer.kind === 'open' ? accounts.defaultAccountId : viewer.accountId);
    // Permission first, so a caller learns nothing about accounts that are not theirs.
    if (viewer.kind !== 'open') {
      if (viewer.accountId !== accountId) return authErrorResponse(new AuthError('FORBIDDEN', `This token may not connect account "${accountId}"`, 403, 'insufficient_scope'));
      if (!hasAllScopes(viewer, config.scopes)) return authErrorResponse(insufficientScope(config.scopes));
    }
    const account = accounts.get(accountId);
    if (!account) return badRequest(request, `Unknown AfterShip account "${accountId}"`, 'UNKNOWN_ACCOUNT', 404);
    if (account.kind !== 'oauth') return badRequest(request, `AfterShip account "${accountId}" uses an API key; only OAuth accounts can be connected`, 'NOT_OAUTH_ACCOUNT');
    return accountId;
  };

  const redirectToAfterShip = async (accountId: string): Promise<Response> => {
    const state = randomToken(24);
    const codeVerifier = randomToken(48);
    await states.put(state, { accountId, codeVerifier, createdAt: clock.now() }, config.stateTtlMs);
    const url = new URL(config.authorizeUrl);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('redirect_uri', config.redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', config.scopes.join(' '));
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', createHash('sha256').update(codeVerifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
    const cookie = [`${STATE_COOKIE}=${state}`, `Path=${callbackPath}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.floor(config.stateTtlMs / 1000)}`];
    if (secureCookie) cookie.push('Secure');
    logger.info({ account: accountId }, 'starting AfterShip OAuth authorization');
    return new Response(null, { status: 302, headers: { location: url.toString(), 'set-cookie': cookie.join('; '), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
  };

  const start = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const ticket = url.searchParams.get('ticket');
    if (request.method === 'GET' && ticket) {
      const pending = await states.take(TICKET_PREFIX + ticket);
      if (!pending) return badRequest(request, 'This connect link is unknown, expired or already used; request a new one', 'INVALID_TICKET');
      return redirectToAfterShip(pending.accountId);
    }
    const caller = await authorizeCaller(request, url.searchParams.get('account'));
    if (caller instanceof Response) return caller;
    if (request.method === 'GET') return redirectToAfterShip(caller);
    if (request.method === 'POST') {
      // For API clients: a one-time link a person opens in the browser (which then gets the cookie).
      const value = randomToken(24);
      await states.put(TICKET_PREFIX + value, { accountId: caller, codeVerifier: '', createdAt: clock.now() }, TICKET_TTL_MS);
      const link = new URL(`${basePath}/start?ticket=${value}`, url).toString();
      return new Response(JSON.stringify({ account: caller, url: link, expiresAt: new Date(clock.now() + TICKET_TTL_MS).toISOString() }), {
        status: 201,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      });
    }
    return new Response(null, { status: 405, headers: { allow: 'GET, POST' } });
  };

  const callback = async (request: Request): Promise<Response> => {
    if (request.method !== 'GET') return new Response(null, { status: 405, headers: { allow: 'GET' } });
    const url = new URL(request.url);
    const p = url.searchParams;
    const state = p.get('state');
    const clearCookie = { 'set-cookie': `${STATE_COOKIE}=; Path=${callbackPath}; HttpOnly; SameSite=Lax; Max-Age=0${secureCookie ? '; Secure' : ''}` };
    const fail = (message: string, code: string, status = 400): Response =>
      respond(request, status, 'AfterShip connection failed', message, { connected: false, error: { code, message } }, clearCookie);
    // A callback that is not this browser's (no state, or another one: forged, or a stale tab) is
    // refused without touching the state cookie: the genuine callback may still arrive.
    const refuse = (message: string, code: string): Response =>
      respond(request, 400, 'AfterShip connection failed', message, { connected: false, error: { code, message } });
    if (!state) return refuse('The callback has no state parameter', 'STATE_MISSING');
    const cookie = cookieValue(request, STATE_COOKIE);
    if (!cookie || !constantTimeEqual(cookie, state)) {
      return refuse(`The state does not match this browser's session; start again at ${basePath}/start`, 'STATE_MISMATCH');
    }
    const pending = state.startsWith(TICKET_PREFIX) ? undefined : await states.take(state);
    if (!pending) return fail(`The authorization is unknown or expired; start again at ${basePath}/start`, 'STATE_EXPIRED');
    const retry = `${basePath}/start?account=${encodeURIComponent(pending.accountId)}`;
    const error = p.get('error');
    if (error) {
      const reason = error === 'access_denied' ? 'the request was declined' : `AfterShip answered "${error.slice(0, 64)}"`;
      return fail(`AfterShip did not authorize account ${pending.accountId}: ${reason}. Try again at ${retry}`, 'AUTHORIZATION_DENIED', 403);
    }
    const code = p.get('code');
    if (!code) return fail('The callback has no code parameter', 'CODE_MISSING');
    let tokens;
    try {
      tokens = await endpoint.exchangeCode({ code, codeVerifier: pending.codeVerifier, redirectUri: config.redirectUri });
    } catch (e) {
      logger.warn({ account: pending.accountId, error: (e as Error).message }, 'AfterShip OAuth code exchange failed');
      if (e instanceof OAuthGrantError) return fail(`${e.message}. Try again at ${retry}`, 'CODE_EXCHANGE_FAILED');
      return fail(`${(e as Error).message}. Try again at ${retry}`, 'UPSTREAM_UNAVAILABLE', 502);
    }
    await accounts.saveOAuthTokens(pending.accountId, tokens);
    const missing = config.scopes.filter((s) => !tokens.scopes.includes(s));
    logger.info({ account: pending.accountId, scopes: tokens.scopes.join(' ') }, 'connected AfterShip account through OAuth');
    const detail =
      `AfterShip account ${pending.accountId} is connected with scopes: ${tokens.scopes.join(' ') || '(none reported)'}.` +
      (missing.length && tokens.scopes.length ? ` Not granted: ${missing.join(' ')}.` : '') +
      ' You can close this page.';
    return respond(
      request,
      200,
      'AfterShip connected',
      detail,
      { connected: true, account: pending.accountId, scopes: tokens.scopes, expiresAt: tokens.expiresAt === undefined ? null : new Date(tokens.expiresAt).toISOString() },
      clearCookie,
    );
  };

  const status = async (request: Request): Promise<Response> => {
    const caller = await authorizeCaller(request, new URL(request.url).searchParams.get('account'));
    if (caller instanceof Response) return caller;
    const s = await accounts.oauthStatus(caller);
    return new Response(
      JSON.stringify({ account: caller, connected: s.connected, scopes: s.scopes, expiresAt: s.expiresAt === undefined ? null : new Date(s.expiresAt).toISOString() }),
      { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } },
    );
  };

  return {
    start,
    callback,
    status,
    handle(request) {
      const path = new URL(request.url).pathname.replace(/\/+$/, '');
      if (path === `${basePath}/start`) return start(request);
      if (path === `${basePath}/callback` || path === callbackPath) return callback(request);
      if (path === `${basePath}/status`) return status(request);
      return undefined;
    },
  };
}
