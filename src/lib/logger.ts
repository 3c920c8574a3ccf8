/**
 * A small leveled logger: one JSON object per line in production, readable lines on a TTY.
 * Secrets are never passed to it; `redact` is a last line of defence for known secret values.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Values that must never be printed (API keys, secrets); replaced by "[redacted]". */
  secrets?: readonly string[];
  write?: (line: string) => void;
  pretty?: boolean;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export function createLogger(options: LoggerOptions = {}, bound: Record<string, unknown> = {}): Logger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);

  const redact = (text: string): string => secrets.reduce((t, s) => t.split(s).join('[redacted]'), text);

  const log = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>): void => {
    if (rank[lvl] < rank[level]) return;
    const all = { ...bound, ...fields };
    let line: string;
    if (pretty) {
      const extra = Object.keys(all).length ? ' ' + JSON.stringify(all) : '';
      line = `${lvl.toUpperCase().padEnd(5)} ${msg}${extra}`;
    } else {
      line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...all });
    }
    write(redact(line));
  };

  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** A logger that prints nothing: the default in tests. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
