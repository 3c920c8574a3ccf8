import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_SCHEMA, isSandboxMode, loadConfig } from '../src/config.js';

/** The variables named in the first column of the `| Variable |` tables of a README. */
function documentedVariables(path: string): string[] {
  const names: string[] = [];
  let inTable = false;
  for (const line of readFileSync(new URL(`../${path}`, import.meta.url), 'utf8').split('\n')) {
    if (line.startsWith('| Variable |')) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    else if (inTable) names.push(...(line.split('|')[1].match(/[A-Z][A-Z0-9_]+/g) ?? []));
  }
  return names;
}

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

  it('sandbox mode means no AfterShip account of any kind: several accounts without AFTERSHIP_API_KEY are not sandbox mode', () => {
    const accounts = (list: unknown[]) => loadConfig({ AFTERSHIP_ACCOUNTS: JSON.stringify(list), GATEWAY_AUTH: 'none' });
    const oauth = { AFTERSHIP_OAUTH_CLIENT_ID: 'app', AFTERSHIP_OAUTH_CLIENT_SECRET: 'app-secret-1', AFTERSHIP_OAUTH_REDIRECT_URI: 'https://gw.example/cb', TOKEN_ENCRYPTION_KEY: 'k'.repeat(32) };
    const withOAuth = loadConfig({ AFTERSHIP_ACCOUNTS: '[{"id":"shop","kind":"oauth"}]', GATEWAY_AUTH: 'none', ...oauth });
    const withKeys = accounts([{ id: 'a', kind: 'api-key', apiKey: 'asat_aaaaaaaa' }, { id: 'b', kind: 'api-key', apiKey: 'asat_bbbbbbbb' }]);
    for (const c of [withOAuth, withKeys]) {
      expect(isSandboxMode(c)).toBe(false);
      expect(c.auth.sandbox).toBe(false);
    }
    expect(isSandboxMode(loadConfig({ ...oauth }))).toBe(true);
  });

  it('observability: metrics token, OTLP endpoint and headers (never echoed), service name', () => {
    expect(loadConfig({}).observability).toEqual({ metricsToken: undefined, otlp: undefined, serviceName: 'aftership-graphql-gateway' });
    const c = loadConfig({
      METRICS_TOKEN: 'metrics-token-0123456789',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D123, x-dataset = prod',
      OTEL_SERVICE_NAME: 'gw-eu',
    });
    expect(c.observability).toEqual({
      metricsToken: 'metrics-token-0123456789',
      otlp: { endpoint: 'http://collector:4318', headers: { 'x-api-key': 'abc=123', 'x-dataset': 'prod' } },
      serviceName: 'gw-eu',
    });
    let error: unknown;
    try {
      loadConfig({ METRICS_TOKEN: 'short', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret-value-1,broken' });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/METRICS_TOKEN is too short/);
    expect(problems).toMatch(/OTEL_EXPORTER_OTLP_HEADERS entry 2 must be name=value/);
    expect(problems).not.toMatch(/short"|secret-value-1/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS is set but OTEL_EXPORTER_OTLP_ENDPOINT is not/);
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

  it('reads exactly the variables the READMEs document, through one zod schema', () => {
    const documented = new Set([...documentedVariables('README.md'), ...documentedVariables('src/auth/README.md')]);
    const read = new Set(Object.keys(ENV_SCHEMA.shape));
    expect([...read].filter((v) => !documented.has(v))).toEqual([]);
    expect([...documented].filter((v) => !read.has(v))).toEqual([]);
  });

  it('treats blank as unset, trims values, and validates defaults like values', () => {
    const c = loadConfig({ PORT: '  ', HOST: ' ::1 ', AFTERSHIP_TIMEOUT_MS: ' 2500 ' });
    expect(c.port).toBe(4000);
    expect(c.host).toBe('::1');
    expect(c.aftership.requestTimeoutMs).toBe(2500);
    // Every default passes its own variable's rule.
    for (const [name, schema] of Object.entries(ENV_SCHEMA.shape)) expect(schema.safeParse(undefined).success, name).toBe(true);
  });
});
