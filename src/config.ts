/**
 * Configuration from the environment: the one module that reads `process.env`. One zod schema
 * covers every variable (ENV_SCHEMA: the gateway's own below, the auth section from
 * src/auth/config.ts), each parsed once at start-up; then the rules between variables run, and the
 * result is a frozen, typed Config. Every wrong variable gets its own clear message (secrets are
 * never echoed), and all of them are reported together in one ConfigError.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './lib/errors.js';
import { envVar, parseEnv, type Env } from './lib/env-schema.js';
import { LOG_LEVELS, type LogLevel } from './lib/logger.js';
import { DEFAULT_MAX_COST, DEFAULT_MAX_DEPTH, DEFAULT_MAX_FIELDS, DEFAULT_MAX_LIST_ITEMS } from './schema/cost-guard.js';
import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from './schema/document-limits.js';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http/listen.js';
import { DEFAULT_WS_MAX_OPERATIONS } from './http/websocket.js';
import { isOrigin, type CorsOrigins } from './http/cors.js';
import { parseTrustedDocuments, type TrustedDocuments } from './http/trusted-documents.js';
import { AUTH_ENV, resolveAuthConfig, type AuthConfig, type ResolveAuthOptions } from './auth/config.js';
import { DEFAULT_COALESCE_MS } from './realtime/coalesce.js';
import type { ReplicaConfig } from './replica/index.js';

/** The key the embedded sandbox accepts in sandbox mode (it guards nothing: the sandbox is local). */
export const SANDBOX_API_KEY = 'sandbox-api-key';

export interface Config {
  /** Port the gateway listens on. @default 4000 */
  port: number;
  /** Interface to bind. @default "0.0.0.0" */
  host: string;
  /** URL the gateway is reached at from a browser, for log lines. @default http://localhost:<port> */
  publicUrl?: string;
  /** The Node HTTP server's timeouts and connection cap (src/http/listen.ts). */
  http: Required<HttpLimits>;
  /** graphql-ws: operations one connection may run at once (src/http/websocket.ts). */
  websocket: { maxOperationsPerConnection: number };
  /**
   * Browser origins allowed to call the gateway cross-origin (src/http/cors.ts). @default same-origin
   * only ([]) with access control on; '*' in sandbox mode without access control.
   */
  corsOrigins: CorsOrigins;
  logLevel: LogLevel;
  aftership: {
    /** The default account's key; see `isSandboxMode` for when the embedded sandbox runs instead. */
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
    /** AfterShip's health (reported by /readyz, never making it unready) is probed at most this often. @default 15000 */
    healthIntervalMs: number;
  };
  /** On SIGTERM/SIGINT, how long in-flight operations get to finish before they are cut. @default 10000 */
  drainTimeoutMs: number;
  sandbox: {
    /** Port for the embedded sandbox in sandbox mode; 0 picks a free one. @default 0 */
    port: number;
    /** Trackings seeded into the sandbox. @default 60 */
    seed: number;
    /**
     * How much faster than real time the sandbox's world runs: 1 is AfterShip's real pace (hours
     * to days between scans), the default 1440 a simulated day per minute so the demo moves. @default 1440
     */
    speed: number;
  };
  /**
   * Shared state for several instances. `instances` (GATEWAY_INSTANCES, default 2): how many share
   * the AfterShip account; while Redis is away each instance uses 1/instances of every rate limit.
   */
  redis?: { url: string; prefix: string; instances: number };
  /** Largest estimated AfterShip cost of one GraphQL operation. @default DEFAULT_MAX_COST (50) */
  maxQueryCost: number;
  /** Deepest GraphQL selection allowed. @default DEFAULT_MAX_DEPTH (10) */
  maxQueryDepth: number;
  /** Most field resolutions one operation's answer may need, worst case. @default DEFAULT_MAX_FIELDS */
  maxQueryFields: number;
  /** Most list elements one operation's answer may hold, worst case. @default DEFAULT_MAX_LIST_ITEMS */
  maxQueryListItems: number;
  /** Limits on the document checked before it is fully parsed and validated (src/schema/document-limits.ts). */
  documentLimits: Required<Omit<DocumentLimits, 'maxDepth'>>;
  /** Largest GraphQL request body (yoga's maxRequestBodySize); larger gets 413. @default 1048576 */
  maxRequestBodyBytes: number;
  /** Bytes of whole query results the response cache holds; 0: off. */
  responseCacheMaxBytes: number;
  /** Load shedding and per-client concurrency (src/http/use-client-limits.ts); 0 turns a limit off. */
  clientLimits: { maxPerClient: number; maxConcurrent: number; maxLagMs: number };
  /** Largest accepted webhook body in bytes. @default 1048576 */
  webhookMaxBytes: number;
  /** The whole webhook body must arrive within this long (408 after). @default 10000 */
  webhookBodyTimeoutMs: number;
  /** Webhook deliveries handled at once; more are answered 503 with Retry-After (AfterShip retries). @default 64 */
  webhookMaxConcurrent: number;
  realtime: {
    /** How often subscribed trackings are refreshed when webhooks are off or quiet. @default 30000 */
    pollIntervalMs: number;
    /** Webhooks count as stopped after this long without one (then polling starts). @default 120000 */
    webhookStaleMs: number;
    /** Events of one tracking within this long of its first are delivered as one change. @default 20 */
    coalesceMs: number;
  };
  /**
   * TRUSTED_DOCUMENTS: when set, only the operations of this manifest run (src/http/trusted-documents.ts).
   * @default undefined (any operation within the limits)
   */
  trustedDocuments?: TrustedDocuments;
  /** GRAPHQL_INTROSPECTION: `__schema` / `__type` answered. Off, GraphiQL is not served either. @default true */
  introspection: boolean;
  /** The retained event log consumers resume from (src/realtime/event-log.ts): in Redis with REDIS_URL. */
  eventLog: {
    /** Events are kept this long. @default 72 h */
    retentionMs: number;
    /** And at most this many bytes of event JSON per account (oldest dropped first). @default 256 MiB */
    maxBytes: number;
  };
  /** The warm replica of each account's trackings (src/replica). */
  replica: ReplicaConfig;
  /** Who may ask the gateway what, and the AfterShip accounts it acts for (src/auth/config.ts). */
  auth: AuthConfig;
  observability: {
    /** Bearer token `GET /metrics` requires; absent: /metrics needs no credentials. */
    metricsToken?: string;
    /** OTLP/HTTP collector for traces; absent: tracing off (the SDK is not even loaded). */
    otlp?: { endpoint: string; headers: Readonly<Record<string, string>> };
    /** `service.name` of the spans. @default "aftership-graphql-gateway" */
    serviceName: string;
  };
}

export { ConfigError };

const HTTP = ['http:', 'https:'];

/** `*`, or origins separated by commas (`https://shop.example.com,http://localhost:3000`). */
const corsOriginList = z.string().transform((text, ctx): CorsOrigins => {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 1 && items[0] === '*') return '*';
  const bad = items.filter((o) => !isOrigin(o));
  if (bad.length === 0) return items;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be * or origins like https://shop.example.com (scheme, host, port; no path), separated by commas (got "${bad[0]}")` });
  return z.NEVER;
});

/**
 * `key1=value1,key2=value2` (values percent-encoded), as OpenTelemetry's OTEL_EXPORTER_OTLP_HEADERS.
 * They usually hold a collector's API key: never echoed.
 */
const otlpHeaders = z.string().transform((text, ctx): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [i, pair] of text.split(',').entries()) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim().toLowerCase();
    let value: string | undefined;
    try {
      value = at > 0 ? decodeURIComponent(pair.slice(at + 1).trim()) : undefined;
    } catch {
      value = undefined;
    }
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name) || value === undefined || !/^[\x20-\x7e]*$/.test(value)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `entry ${i + 1} must be name=value (value percent-encoded)` });
      return z.NEVER;
    }
    headers[name] = value;
  }
  return headers;
});

/** Every environment variable the gateway reads; README's configuration tables list them. */
export const ENV_SCHEMA = z.object({
  PORT: envVar.int(0, 65535).default('4000'),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: envVar.url(HTTP, { trimSlash: true }).optional(),
  LOG_LEVEL: envVar.oneOf(LOG_LEVELS).default('info'),
  HTTP_HEADERS_TIMEOUT_MS: envVar.int(1000, 600_000).default(String(DEFAULT_HTTP_LIMITS.headersTimeoutMs)),
  HTTP_REQUEST_TIMEOUT_MS: envVar.int(1000, 3_600_000).default(String(DEFAULT_HTTP_LIMITS.requestTimeoutMs)),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: envVar.int(0, 600_000).default(String(DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs)),
  HTTP_MAX_CONNECTIONS: envVar.int(1, 1_000_000).default(String(DEFAULT_HTTP_LIMITS.maxConnections)),
  WS_MAX_OPERATIONS_PER_CONNECTION: envVar.int(1, 100_000).default(String(DEFAULT_WS_MAX_OPERATIONS)),
  CORS_ORIGINS: corsOriginList.optional(),
  AFTERSHIP_API_KEY: envVar.secret(8).optional(),
  AFTERSHIP_API_SECRET: envVar.secret(8).optional(),
  AFTERSHIP_BASE_URL: envVar.url(HTTP, { trimSlash: true }).default('https://api.aftership.com'),
  AFTERSHIP_WEBHOOK_SECRET: envVar.secret(8).optional(),
  AFTERSHIP_RATE_LIMIT_PER_MINUTE: envVar.int(0, 1_000_000).default('600'),
  AFTERSHIP_QUEUE_TIMEOUT_MS: envVar.int(0, 600_000).default('10000'),
  AFTERSHIP_TIMEOUT_MS: envVar.int(100, 120_000).default('10000'),
  AFTERSHIP_HEALTH_INTERVAL_MS: envVar.int(100, 3_600_000).default('15000'),
  DRAIN_TIMEOUT_MS: envVar.int(0, 600_000).default('10000'),
  SANDBOX_PORT: envVar.int(0, 65535).default('0'),
  SANDBOX_SEED: envVar.int(0, 200_000).default('60'),
  SANDBOX_SPEED: envVar.number(0.01, 10_000).default('1440'),
  REDIS_URL: envVar.url(['redis:', 'rediss:'], { trimSlash: true }).optional(),
  REDIS_PREFIX: z.string().default('asgw:'),
  GATEWAY_INSTANCES: envVar.int(1, 1000).default('2'),
  MAX_QUERY_COST: envVar.int(1, 100_000).default(String(DEFAULT_MAX_COST)),
  MAX_QUERY_DEPTH: envVar.int(2, 100).default(String(DEFAULT_MAX_DEPTH)),
  MAX_QUERY_FIELDS: envVar.int(100, 100_000_000).default(String(DEFAULT_MAX_FIELDS)),
  MAX_QUERY_LIST_ITEMS: envVar.int(100, 100_000_000).default(String(DEFAULT_MAX_LIST_ITEMS)),
  MAX_QUERY_LENGTH: envVar.int(1000, 10_000_000).default(String(DEFAULT_DOCUMENT_LIMITS.maxLength)),
  MAX_QUERY_TOKENS: envVar.int(100, 1_000_000).default(String(DEFAULT_DOCUMENT_LIMITS.maxTokens)),
  MAX_QUERY_ALIASES: envVar.int(0, 100_000).default(String(DEFAULT_DOCUMENT_LIMITS.maxAliases)),
  MAX_QUERY_DIRECTIVES: envVar.int(0, 100_000).default(String(DEFAULT_DOCUMENT_LIMITS.maxDirectives)),
  MAX_REQUEST_BODY_BYTES: envVar.int(1024, 100_000_000).default('1048576'),
  RESPONSE_CACHE_MAX_BYTES: envVar.int(0, 4_000_000_000).default(String(32 * 1024 * 1024)),
  CLIENT_MAX_CONCURRENT: envVar.int(0, 1_000_000).default('16'),
  MAX_CONCURRENT_OPERATIONS: envVar.int(0, 1_000_000).default('1024'),
  LOAD_SHED_EVENT_LOOP_LAG_MS: envVar.int(0, 60_000).default('500'),
  WEBHOOK_MAX_BYTES: envVar.int(1024, 50_000_000).default('1048576'),
  WEBHOOK_BODY_TIMEOUT_MS: envVar.int(100, 120_000).default('10000'),
  WEBHOOK_MAX_CONCURRENT: envVar.int(1, 100_000).default('64'),
  REALTIME_POLL_INTERVAL_MS: envVar.int(100, 86_400_000).default('30000'),
  REALTIME_WEBHOOK_STALE_MS: envVar.int(1000, 86_400_000).default('120000'),
  TRUSTED_DOCUMENTS: z.string().optional(),
  GRAPHQL_INTROSPECTION: envVar.oneOf(['true', 'false']).default('true'),
  REALTIME_COALESCE_MS: envVar.int(0, 10_000).default(String(DEFAULT_COALESCE_MS)),
  EVENT_LOG_RETENTION_HOURS: envVar.int(1, 8760).default('72'),
  EVENT_LOG_MAX_BYTES: envVar.int(1_048_576, 1_099_511_627_776).default(String(256 * 1024 * 1024)),
  REPLICA_ENABLED: envVar.oneOf(['true', 'false']).default('true'),
  REPLICA_WINDOW_DAYS: envVar.int(1, 120).default('30'),
  REPLICA_MAX_TRACKINGS: envVar.int(100, 10_000_000).default('100000'),
  REPLICA_MAX_BYTES: envVar.int(1_048_576, 68_719_476_736).default('536870912'),
  REPLICA_WARMUP_CALLS_PER_SECOND: envVar.number(0.1, 6).default('4'),
  REPLICA_SYNC_INTERVAL_MS: envVar.int(1000, 86_400_000).default('60000'),
  REPLICA_FULL_SYNC_INTERVAL_MS: envVar.int(60_000, 604_800_000).default('86400000'),
  METRICS_TOKEN: envVar.secret(16).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: envVar.url(HTTP, { trimSlash: true }).optional(),
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders.optional(),
  OTEL_SERVICE_NAME: envVar.matching(/^[\x21-\x7e][\x20-\x7e]{0,99}$/, 'printable text of at most 100 characters').default('aftership-graphql-gateway'),
  ...AUTH_ENV,
});

export type LoadConfigOptions = Pick<ResolveAuthOptions, 'readFile'>;

export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config {
  const { values: e, problems, wrong } = parseEnv(ENV_SCHEMA, env);
  if (e.AFTERSHIP_API_SECRET && !e.AFTERSHIP_API_KEY && !wrong.has('AFTERSHIP_API_KEY')) problems.push('AFTERSHIP_API_SECRET is set but AFTERSHIP_API_KEY is not');
  if (e.OTEL_EXPORTER_OTLP_HEADERS && !e.OTEL_EXPORTER_OTLP_ENDPOINT && !wrong.has('OTEL_EXPORTER_OTLP_ENDPOINT')) {
    problems.push('OTEL_EXPORTER_OTLP_HEADERS is set but OTEL_EXPORTER_OTLP_ENDPOINT is not');
  }
  const auth = resolveAuthConfig(e, { ...options, sandboxApiKey: SANDBOX_API_KEY, wrong }, problems);
  const trustedDocuments = e.TRUSTED_DOCUMENTS ? readTrustedDocuments(e.TRUSTED_DOCUMENTS, options, problems) : undefined;
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxRequestsPerSocket: DEFAULT_HTTP_LIMITS.maxRequestsPerSocket,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    },
    websocket: { maxOperationsPerConnection: e.WS_MAX_OPERATIONS_PER_CONNECTION },
    logLevel: e.LOG_LEVEL,
    aftership: {
      apiKey: e.AFTERSHIP_API_KEY,
      apiSecret: e.AFTERSHIP_API_SECRET,
      baseUrl: e.AFTERSHIP_BASE_URL,
      webhookSecret: e.AFTERSHIP_WEBHOOK_SECRET,
      rateLimitPerMinute: e.AFTERSHIP_RATE_LIMIT_PER_MINUTE,
      queueTimeoutMs: e.AFTERSHIP_QUEUE_TIMEOUT_MS,
      requestTimeoutMs: e.AFTERSHIP_TIMEOUT_MS,
      healthIntervalMs: e.AFTERSHIP_HEALTH_INTERVAL_MS,
    },
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    sandbox: { port: e.SANDBOX_PORT, seed: e.SANDBOX_SEED, speed: e.SANDBOX_SPEED },
    redis: e.REDIS_URL ? { url: e.REDIS_URL, prefix: e.REDIS_PREFIX, instances: e.GATEWAY_INSTANCES } : undefined,
    // Open CORS only where everything is open: the sandbox demo without access control.
    corsOrigins: e.CORS_ORIGINS ?? (auth.mode === 'none' && auth.sandbox ? '*' : []),
    maxQueryCost: e.MAX_QUERY_COST,
    maxQueryDepth: e.MAX_QUERY_DEPTH,
    maxQueryFields: e.MAX_QUERY_FIELDS,
    maxQueryListItems: e.MAX_QUERY_LIST_ITEMS,
    documentLimits: { maxLength: e.MAX_QUERY_LENGTH, maxTokens: e.MAX_QUERY_TOKENS, maxAliases: e.MAX_QUERY_ALIASES, maxDirectives: e.MAX_QUERY_DIRECTIVES },
    maxRequestBodyBytes: e.MAX_REQUEST_BODY_BYTES,
    responseCacheMaxBytes: e.RESPONSE_CACHE_MAX_BYTES,
    clientLimits: { maxPerClient: e.CLIENT_MAX_CONCURRENT, maxConcurrent: e.MAX_CONCURRENT_OPERATIONS, maxLagMs: e.LOAD_SHED_EVENT_LOOP_LAG_MS },
    webhookMaxBytes: e.WEBHOOK_MAX_BYTES,
    webhookBodyTimeoutMs: e.WEBHOOK_BODY_TIMEOUT_MS,
    webhookMaxConcurrent: e.WEBHOOK_MAX_CONCURRENT,
    realtime: { pollIntervalMs: e.REALTIME_POLL_INTERVAL_MS, webhookStaleMs: e.REALTIME_WEBHOOK_STALE_MS, coalesceMs: e.REALTIME_COALESCE_MS },
    trustedDocuments,
    introspection: e.GRAPHQL_INTROSPECTION === 'true',
    eventLog: { retentionMs: e.EVENT_LOG_RETENTION_HOURS * 3_600_000, maxBytes: e.EVENT_LOG_MAX_BYTES },
    replica: {
      enabled: e.REPLICA_ENABLED === 'true',
      windowMs: e.REPLICA_WINDOW_DAYS * 86_400_000,
      maxTrackings: e.REPLICA_MAX_TRACKINGS,
      maxBytes: e.REPLICA_MAX_BYTES,
      warmupCallsPerSecond: e.REPLICA_WARMUP_CALLS_PER_SECOND,
      syncIntervalMs: e.REPLICA_SYNC_INTERVAL_MS,
      fullSyncIntervalMs: e.REPLICA_FULL_SYNC_INTERVAL_MS,
    },
    auth,
    observability: {
      metricsToken: e.METRICS_TOKEN,
      otlp: e.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, headers: e.OTEL_EXPORTER_OTLP_HEADERS ?? {} } : undefined,
      serviceName: e.OTEL_SERVICE_NAME,
    },
  });
}

/** The manifest TRUSTED_DOCUMENTS names, or a problem line saying why it cannot be used. */
function readTrustedDocuments(path: string, options: LoadConfigOptions, problems: string[]): TrustedDocuments | undefined {
  let text: string;
  try {
    text = (options.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(path);
  } catch (e) {
    problems.push(`TRUSTED_DOCUMENTS "${path}" cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  const parsed = parseTrustedDocuments(text);
  problems.push(...parsed.problems.map((p) => `TRUSTED_DOCUMENTS "${path}" ${p}`));
  return parsed.documents;
}

/**
 * Sandbox mode means one thing everywhere (config, access control, start-up log, app): no AfterShip
 * account of any kind is configured, neither AFTERSHIP_API_KEY nor AFTERSHIP_ACCOUNTS(_FILE). Then,
 * and only then, the gateway starts its embedded sandbox and talks to it instead of AFTERSHIP_BASE_URL.
 */
export function isSandboxMode(config: Config): boolean {
  return config.auth.sandbox;
}
