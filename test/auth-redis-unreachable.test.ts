/**
 * The OAuth token store's own Redis connection while Redis is unreachable: the problem is logged
 * once through the gateway's logger, not printed by ioredis on every reconnection attempt.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGatewayAuth, type GatewayAuth } from '../src/auth/index.js';
import { authConfigFrom } from './auth-support.js';
import { SCOPES } from '../src/auth/scopes.js';
import { createLogger } from '../src/lib/logger.js';

let auth: GatewayAuth | undefined;
afterEach(async () => {
  await auth?.close();
  auth = undefined;
  vi.restoreAllMocks();
});

describe('OAuth token store on an unreachable Redis', () => {
  it('logs once through the logger and keeps ioredis off stderr', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const lines: string[] = [];
    const config = authConfigFrom({
      AFTERSHIP_ACCOUNTS: JSON.stringify([{ id: 'shop-eu', kind: 'oauth' }]),
      GATEWAY_TOKENS: JSON.stringify([{ name: 'admin', token: 'gw-admin-token-for-shop-eu-123', scopes: SCOPES, account: 'shop-eu' }]),
      AFTERSHIP_OAUTH_CLIENT_ID: 'gw-app',
      AFTERSHIP_OAUTH_CLIENT_SECRET: 'gw-app-secret-123',
      AFTERSHIP_OAUTH_REDIRECT_URI: 'http://127.0.0.1:1/oauth/aftership/callback',
      TOKEN_ENCRYPTION_KEY: 'oauth-test-encryption-key',
      // Nothing listens on port 1: every connection attempt is refused.
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    auth = createGatewayAuth(config, { logger: createLogger({ level: 'debug', destination: { write: (l: string) => void lines.push(l) } }) });
    // Several reconnection attempts (ioredis retries after 50, 100, 150... ms).
    for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 400));
    expect(lines.filter((l) => l.includes('OAuth token store is unreachable'))).toHaveLength(1);
    expect(consoleError).not.toHaveBeenCalled();
  });
});
