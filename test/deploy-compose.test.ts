/**
 * docker-compose.yml against the gateway's own configuration check (no Docker engine here): the
 * gateway services' environment, interpolated as Compose would from a given `.env`, goes through
 * loadConfig. Out of the box it is the demo on the standalone sandbox; a real key without access
 * control must refuse to start, as `npm start` does.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_SCHEMA, SANDBOX_API_KEY, loadConfig, type Config } from '../src/config.js';
import { parseArgs } from '../src/sandbox/cli.js';
import { interpolate, readComposeFile, serviceCommand, serviceEnvironment, type ComposeEnv } from './helpers/compose.js';

const compose = readComposeFile(new URL('../docker-compose.yml', import.meta.url).pathname);
const gatewayNames = Object.keys(compose.services).filter((n) => n.startsWith('gateway-'));
const REAL_KEY = 'asat_0123456789abcdef0123456789abcdef';
const TOKENS = JSON.stringify([{ name: 'web', token: 'a-long-random-gateway-token', scopes: ['aftership:tracking:read'] }]);

/** Every gateway service's configuration for a `.env` (they must agree). */
function gatewayConfigs(dotEnv: ComposeEnv): Config[] {
  return gatewayNames.map((name) => loadConfig(serviceEnvironment(compose.services[name], dotEnv)));
}

function refusal(dotEnv: ComposeEnv): string[] {
  try {
    gatewayConfigs(dotEnv);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('Compose interpolation (the test helper)', () => {
  it('follows the Compose specification', () => {
    const env = { A: 'a', EMPTY: '' };
    expect(interpolate('${A} $A ${B:-x} ${EMPTY:-x} ${EMPTY-x} ${B-x}', env)).toBe('a a x x  x');
    expect(interpolate('${A:+y} ${EMPTY:+y} ${EMPTY+y} ${B+y}|', env)).toBe('y  y |');
    expect(interpolate('$$http_upgrade ${B:-${A}-${C:-z}}', env)).toBe('$http_upgrade a-z');
    expect(() => interpolate('${B:?set B}', env)).toThrow('required variable B is missing a value: set B');
    expect(() => interpolate('${EMPTY:?set it}', env)).toThrow(/EMPTY/);
    expect(interpolate('${EMPTY?set it}', env)).toBe('');
  });
});

describe('docker-compose.yml', () => {
  it('runs two gateways, and GATEWAY_INSTANCES and nginx agree with that', () => {
    expect(gatewayNames.length).toBeGreaterThanOrEqual(2);
    for (const name of gatewayNames) {
      expect(serviceEnvironment(compose.services[name], {}).GATEWAY_INSTANCES).toBe(String(gatewayNames.length));
      expect(compose.configs?.nginx.content).toContain(`server ${name}:4000`);
    }
  });

  it('names only variables the gateway reads', () => {
    const unknown = gatewayNames.flatMap((n) => Object.keys(serviceEnvironment(compose.services[n], {}))).filter((v) => !(v in ENV_SCHEMA.shape));
    expect(unknown).toEqual([]);
  });

  it('out of the box: the demo on the standalone sandbox, whose key, secret and webhook URL match', () => {
    const [config] = gatewayConfigs({});
    expect(config.aftership.apiKey).toBe(SANDBOX_API_KEY);
    expect(config.auth.realAccount).toBe(false);
    expect(config.auth.mode).toBe('none');
    expect(config.auth.warnings).toEqual([]);
    const sandbox = parseArgs(serviceCommand(compose.services.sandbox, {}).slice(2)); // after `node dist/sandbox/cli.js`
    if (sandbox === 'help') throw new Error('the sandbox service asks for --help');
    expect(config.aftership.baseUrl).toBe(`http://sandbox:${sandbox.port}`);
    expect(sandbox.options.apiKey).toBe(config.aftership.apiKey);
    expect(sandbox.options.webhookSecret).toBe(config.aftership.webhookSecret);
    expect(new URL(sandbox.options.webhookUrl ?? '').pathname).toBe('/webhooks/aftership');
  });

  it('refuses to start with a real AfterShip key and no access control', () => {
    const problems = refusal({ AFTERSHIP_API_KEY: REAL_KEY, AFTERSHIP_BASE_URL: 'https://api.aftership.com' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/GATEWAY_AUTH is not set and no access control is configured/);
    // Blank values (a `.env` line `GATEWAY_AUTH=`) are no way around it either.
    expect(refusal({ AFTERSHIP_API_KEY: REAL_KEY, GATEWAY_AUTH: '', GATEWAY_TOKENS: '' })).toHaveLength(1);
  });

  it('runs a real key with the access control the .env configures, or open only when GATEWAY_AUTH=none is written out', () => {
    const real = { AFTERSHIP_API_KEY: REAL_KEY, AFTERSHIP_BASE_URL: 'https://api.aftership.com', AFTERSHIP_WEBHOOK_SECRET: 'a-real-webhook-secret' };
    const [tokens] = gatewayConfigs({ ...real, GATEWAY_TOKENS: TOKENS });
    expect(tokens.auth.mode).toBe('tokens');
    expect(tokens.auth.tokens.map((t) => t.name)).toEqual(['web']);
    const [jwt] = gatewayConfigs({ ...real, GATEWAY_JWT_SECRET: 'x'.repeat(40), GATEWAY_JWT_ISSUER: 'https://idp', GATEWAY_JWT_AUDIENCE: 'gw' });
    expect(jwt.auth.mode).toBe('jwt');
    expect(jwt.auth.jwt).toMatchObject({ issuer: 'https://idp', audience: ['gw'] });
    const [open] = gatewayConfigs({ ...real, GATEWAY_AUTH: 'none' });
    expect(open.auth.mode).toBe('none');
    expect(open.auth.warnings.join('\n')).toMatch(/access control is OFF/);
  });
});
