import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { ENDPOINT_KEYS } from '../src/aftership/endpoints.js';
import { ConfigError, SANDBOX_API_KEY } from '../src/config.js';
import { authConfigFrom } from './auth-support.js';
import { ENDPOINT_SCOPES, READ_SCOPES, SCOPES, parseScopes } from '../src/auth/scopes.js';
import { sha256Hex } from '../src/auth/secrets.js';

const TOKEN = 'gw-token-read-only-0123456789';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('scopes', () => {
  it('maps every AfterShip endpoint to the scope AfterShip documents for it', () => {
    expect(Object.keys(ENDPOINT_SCOPES).sort()).toEqual([...ENDPOINT_KEYS].sort());
    expect(ENDPOINT_SCOPES['GET /trackings/:id']).toBe('aftership:tracking:read');
    expect(ENDPOINT_SCOPES['POST /trackings/:id/retrack']).toBe('aftership:tracking:write');
    expect(ENDPOINT_SCOPES['POST /couriers/detect']).toBe('aftership:courier:write');
    expect(ENDPOINT_SCOPES['POST /estimated-delivery-date/predict-batch']).toBe('aftership:estimated_delivery_date:write');
    expect(ENDPOINT_SCOPES['PATCH /courier-connections/:id']).toBe('aftership:carrier_connection:write');
    expect(new Set(Object.values(ENDPOINT_SCOPES))).toEqual(new Set(SCOPES));
    expect(READ_SCOPES).toEqual(['aftership:tracking:read', 'aftership:courier:read', 'aftership:carrier_connection:read']);
  });

  it('parses space-separated or listed scopes, ignoring foreign ones', () => {
    expect([...parseScopes('openid aftership:tracking:read  aftership:courier:read')]).toEqual(['aftership:tracking:read', 'aftership:courier:read']);
    expect([...parseScopes(['aftership:tracking:write', 42])]).toEqual(['aftership:tracking:write']);
    expect(parseScopes(undefined).size).toBe(0);
  });
});

describe('access control configuration', () => {
  it('is open in sandbox mode (no AfterShip credentials)', () => {
    const c = authConfigFrom({});
    expect(c.sandbox).toBe(true);
    expect(c.mode).toBe('none');
    expect(c.warnings).toEqual([]);
    expect(c.defaultAccountId).toBe('default');
    // The embedded sandbox is the default account.
    expect(c.accounts).toMatchObject([{ id: 'default', kind: 'api-key', apiKey: SANDBOX_API_KEY }]);
  });

  it('refuses to start with a real API key and no access control', () => {
    const problems = problemsOf(() => authConfigFrom({ AFTERSHIP_API_KEY: 'asat_1234567890' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/GATEWAY_AUTH is not set.*GATEWAY_TOKENS.*GATEWAY_AUTH=none/);
  });

  it("counts the sandbox's well-known key as no real account (a standalone sandbox), but not beside real accounts", () => {
    const standalone = authConfigFrom({ AFTERSHIP_API_KEY: SANDBOX_API_KEY, AFTERSHIP_BASE_URL: 'http://127.0.0.1:5555' });
    expect(standalone).toMatchObject({ sandbox: false, realAccount: false, mode: 'none', warnings: [] });
    const accounts = JSON.stringify([{ id: 'shop', kind: 'api-key', apiKey: 'asat_1234567890' }]);
    expect(problemsOf(() => authConfigFrom({ AFTERSHIP_API_KEY: SANDBOX_API_KEY, AFTERSHIP_ACCOUNTS: accounts }))[0]).toMatch(/GATEWAY_AUTH is not set/);
    expect(authConfigFrom({ AFTERSHIP_API_KEY: 'asat_1234567890', GATEWAY_AUTH: 'none' }).realAccount).toBe(true);
  });

  it('runs open with GATEWAY_AUTH=none, with a warning', () => {
    const c = authConfigFrom({ AFTERSHIP_API_KEY: 'asat_1234567890', GATEWAY_AUTH: 'none' });
    expect(c.mode).toBe('none');
    expect(c.warnings.join('\n')).toMatch(/access control is OFF/);
  });

  it('reads tokens, keeps only their hashes, and infers the mode', () => {
    const c = authConfigFrom({
      AFTERSHIP_API_KEY: 'asat_1234567890',
      AFTERSHIP_WEBHOOK_SECRET: 'whsec-123456',
      GATEWAY_TOKENS: JSON.stringify([
        { name: 'dashboard', token: TOKEN, scopes: ['aftership:tracking:read'] },
        { name: 'ops', sha256: sha256Hex('another-token-0123456789'), scopes: [...SCOPES], account: 'default' },
      ]),
    });
    expect(c.mode).toBe('tokens');
    expect(c.tokens[0]).toEqual({ name: 'dashboard', sha256: sha256Hex(TOKEN), scopes: ['aftership:tracking:read'], account: 'default', lookupOnly: false });
    expect(JSON.stringify(c)).not.toContain(TOKEN);
    // The account's key and secret never print.
    expect(JSON.stringify(c.accounts)).not.toContain('asat_1234567890');
    expect(inspect(c.accounts)).not.toContain('whsec-123456');
    expect(c.accounts[0]).toMatchObject({ id: 'default', kind: 'api-key', apiKey: 'asat_1234567890', webhookSecret: 'whsec-123456' });
  });

  it('reads tokens and accounts from files', () => {
    const files: Record<string, string> = {
      '/etc/gw/tokens.json': JSON.stringify([{ name: 'eu', token: TOKEN, scopes: ['aftership:tracking:read'], account: 'shop-eu' }]),
      '/etc/gw/accounts.json': JSON.stringify([
        { id: 'shop-eu', kind: 'oauth', webhookSecret: 'eu-webhook-secret' },
        { id: 'shop-us', kind: 'api-key', apiKey: 'asat_us_123456' },
      ]),
    };
    const c = authConfigFrom(
      {
        GATEWAY_TOKENS_FILE: '/etc/gw/tokens.json',
        AFTERSHIP_ACCOUNTS_FILE: '/etc/gw/accounts.json',
        AFTERSHIP_OAUTH_CLIENT_ID: 'app-1',
        AFTERSHIP_OAUTH_CLIENT_SECRET: 'app-secret-1',
        AFTERSHIP_OAUTH_REDIRECT_URI: 'https://gw.example.com/oauth/aftership/callback',
        AFTERSHIP_OAUTH_SCOPES: 'aftership:tracking:read aftership:courier:read',
        TOKEN_ENCRYPTION_KEY: 'a-long-encryption-passphrase',
        DATA_DIR: '/var/lib/gw',
      },
      { readFile: (p) => files[p] ?? (() => { throw Object.assign(new Error('no'), { code: 'ENOENT' }); })() },
    );
    expect(c.sandbox).toBe(false);
    expect(c.defaultAccountId).toBe('shop-eu');
    expect(c.accounts.map((a) => a.id)).toEqual(['shop-eu', 'shop-us']);
    expect(c.oauth).toMatchObject({
      clientId: 'app-1',
      authorizeUrl: 'https://apps.aftership.com/oauth/authorize',
      tokenUrl: 'https://apps.aftership.com/oauth/token',
      scopes: ['aftership:tracking:read', 'aftership:courier:read'],
      refreshSkewMs: 60_000,
    });
    expect(c.tokenStore).toMatchObject({ kind: 'file', dataDir: '/var/lib/gw' });
    expect(JSON.stringify(c)).not.toMatch(/app-secret-1|a-long-encryption-passphrase|eu-webhook-secret|asat_us_123456/);
  });

  it('reports every bad variable at once, never echoing secrets', () => {
    const problems = problemsOf(() =>
      authConfigFrom({
        AFTERSHIP_API_KEY: 'asat_1234567890',
        GATEWAY_AUTH: 'tokens,jwt',
        GATEWAY_TOKENS: `[{"name":"a","token":"short-secret","scopes":["aftership:tracking:fly"]}, {"name":"b","token":"${TOKEN}","scopes":[],"account":"nope"}]`,
        GATEWAY_JWT_SECRET: 'too-short-jwt-secret',
        AFTERSHIP_ACCOUNTS_FILE: '/missing.json',
        AFTERSHIP_OAUTH_CLIENT_ID: 'app-1',
      }),
    );
    const text = problems.join('\n');
    expect(text).toMatch(/GATEWAY_TOKENS\[0\]\.token is too short/);
    expect(text).toMatch(/GATEWAY_TOKENS\[0\]\.scopes has unknown scope "aftership:tracking:fly"/);
    expect(text).toMatch(/GATEWAY_JWT_SECRET is too short/);
    expect(text).toMatch(/AFTERSHIP_ACCOUNTS_FILE "\/missing.json" cannot be read/);
    expect(text).toMatch(/AFTERSHIP_OAUTH_CLIENT_SECRET is required/);
    expect(text).toMatch(/AFTERSHIP_OAUTH_REDIRECT_URI is required/);
    expect(text).toMatch(/TOKEN_ENCRYPTION_KEY is required/);
    expect(text).toMatch(/GATEWAY_TOKENS entry "b" names account "nope"/);
    expect(text).not.toMatch(/short-secret|too-short-jwt-secret|asat_1234567890/);
    expect(text).not.toContain(TOKEN);
  });

  it('does not echo invalid JSON that holds tokens', () => {
    const problems = problemsOf(() => authConfigFrom({ GATEWAY_TOKENS: '[{"name":"x","token":"super-secret-value-123"' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^GATEWAY_TOKENS is not valid JSON/);
    expect(problems[0]).not.toContain('super-secret');
  });

  it('configures JWT verification and warns without issuer/audience', () => {
    const c = authConfigFrom({ GATEWAY_JWT_JWKS_URL: 'http://127.0.0.1:1/jwks.json' });
    expect(c.mode).toBe('jwt');
    expect(c.jwt).toMatchObject({ jwksUrl: 'http://127.0.0.1:1/jwks.json', accountClaim: 'aftership_account', clockToleranceSeconds: 5 });
    expect(c.warnings.join()).toMatch(/GATEWAY_JWT_ISSUER/);
    const strict = authConfigFrom({
      GATEWAY_JWT_SECRET: 'x'.repeat(40),
      GATEWAY_JWT_ISSUER: 'https://idp.example.com/',
      GATEWAY_JWT_AUDIENCE: 'gateway, other',
      GATEWAY_AUTH: 'JWT',
    });
    expect(strict.jwt?.audience).toEqual(['gateway', 'other']);
    expect(strict.warnings).toEqual([]);
    expect(JSON.stringify(strict)).not.toContain('x'.repeat(40));
    expect(problemsOf(() => authConfigFrom({ GATEWAY_AUTH: 'jwt' }))).toEqual(['GATEWAY_AUTH=jwt needs GATEWAY_JWT_SECRET or GATEWAY_JWT_JWKS_URL']);
    expect(problemsOf(() => authConfigFrom({ GATEWAY_AUTH: 'magic' }))[0]).toMatch(/GATEWAY_AUTH must be one of tokens, jwt, tokens,jwt, none \(got "magic"\)/);
  });
});
