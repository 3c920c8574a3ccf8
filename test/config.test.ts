import { describe, expect, it } from 'vitest';
import { ConfigError, isSandboxMode, loadConfig } from '../src/config.js';

describe('config', () => {
  it('has working defaults: sandbox mode on port 4000', () => {
    const c = loadConfig({});
    expect(c.port).toBe(4000);
    expect(isSandboxMode(c)).toBe(true);
    expect(c.aftership.baseUrl).toBe('https://api.aftership.com');
    expect(c.aftership.rateLimitPerMinute).toBe(600);
    expect(c.aftership.queueTimeoutMs).toBe(10_000);
    expect(c.logLevel).toBe('info');
    expect(c.redis).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads every documented variable', () => {
    const c = loadConfig({
      PORT: '8080',
      AFTERSHIP_API_KEY: 'asat_1234567890',
      AFTERSHIP_BASE_URL: 'http://127.0.0.1:9999/',
      AFTERSHIP_WEBHOOK_SECRET: 'whsec-123456',
      AFTERSHIP_RATE_LIMIT_PER_MINUTE: '0',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'DEBUG',
      GATEWAY_AUTH: 'none',
    });
    expect(c.port).toBe(8080);
    expect(isSandboxMode(c)).toBe(false);
    expect(c.aftership.baseUrl).toBe('http://127.0.0.1:9999');
    expect(c.aftership.rateLimitPerMinute).toBe(0);
    expect(c.redis?.url).toBe('redis://127.0.0.1:6379');
    expect(c.logLevel).toBe('debug');
    expect(c.auth.mode).toBe('none');
  });

  it('refuses real AfterShip credentials without access control, unless explicitly open', () => {
    expect(() => loadConfig({ AFTERSHIP_API_KEY: 'asat_1234567890' })).toThrow(/GATEWAY_AUTH is not set/);
    expect(loadConfig({}).auth.sandbox).toBe(true);
  });

  it('reports every wrong variable at once, each with a clear message, never echoing secrets', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        AFTERSHIP_BASE_URL: 'ftp://x',
        REDIS_URL: 'http://localhost',
        LOG_LEVEL: 'loud',
        AFTERSHIP_WEBHOOK_SECRET: 'abc',
        AFTERSHIP_QUEUE_TIMEOUT_MS: '-5',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/PORT must be a whole number from 0 to 65535 \(got "eighty"\)/);
    expect(problems.join('\n')).toMatch(/AFTERSHIP_BASE_URL must be a http: or https: URL/);
    expect(problems.join('\n')).toMatch(/REDIS_URL must be a redis: or rediss: URL/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL must be one of debug, info, warn, error, silent/);
    expect(problems.join('\n')).toMatch(/AFTERSHIP_WEBHOOK_SECRET is too short/);
    expect(problems.join('\n')).not.toContain('"abc"');
    expect(problems.join('\n')).toMatch(/AFTERSHIP_QUEUE_TIMEOUT_MS/);
  });
});
