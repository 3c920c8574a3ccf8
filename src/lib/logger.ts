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

/**
 * yoga's `logging` option on top of a pino logger, keeping every argument: a leading string is the
 * message, Errors go under `err` (with their stack), anything else under `args`.
 */
export function yogaLogging(logger: Logger): Record<'debug' | 'info' | 'warn' | 'error', YogaLogMethod> {
  const method =
    (level: 'debug' | 'info' | 'warn' | 'error'): YogaLogMethod =>
    (...args) => {
      if (!logger.isLevelEnabled(level)) return;
      const msg = typeof args[0] === 'string' ? args[0] : undefined;
      const rest = msg === undefined ? args : args.slice(1);
      const err = rest.find((a): a is Error => a instanceof Error);
      const others = rest.filter((a) => a !== err);
      const fields = { ...(err && { err }), ...(others.length > 0 && { args: others }) };
      logger[level](fields, msg ?? err?.message ?? '');
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}
