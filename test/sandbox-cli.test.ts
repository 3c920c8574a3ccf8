/** The sandbox CLI's argument parsing: defaults, required flags and clear errors. */
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, parseArgs } from '../src/sandbox/cli.js';
import { ConfigError, loadConfig } from '../src/config.js';

const KEY = 'sandbox-api-key';
const SECRET = 'sandbox-webhook-secret';

describe('sandbox CLI arguments', () => {
  it('parses every flag', () => {
    const c = parseArgs(['--port', '4010', '--api-key', KEY, '--webhook-url=http://127.0.0.1:4000/hook', '--webhook-secret', SECRET, '--seed', '100000', '--speed', '2.5', '--random-seed', '9',
      '--new-shipments-per-hour', '12.5', '--pending-alert-hours=72']);
    expect(c).toEqual({
      port: 4010, host: '127.0.0.1',
      options: {
        apiKey: KEY, webhookUrl: 'http://127.0.0.1:4000/hook', webhookSecret: SECRET, speed: 2.5, autoAdvance: true, seed: 100000, randomSeed: 9,
        newShipmentsPerHour: 12.5, pendingAlertHours: 72,
      },
    });
    const defaults = parseArgs(['--port', '0', '--api-key', KEY]);
    expect(defaults).toMatchObject({ options: { speed: 1, seed: undefined, newShipmentsPerHour: undefined, pendingAlertHours: undefined } });
    expect(parseArgs(['--port', '0', '--api-key', KEY, '--new-shipments-per-hour', '0', '--pending-alert-hours', '0'])).toMatchObject({ options: { newShipmentsPerHour: 0, pendingAlertHours: 0 } });
    expect(parseArgs(['--help'])).toBe('help');
  });

  it('explains bad flags', () => {
    expect(() => parseArgs(['--api-key', KEY])).toThrow('--port is required');
    expect(() => parseArgs(['--port', '1'])).toThrow('--api-key is required');
    expect(() => parseArgs(['--port', 'x', '--api-key', KEY])).toThrow('--port must be a whole number');
    expect(() => parseArgs(['--port', '1', '--api-key', KEY, '--speed', '0'])).toThrow('--speed');
    expect(() => parseArgs(['--port', '1', '--api-key', KEY, '--seed', '1000001'])).toThrow('--seed must be a whole number from 0 to 1000000');
    expect(() => parseArgs(['--port', '1', '--api-key', KEY, '--new-shipments-per-hour', '-1'])).toThrow('--new-shipments-per-hour');
    expect(() => parseArgs(['--port', '1', '--api-key', KEY, '--new-shipments-per-hour', 'lots'])).toThrow('--new-shipments-per-hour');
    expect(() => parseArgs(['--port', '1', '--api-key', KEY, '--pending-alert-hours', ''])).toThrow('--pending-alert-hours');
    expect(() => parseArgs(['--port', '1', '--api-key', KEY, '--webhook-url', 'ftp://x'])).toThrow('--webhook-url');
    expect(() => parseArgs(['--port', '1', '--api-key'])).toThrow('--api-key needs a value');
    expect(() => parseArgs(['--port', '1', '--api-key', KEY, '--colour', 'red'])).toThrow('unknown argument "--colour"');
  });

  it('refuses a key or webhook secret the gateway would refuse, and webhooks without a secret', () => {
    const short = 'k'.repeat(MIN_SECRET_LENGTH - 1);
    expect(() => parseArgs(['--port', '1', '--api-key', 'k'])).toThrow(`--api-key must be at least ${MIN_SECRET_LENGTH} characters: a gateway refuses a shorter AFTERSHIP_API_KEY`);
    expect(() => parseArgs(['--port', '1', '--api-key', KEY, '--webhook-url', 'http://localhost:4000/webhooks/aftership', '--webhook-secret', short])).toThrow(
      '--webhook-secret must be at least',
    );
    expect(() => parseArgs(['--port', '1', '--api-key', KEY, '--webhook-url', 'http://localhost:4000/webhooks/aftership'])).toThrow('--webhook-url needs --webhook-secret');
    // The same bound as the gateway's: what the CLI takes, the gateway takes, and the shorter it refuses.
    const gatewayProblems = (key: string, secret: string): string[] => {
      try {
        loadConfig({ AFTERSHIP_API_KEY: key, AFTERSHIP_WEBHOOK_SECRET: secret, GATEWAY_AUTH: 'none' });
        return [];
      } catch (e) {
        return e instanceof ConfigError ? e.problems : [String(e)];
      }
    };
    const least = 'k'.repeat(MIN_SECRET_LENGTH);
    expect(parseArgs(['--port', '1', '--api-key', least, '--webhook-url', 'http://x/hook', '--webhook-secret', least])).not.toBe('help');
    expect(gatewayProblems(least, least)).toEqual([]);
    expect(gatewayProblems(short, short)).toEqual([expect.stringMatching(/^AFTERSHIP_API_KEY is too short/), expect.stringMatching(/^AFTERSHIP_WEBHOOK_SECRET is too short/)]);
  });
});
