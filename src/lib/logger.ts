/**
 * Logging on pino: one JSON object per line on stderr (readable lines through pino-pretty on a TTY).
 * Call as pino does: `logger.info({ trackingId }, 'message')`, `logger.warn({ err }, 'message')`
 * (an Error under `err` is printed with its stack), `logger.child({ account })` for bound fields.
 *
 * Secrets are never passed to it on purpose; `secrets` is the last line of defence: every known secret
 * value (and its JSON-escaped form) is replaced by "[redacted]" in the written line, whatever field or
 * stack it hides in.
 */
import { pino, stdTimeFunctions, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { Fault } from './errors.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Logger = PinoLogger;

export interface LoggerOptions {
  /** @default "info" */
  level?: LogLevel;
  /** Values that must never be printed (API keys, secrets); replaced by "[redacted]". Empty or short ones are ignored. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go (tests pass `{ write(line) }`). @default stderr */
  destination?: DestinationStream;
  /** Readable lines instead of JSON. @default true when writing to stderr and stderr is a TTY */
  pretty?: boolean;
}

export const REDACTED = '[redacted]';
/** Shorter values would redact ordinary words; no real secret is this short. */
const MIN_SECRET_LENGTH = 4;

/** A function replacing every occurrence of the given values (as written and as JSON-escaped). */
export function secretRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (!s || s.length < MIN_SECRET_LENGTH) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  if (forms.size === 0) return (text) => text;
  // Longest first, so a secret that contains another is replaced whole.
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (!options.destination && Boolean(process.stderr.isTTY));
  const sink = options.destination ?? pino.destination({ fd: 2, sync: true });
  const colorize = !options.destination && Boolean(process.stderr.isTTY);
  const prettify = pretty ? prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss.l' }) : undefined;
  const destination: DestinationStream = prettify ? { write: (line) => sink.write(prettify(line)) } : sink;
  return pino(
    {
      level: options.level ?? 'info',
      base: null,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Headers are not logged today; if one ever is, its credentials are not.
      redact: { paths: ['authorization', 'headers.authorization', 'headers.cookie', '*.headers.authorization', '*.headers.cookie'], censor: REDACTED },
      hooks: { streamWrite: secretRedactor(options.secrets ?? []) },
    },
    destination,
  );
}

/** A logger that prints nothing: the default in tests. */
export const silentLogger: Logger = pino({ level: 'silent' });

type YogaLogMethod = (...args: unknown[]) => void;
type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LimitedLogOptions {
  /** Lines let through per second; the rest are counted and reported on the next line let through. @default 10 */
  perSecond?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Lines a caller can provoke at will (its own mistakes, refused webhooks) go through this: at most
 * `perSecond` a second, then the next line let through carries `suppressed` (how many were dropped),
 * so a flood of bad requests cannot flood the log.
 */
export function limitedLog(logger: Logger, options: LimitedLogOptions = {}): (level: Level, fields: Record<string, unknown>, msg: string) => void {
  const perSecond = options.perSecond ?? 10;
  const now = options.now ?? Date.now;
  let windowStart = -Infinity;
  let used = 0;
  let suppressed = 0;
  return (level, fields, msg) => {
    if (!logger.isLevelEnabled(level)) return;
    const t = now();
    if (t - windowStart >= 1000) {
      windowStart = t;
      used = 0;
    }
    if (used >= perSecond) {
      suppressed++;
      return;
    }
    used++;
    logger[level](suppressed > 0 ? { ...fields, suppressed } : fields, msg);
    suppressed = 0;
  };
}

export interface YogaLoggingOptions {
  /**
   * Whose failure an error yoga reports is (yoga reports every error it masks at `error`): the
   * gateway's own stay at `error`; upstream failures go to `warn` and the caller's mistakes to `debug`,
   * both rate-limited. @default every error is the gateway's
   */
  faultOf?: (error: unknown) => Fault;
  limit?: LimitedLogOptions;
  /** yoga logs an operation's errors after its result, outside the request: this finds the request id of such an error. */
  requestIdOf?: (error: Error) => string | undefined;
}

/**
 * yoga's `logging` option on top of a pino logger, keeping every argument: a leading string is the
 * message, Errors go under `err` (with their stack), anything else under `args`.
 */
export function yogaLogging(logger: Logger, options: YogaLoggingOptions = {}): Record<Level, YogaLogMethod> {
  const limited = { client: limitedLog(logger, options.limit), upstream: limitedLog(logger, options.limit) };
  const requestIdOf = options.requestIdOf ?? (() => undefined);
  const method =
    (level: Level): YogaLogMethod =>
    (...args) => {
      const msg = typeof args[0] === 'string' ? args[0] : undefined;
      const rest = msg === undefined ? args : args.slice(1);
      const err = rest.find((a): a is Error => a instanceof Error);
      const others = rest.filter((a) => a !== err);
      const requestId = err && requestIdOf(err);
      const fields = { ...(requestId && { requestId }), ...(err && { err }), ...(others.length > 0 && { args: others }) };
      const fault = level === 'error' && err && options.faultOf ? options.faultOf(err) : 'gateway';
      if (fault === 'client') return limited.client('debug', fields, msg ?? err?.message ?? '');
      if (fault === 'upstream') return limited.upstream('warn', fields, msg ?? err?.message ?? '');
      if (!logger.isLevelEnabled(level)) return;
      logger[level](fields, msg ?? err?.message ?? '');
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}
