/**
 * Runs the sandbox alone:
 *   npm run sandbox -- --port <n> --api-key <key> [--host 127.0.0.1] [--webhook-url <url>
 *                      --webhook-secret <s>] [--seed <count>] [--random-seed <n>] [--speed <x>]
 *                      [--new-shipments-per-hour <x>] [--pending-alert-hours <h>]
 * The world moves on its own (autoAdvance). Ctrl-C stops it.
 */
import { ENDPOINT_KEYS } from '../aftership/endpoints.js';
import { API_PATH_PREFIX } from '../aftership/wire-types.js';
import { createLogger } from '../lib/logger.js';
import { createSandbox, type SandboxOptions } from './index.js';
import { DEFAULT_PENDING_ALERT_HOURS, DEMO_SPEED, SEED_WINDOW_DAYS } from './timing.js';

/** About 1 KB of heap per seeded tracking (bench/sandbox-world.ts). */
export const MAX_SEED = 1_000_000;

/**
 * Shortest --api-key and --webhook-secret: the gateway refuses a shorter AFTERSHIP_API_KEY or
 * AFTERSHIP_WEBHOOK_SECRET at start, so a sandbox started with one could not be used by it.
 */
export const MIN_SECRET_LENGTH = 8;

const USAGE = `Usage: npm run sandbox -- --port <n> --api-key <key> [options]

  --port <n>             TCP port to listen on (0 = any free port)            required
  --api-key <key>        key clients must send in the as-api-key header,       required
                         at least ${MIN_SECRET_LENGTH} characters (the gateway's AFTERSHIP_API_KEY)
  --host <addr>          address to bind (default 127.0.0.1)
  --webhook-url <url>    where to POST signed webhooks, e.g. a gateway's
                         http://localhost:4000/webhooks/aftership (default: none)
  --webhook-secret <s>   HMAC secret for aftership-hmac-sha256: the gateway's
                         AFTERSHIP_WEBHOOK_SECRET, at least ${MIN_SECRET_LENGTH} characters;
                         required with --webhook-url
  --seed <count>         trackings seeded, created over the last ${SEED_WINDOW_DAYS} days (default 60, at most ${MAX_SEED})
  --random-seed <n>      seed of the world's generator (default 42)
  --speed <x>            how much faster than real time the world runs (default 1: AfterShip's
                         real pace, hours to days between scans; ${DEMO_SPEED} = a day per minute)
  --new-shipments-per-hour <x>
                         new shipments per simulated hour (default: the seeded pace,
                         seed / ${SEED_WINDOW_DAYS} days; 0 = none)
  --pending-alert-hours <h>
                         send tracking_pending_time after this long in Pending
                         (default ${DEFAULT_PENDING_ALERT_HOURS}; 0 = never)
  --help                 show this help`;

const FLAGS = new Set(['port', 'api-key', 'host', 'webhook-url', 'webhook-secret', 'seed', 'random-seed', 'speed', 'new-shipments-per-hour', 'pending-alert-hours']);

export interface CliConfig {
  port: number;
  host: string;
  options: SandboxOptions;
}

/** Parses argv; throws an Error with a readable message for bad flags. */
export function parseArgs(argv: readonly string[]): CliConfig | 'help' {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !FLAGS.has(m[1])) throw new Error(`unknown argument "${arg}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || (m[2] === undefined && value.startsWith('--'))) throw new Error(`--${m[1]} needs a value`);
    values.set(m[1], value);
  }
  const int = (name: string, min: number, max: number): number | undefined => {
    const v = values.get(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${v}")`);
    return Number(v);
  };
  const port = int('port', 0, 65535);
  if (port === undefined) throw new Error('--port is required');
  const apiKey = values.get('api-key');
  if (!apiKey) throw new Error('--api-key is required');
  if (apiKey.length < MIN_SECRET_LENGTH) {
    throw new Error(`--api-key must be at least ${MIN_SECRET_LENGTH} characters: a gateway refuses a shorter AFTERSHIP_API_KEY (e.g. --api-key sandbox-api-key)`);
  }
  /** A number in [min, max]; min itself allowed only when `orMin`. */
  const num = (name: string, min: number, max: number, orMin: boolean): number | undefined => {
    const text = values.get(name);
    if (text === undefined) return undefined;
    const v = Number(text);
    if (!(text.trim() !== '' && Number.isFinite(v) && (orMin ? v >= min : v > min) && v <= max)) {
      throw new Error(`--${name} must be a number ${orMin ? 'from' : 'above'} ${min}${orMin ? ` to ${max}` : ` up to ${max}`} (got "${text}")`);
    }
    return v;
  };
  const speed = num('speed', 0, 100_000, false) ?? 1;
  const webhookUrl = values.get('webhook-url');
  if (webhookUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(webhookUrl)) throw new Error(`--webhook-url must be an http(s) URL (got "${webhookUrl}")`);
  const webhookSecret = values.get('webhook-secret');
  if (webhookSecret !== undefined && webhookSecret.length < MIN_SECRET_LENGTH) {
    throw new Error(`--webhook-secret must be at least ${MIN_SECRET_LENGTH} characters: a gateway refuses a shorter AFTERSHIP_WEBHOOK_SECRET`);
  }
  // Unsigned deliveries would be refused by any gateway (401): say so now, not at the first webhook.
  if (webhookUrl !== undefined && webhookSecret === undefined) throw new Error('--webhook-url needs --webhook-secret (the gateway\'s AFTERSHIP_WEBHOOK_SECRET)');
  return {
    port,
    host: values.get('host') ?? '127.0.0.1',
    options: {
      apiKey, webhookUrl, webhookSecret, speed, autoAdvance: true,
      seed: int('seed', 0, MAX_SEED), randomSeed: int('random-seed', 0, 2 ** 32 - 1),
      newShipmentsPerHour: num('new-shipments-per-hour', 0, 1_000_000, true), pendingAlertHours: num('pending-alert-hours', 0, 8760, true),
    },
  };
}

async function main(): Promise<void> {
  let config: CliConfig | 'help';
  try {
    config = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`sandbox: ${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const { options } = config;
  const logger = createLogger({ level: 'info', secrets: [options.apiKey, options.webhookSecret ?? ''] });
  const sandbox = createSandbox({ ...options, logger });
  const url = await sandbox.listen(config.port, config.host);
  const lines = [
    `AfterShip Tracking API 2026-07 sandbox at ${url}${API_PATH_PREFIX}`,
    `  ${sandbox.store.count()} seeded trackings, speed x${options.speed}${options.speed === 1 ? ' (real time: hours between scans; --speed ' + DEMO_SPEED + ' for a day a minute)' : ''}, send header "as-api-key: <your --api-key>"`,
    ...ENDPOINT_KEYS.map((k) => `  ${k.split(' ')[0].padEnd(6)} ${API_PATH_PREFIX}${k.split(' ')[1]}`),
    `  webhooks: ${options.webhookUrl ?? 'none (pass --webhook-url)'}`,
    `  control:  ${url}/__sandbox (faults, advance, requests, webhooks, reset)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // systemClock timers are unref'd; keep the process alive while serving.
  setInterval(() => undefined, 1 << 30);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) void main();
