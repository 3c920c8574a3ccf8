/** The sandbox CLI's argument parsing: defaults, required flags and clear errors. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/sandbox/cli.js';

describe('sandbox CLI arguments', () => {
  it('parses every flag', () => {
    const c = parseArgs(['--port', '4010', '--api-key', 'k', '--webhook-url=http://127.0.0.1:4000/hook', '--webhook-secret', 's', '--seed', '10', '--speed', '2.5', '--random-seed', '9']);
    expect(c).toEqual({
      port: 4010, host: '127.0.0.1',
      options: { apiKey: 'k', webhookUrl: 'http://127.0.0.1:4000/hook', webhookSecret: 's', speed: 2.5, autoAdvance: true, seed: 10, randomSeed: 9 },
    });
    expect(parseArgs(['--help'])).toBe('help');
  });

  it('explains bad flags', () => {
    expect(() => parseArgs(['--api-key', 'k'])).toThrow('--port is required');
    expect(() => parseArgs(['--port', '1'])).toThrow('--api-key is required');
    expect(() => parseArgs(['--port', 'x', '--api-key', 'k'])).toThrow('--port must be a whole number');
    expect(() => parseArgs(['--port', '1', '--api-key', 'k', '--speed', '0'])).toThrow('--speed');
    expect(() => parseArgs(['--port', '1', '--api-key', 'k', '--webhook-url', 'ftp://x'])).toThrow('--webhook-url');
    expect(() => parseArgs(['--port', '1', '--api-key'])).toThrow('--api-key needs a value');
    expect(() => parseArgs(['--port', '1', '--api-key', 'k', '--colour', 'red'])).toThrow('unknown argument "--colour"');
  });
});
