/** The sandbox CLI's argument parsing: defaults, required flags and clear errors. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/sandbox/cli.js';

describe('sandbox CLI arguments', () => {
  it('parses every flag', () => {
    const c = parseArgs(['--port', '4010', '--api-key', 'k', '--webhook-url=http://127.0.0.1:4000/hook', '--webhook-secret', 's', '--seed', '100000', '--speed', '2.5', '--random-seed', '9',
      '--new-shipments-per-hour', '12.5', '--pending-alert-hours=72']);
    expect(c).toEqual({
      port: 4010, host: '127.0.0.1',
      options: {
        apiKey: 'k', webhookUrl: 'http://127.0.0.1:4000/hook', webhookSecret: 's', speed: 2.5, autoAdvance: true, seed: 100000, randomSeed: 9,
        newShipmentsPerHour: 12.5, pendingAlertHours: 72,
      },
    });
    const defaults = parseArgs(['--port', '0', '--api-key', 'k']);
    expect(defaults).toMatchObject({ options: { speed: 1, seed: undefined, newShipmentsPerHour: undefined, pendingAlertHours: undefined } });
    expect(parseArgs(['--port', '0', '--api-key', 'k', '--new-shipments-per-hour', '0', '--pending-alert-hours', '0'])).toMatchObject({ options: { newShipmentsPerHour: 0, pendingAlertHours: 0 } });
    expect(parseArgs(['--help'])).toBe('help');
  });

  it('explains bad flags', () => {
    expect(() => parseArgs(['--api-key', 'k'])).toThrow('--port is required');
    expect(() => parseArgs(['--port', '1'])).toThrow('--api-key is required');
    expect(() => parseArgs(['--port', 'x', '--api-key', 'k'])).toThrow('--port must be a whole number');
    expect(() => parseArgs(['--port', '1', '--api-key', 'k', '--speed', '0'])).toThrow('--speed');
    expect(() => parseArgs(['--port', '1', '--api-key', 'k', '--seed', '1000001'])).toThrow('--seed must be a whole number from 0 to 1000000');
    expect(() => parseArgs(['--port', '1', '--api-key', 'k', '--new-shipments-per-hour', '-1'])).toThrow('--new-shipments-per-hour');
    expect(() => parseArgs(['--port', '1', '--api-key', 'k', '--new-shipments-per-hour', 'lots'])).toThrow('--new-shipments-per-hour');
    expect(() => parseArgs(['--port', '1', '--api-key', 'k', '--pending-alert-hours', ''])).toThrow('--pending-alert-hours');
    expect(() => parseArgs(['--port', '1', '--api-key', 'k', '--webhook-url', 'ftp://x'])).toThrow('--webhook-url');
    expect(() => parseArgs(['--port', '1', '--api-key'])).toThrow('--api-key needs a value');
    expect(() => parseArgs(['--port', '1', '--api-key', 'k', '--colour', 'red'])).toThrow('unknown argument "--colour"');
  });
});
