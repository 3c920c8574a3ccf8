import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { ManualClock } from '../src/lib/clock.js';
import { createAccountRegistry } from '../src/auth/accounts.js';
import { authConfigFrom } from './auth-support.js';
import { createGatewayAuth } from '../src/auth/index.js';
import { createMemoryTokenStore } from '../src/auth/token-store.js';
import type { OAuthEndpointClient } from '../src/auth/oauth-client.js';

describe('account registry', () => {
  const config = authConfigFrom({
    AFTERSHIP_API_KEY: 'asat_default_123',
    AFTERSHIP_API_SECRET: 'signing-secret-1',
    AFTERSHIP_WEBHOOK_SECRET: 'default-webhook-secret',
    AFTERSHIP_ACCOUNTS: JSON.stringify([{ id: 'shop-us', kind: 'api-key', apiKey: 'asat_us_123456', webhookSecret: 'us-webhook-secret' }]),
    GATEWAY_AUTH: 'none',
  });

  it('answers the key (and signing secret) of API-key accounts, never printing them', () => {
    const { accounts } = createGatewayAuth(config);
    expect(accounts.defaultAccountId).toBe('default');
    expect(accounts.list().map((a) => a.id)).toEqual(['default', 'shop-us']);
    const auth = accounts.authFor('default');
    expect(auth).toMatchObject({ kind: 'api-key', apiKey: 'asat_default_123', apiSecret: 'signing-secret-1' });
    expect(accounts.authFor('default')).toBe(auth); // stable per account
    expect(JSON.stringify(auth)).not.toContain('asat_default_123');
    expect(inspect(auth)).not.toContain('signing-secret-1');
    expect(inspect(accounts.get('shop-us'))).not.toContain('asat_us_123456');
    expect(accounts.webhookSecretFor('default')).toBe('default-webhook-secret');
    expect(accounts.webhookSecretFor('shop-us')).toBe('us-webhook-secret');
    expect(() => accounts.authFor('nope')).toThrow('Unknown AfterShip account "nope" (configured: default, shop-us)');
  });

  it('needs a token store and OAuth settings for OAuth accounts', () => {
    expect(() => createAccountRegistry({ accounts: [{ id: 'a', kind: 'oauth' }] })).toThrow(/token store/);
  });

  it('treats tokens without expiry as long-lived and a missing refresh token as needing a reconnect', async () => {
    const clock = new ManualClock();
    const store = createMemoryTokenStore();
    let refreshes = 0;
    const endpoint: OAuthEndpointClient = {
      exchangeCode: () => Promise.reject(new Error('unused')),
      refresh: async () => {
        refreshes++;
        throw new Error('unused');
      },
    };
    const accounts = createAccountRegistry({ accounts: [{ id: 'a', kind: 'oauth' }], tokenStore: store, oauthEndpoint: endpoint, clock });
    await accounts.saveOAuthTokens('a', { accessToken: 'forever-token', tokenType: 'Bearer', scopes: [], obtainedAt: clock.now() });
    const auth = accounts.authFor('a');
    if (auth.kind !== 'bearer') throw new Error('expected bearer');
    clock.advance(365 * 86_400_000);
    expect(await auth.getAccessToken()).toBe('forever-token');
    await expect(auth.onUnauthorized!()).rejects.toThrow('AfterShip OAuth connection for account a was revoked; reconnect at /oauth/aftership/start?account=a');
    expect(refreshes).toBe(0);
    expect(await accounts.oauthStatus('a')).toMatchObject({ connected: true });
    await accounts.disconnect('a');
    expect(await accounts.oauthStatus('a')).toEqual({ connected: false, scopes: [] });
    await expect(auth.getAccessToken()).rejects.toThrow(/not connected yet/);
  });
});
