/**
 * Logging on pino: JSON lines with string levels, child loggers' bound fields, yoga's adapter keeping
 * every argument, and the redaction of every configured secret (every account's, not only the default
 * one's) wherever it hides in a line: a field, the message, an error's stack.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger, yogaLogging, REDACTED, type Logger } from '../src/lib/logger.js';
import { configSecrets } from '../src/log-secrets.js';
import { sha256Hex } from '../src/auth/secrets.js';
import { GraphQLError, locatedError } from 'graphql';
import { AfterShipError, ErrorCode } from '../src/aftership/errors.js';
import { QueryRefusedError } from '../src/schema/cost-guard.js';
import { faultOf } from '../src/schema/error-mapping.js';

function recording(options: Parameters<typeof createLogger>[0] = {}): { logger: Logger; raw: string[]; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'debug', ...options, destination: { write: (l: string) => void raw.push(l) } });
  return { logger, raw, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const SECRETS = {
  defaultKey: 'asat_default_key_000001',
  defaultSecret: 'asat_default_signing_0001',
  defaultWebhook: 'whsec-default-000001',
  bKey: 'asat_account_b_key_0002',
  bSecret: 'asat_account_b_signing_02',
  bWebhook: 'whsec-account-b-0002',
  oauthWebhook: 'whsec-oauth-shop-0003',
  oauthClientSecret: 'oauth-client-secret-0004',
  encryptionKey: 'token-encryption-passphrase-0005',
  jwtSecret: 'jwt-hs256-shared-secret-0006-0123456789',
  gatewayToken: 'gateway-token-plain-0007-abcdef',
  redisPassword: 'redis-pass-0008',
};

const env = {
  AFTERSHIP_API_KEY: SECRETS.defaultKey,
  AFTERSHIP_API_SECRET: SECRETS.defaultSecret,
  AFTERSHIP_WEBHOOK_SECRET: SECRETS.defaultWebhook,
  AFTERSHIP_ACCOUNTS: JSON.stringify([
    { id: 'b', kind: 'api-key', apiKey: SECRETS.bKey, apiSecret: SECRETS.bSecret, webhookSecret: SECRETS.bWebhook },
    { id: 'shop', kind: 'oauth', webhookSecret: SECRETS.oauthWebhook },
  ]),
  AFTERSHIP_OAUTH_CLIENT_ID: 'app-1',
  AFTERSHIP_OAUTH_CLIENT_SECRET: SECRETS.oauthClientSecret,
  AFTERSHIP_OAUTH_REDIRECT_URI: 'https://gw.example.com/oauth/aftership/callback',
  TOKEN_ENCRYPTION_KEY: SECRETS.encryptionKey,
  GATEWAY_JWT_SECRET: SECRETS.jwtSecret,
  GATEWAY_TOKENS: JSON.stringify([{ name: 'ops', token: SECRETS.gatewayToken, scopes: ['aftership:tracking:read'] }]),
  REDIS_URL: `redis://:${SECRETS.redisPassword}@127.0.0.1:6379`,
};

describe('logger', () => {
  it('writes one JSON object per line with a string level, an ISO time and the fields', () => {
    const { logger, lines } = recording();
    logger.info({ trackingId: 't1' }, 'hello');
    logger.debug('quiet');
    const [first, second] = lines();
    expect(first).toMatchObject({ level: 'info', msg: 'hello', trackingId: 't1' });
    expect(new Date(first.time as string).toISOString()).toBe(first.time);
    expect(second).toMatchObject({ level: 'debug', msg: 'quiet' });
  });

  it('honours the level', () => {
    const { logger, raw } = recording({ level: 'warn' });
    logger.info('not printed');
    logger.warn('printed');
    expect(raw).toHaveLength(1);
  });

  it('child loggers carry their bound fields, nested children all of them', () => {
    const { logger, lines } = recording();
    const account = logger.child({ account: 'b' });
    account.child({ component: 'realtime' }).warn({ eventId: 'e1' }, 'webhook refused');
    account.info('plain');
    expect(lines()).toEqual([
      expect.objectContaining({ account: 'b', component: 'realtime', eventId: 'e1', msg: 'webhook refused' }),
      expect.objectContaining({ account: 'b', msg: 'plain' }),
    ]);
    expect(lines()[1]).not.toHaveProperty('component');
  });

  it('prints an Error under err with its stack', () => {
    const { logger, lines } = recording();
    logger.error({ err: new Error('boom') }, 'failed');
    const err = lines()[0].err as { message: string; stack: string; type: string };
    expect(err).toMatchObject({ message: 'boom', type: 'Error' });
    expect(err.stack).toContain('logging.test.ts');
  });

  it("yoga's adapter keeps every argument", () => {
    const { logger, lines } = recording();
    const yoga = yogaLogging(logger);
    yoga.warn('Unexpected thing', { operationName: 'Q' }, 42);
    yoga.error(new Error('kaput'));
    yoga.info('with an error', new Error('inner'));
    const [a, b, c] = lines();
    expect(a).toMatchObject({ level: 'warn', msg: 'Unexpected thing', args: [{ operationName: 'Q' }, 42] });
    expect(b).toMatchObject({ level: 'error', msg: 'kaput', err: { message: 'kaput' } });
    expect(c).toMatchObject({ level: 'info', msg: 'with an error', err: { message: 'inner' } });
  });

  it("logs yoga's errors by whose fault they are: the caller's at debug and the upstream's at warn, both rate-limited; the gateway's own at error", () => {
    const { logger, lines } = recording();
    let now = 0;
    const yoga = yogaLogging(logger, { faultOf, limit: { perSecond: 10, now: () => now } });
    const refused = new QueryRefusedError('QUERY_TOO_EXPENSIVE', 'too big', {});
    for (let i = 0; i < 50; i++) yoga.error(locatedError(refused, undefined, ['trackings']));
    for (let i = 0; i < 50; i++) yoga.error(new GraphQLError('Cannot query field "nope" on type "Query".'));
    yoga.error(new AfterShipError({ code: ErrorCode.UpstreamUnavailable, message: 'AfterShip answered 503' }));
    yoga.error(new AfterShipError({ code: ErrorCode.Unauthenticated, message: 'bad key' }));
    yoga.error(new TypeError("Cannot read properties of undefined (reading 'tag')"));
    yoga.error(new GraphQLError('Cannot return null for non-nullable field Tracking.id.', { path: ['tracking', 'id'] }));
    now += 1000;
    yoga.error(refused);
    const byLevel = (level: string) => lines().filter((l) => l.level === level);
    // 10 client lines in the first second (the rest suppressed), then one more that says how many were dropped.
    expect(byLevel('debug')).toHaveLength(11);
    expect(byLevel('debug').at(-1)).toMatchObject({ suppressed: 90 });
    expect(byLevel('warn').map((l) => l.msg)).toEqual(['AfterShip answered 503']);
    expect(byLevel('error').map((l) => l.msg)).toEqual(['bad key', "Cannot read properties of undefined (reading 'tag')", 'Cannot return null for non-nullable field Tracking.id.']);
  });

  it('redacts an Authorization header by path', () => {
    const { logger, raw } = recording();
    logger.info({ headers: { authorization: 'Bearer abc' } }, 'request');
    expect(raw[0]).not.toContain('Bearer abc');
  });
});

describe('secret redaction', () => {
  const config = loadConfig(env);
  const sandboxSecret = 'sandbox-generated-webhook-secret-0009';
  const secrets = configSecrets(config, sandboxSecret);

  it("collects every account's credentials and every other configured secret", () => {
    for (const value of [...Object.values(SECRETS).filter((v) => v !== SECRETS.gatewayToken), sandboxSecret]) {
      expect(secrets).toContain(value);
    }
    // Plain gateway tokens are never held (only their hashes, which are registered too).
    expect(secrets).toContain(sha256Hex(SECRETS.gatewayToken));
  });

  it('replaces each secret wherever it appears in a line: fields, message, nested objects, stacks', () => {
    const { logger, raw } = recording({ secrets });
    const log = logger.child({ account: 'b' });
    for (const value of Object.values(SECRETS)) {
      log.warn({ leaked: value, nested: { deeper: [`x${value}y`] } }, `message with ${value}`);
      log.error({ err: new Error(`upstream said ${value}`) }, 'failed');
    }
    const text = raw.join('\n');
    for (const [name, value] of Object.entries(SECRETS)) {
      if (name === 'gatewayToken') continue; // never held by the gateway (see above)
      expect(text, name).not.toContain(value);
    }
    expect(text).toContain(REDACTED);
    // Lines are still valid JSON after redaction.
    for (const line of raw) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('redacts secrets that JSON escapes (quotes, backslashes)', () => {
    const tricky = 'se"cr\\et-0010';
    const { logger, raw } = recording({ secrets: [tricky] });
    logger.info({ value: tricky }, 'x');
    expect(JSON.parse(raw[0])).toMatchObject({ value: REDACTED });
  });

  it('leaves the public sandbox key and short values alone', () => {
    const sandboxConfig = loadConfig({});
    expect(configSecrets(sandboxConfig)).toEqual([]);
    const { logger, raw } = recording({ secrets: ['abc', ''] });
    logger.info('abc stays');
    expect(JSON.parse(raw[0])).toMatchObject({ msg: 'abc stays' });
  });
});
