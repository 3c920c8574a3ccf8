/**
 * Configuration from the environment, parsed once at start-up into a frozen, typed Config.
 * Every wrong variable gets its own clear message; all of them are reported together.
 */
import { ConfigError } from './lib/errors.js';
import { LOG_LEVELS, type LogLevel } from './lib/logger.js';
import { loadAuthConfig, type AuthConfig } from './auth/config.js';

/** The key the embedded sandbox accepts in sandbox mode (it guards nothing: the sandbox is local). */
export const SANDBOX_API_KEY = 'sandbox-api-key';

export interface Config {
  /** Port the gateway listens on. @default 4000 */
  port: number;
  /** Interface to bind. @default "0.0.0.0" */
  host: string;
  /** URL the gateway is reached at from a browser, for log lines. @default http://localhost:<port> */
  publicUrl?: string;
  logLevel: LogLevel;
  aftership: {
    /** Absent: sandbox mode (the embedded AfterShip emulator is started in-process). */
    apiKey?: string;
    /** Enables AfterShip's AES request signing (`as-signature-hmac-sha256`). */
    apiSecret?: string;
    baseUrl: string;
    webhookSecret?: string;
    /** Account-wide cap per rolling minute; 0 turns it off. @default 600 */
    rateLimitPerMinute: number;
    /** Longest wait in the rate-budget queue before failing with RATE_LIMITED. @default 10000 */
    queueTimeoutMs: number;
    /** Timeout of one HTTP attempt to AfterShip. @default 10000 */
    requestTimeoutMs: number;
  };
  sandbox: {
    /** Port for the embedded sandbox in sandbox mode; 0 picks a free one. @default 0 */
    port: number;
    /** Trackings seeded into the sandbox. @default 60 */
    seed: number;
    /** Speed of the sandbox's simulated world. @default 1 */
    speed: number;
  };
  /**
   * Shared state for several instances. `instances` (GATEWAY_INSTANCES, default 2): how many share
   * the AfterShip account; while Redis is away each instance uses 1/instances of every rate limit.
   */
  redis?: { url: string; prefix: string; instances: number };
  /** Largest estimated AfterShip cost of one GraphQL operation. @default 50 */
  maxQueryCost: number;
  /** Deepest GraphQL selection allowed. @default 10 */
  maxQueryDepth: number;
  /** Largest accepted webhook body in bytes. @default 1048576 */
  webhookMaxBytes: number;
  realtime: {
    /** How often subscribed trackings are refreshed when webhooks are off or quiet. @default 30000 */
    pollIntervalMs: number;
    /** Webhooks count as stopped after this long without one (then polling starts). @default 120000 */
    webhookStaleMs: number;
  };
  /** Who may ask the gateway what, and the AfterShip accounts it acts for (src/auth/config.ts). */
  auth: AuthConfig;
}

export { ConfigError };

type Env = Record<string, string | undefined>;

/** Collects one message per bad variable instead of stopping at the first. */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  }

  url(name: string, fallback: string | undefined, protocols: string[]): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) throw new Error('protocol');
      return raw.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${raw}")`);
      return fallback;
    }
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const v = raw.toLowerCase();
    if (!(allowed as readonly string[]).includes(v)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return v as T;
  }

  secret(name: string, minLength: number): string | undefined {
    const v = this.string(name);
    if (v !== undefined && v.length < minLength) {
      // Never echo a secret, not even a wrong one.
      this.problems.push(`${name} is too short (at least ${minLength} characters)`);
    }
    return v;
  }
}

export function loadConfig(env: Env = process.env): Config {
  const r = new Reader(env);
  const port = r.int('PORT', 4000, 0, 65535);
  const host = r.string('HOST') ?? '0.0.0.0';
  const apiKey = r.secret('AFTERSHIP_API_KEY', 8);
  const apiSecret = r.secret('AFTERSHIP_API_SECRET', 8);
  if (apiSecret && !apiKey) r.problems.push('AFTERSHIP_API_SECRET is set but AFTERSHIP_API_KEY is not');
  const redisUrl = r.url('REDIS_URL', undefined, ['redis:', 'rediss:']);

  const config: Config = {
    port,
    host,
    publicUrl: r.url('PUBLIC_URL', undefined, ['http:', 'https:']),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    aftership: {
      apiKey,
      apiSecret,
      baseUrl: r.url('AFTERSHIP_BASE_URL', 'https://api.aftership.com', ['http:', 'https:']) ?? 'https://api.aftership.com',
      webhookSecret: r.secret('AFTERSHIP_WEBHOOK_SECRET', 8),
      rateLimitPerMinute: r.int('AFTERSHIP_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
      queueTimeoutMs: r.int('AFTERSHIP_QUEUE_TIMEOUT_MS', 10_000, 0, 600_000),
      requestTimeoutMs: r.int('AFTERSHIP_TIMEOUT_MS', 10_000, 100, 120_000),
    },
    sandbox: {
      port: r.int('SANDBOX_PORT', 0, 0, 65535),
      seed: r.int('SANDBOX_SEED', 60, 0, 10_000),
      speed: r.number('SANDBOX_SPEED', 1, 0.01, 10_000),
    },
    redis: redisUrl
      ? { url: redisUrl, prefix: r.string('REDIS_PREFIX') ?? 'asgw:', instances: r.int('GATEWAY_INSTANCES', 2, 1, 1000) }
      : undefined,
    maxQueryCost: r.int('MAX_QUERY_COST', 50, 1, 100_000),
    maxQueryDepth: r.int('MAX_QUERY_DEPTH', 10, 2, 100),
    webhookMaxBytes: r.int('WEBHOOK_MAX_BYTES', 1_048_576, 1024, 50_000_000),
    realtime: {
      pollIntervalMs: r.int('REALTIME_POLL_INTERVAL_MS', 30_000, 100, 86_400_000),
      webhookStaleMs: r.int('REALTIME_WEBHOOK_STALE_MS', 120_000, 1000, 86_400_000),
    },
    auth: loadAuthOrCollect(env, r.problems),
  };
  // Core and auth settings share a few variables (e.g. the webhook secret): report each problem once.
  if (r.problems.length) throw new ConfigError([...new Set(r.problems)]);
  return Object.freeze(config);
}

function loadAuthOrCollect(env: Env, problems: string[]): AuthConfig {
  try {
    return loadAuthConfig(env, { sandboxApiKey: SANDBOX_API_KEY });
  } catch (e) {
    if (e instanceof ConfigError) {
      problems.push(...e.problems);
      return undefined as unknown as AuthConfig; // never returned: the caller throws with these problems
    }
    throw e;
  }
}

/** True when no AfterShip key is configured: the gateway runs against its embedded sandbox. */
export function isSandboxMode(config: Config): boolean {
  return config.aftership.apiKey === undefined;
}
