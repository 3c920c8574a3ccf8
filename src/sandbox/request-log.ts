/** Every API request the sandbox answered (or refused, or dropped), for tests to count. */
import type { EndpointKey } from '../aftership/endpoints.js';

export interface RequestLogEntry {
  /** Clock time (ms) the request arrived. */
  at: number;
  method: string;
  endpoint: EndpointKey | undefined;
  /** Path relative to the server root, e.g. `/tracking/2026-07/trackings/abc`. */
  path: string;
  query: Record<string, string>;
  /** HTTP status answered; 0 when the connection was dropped on purpose. */
  status: number;
  /** The caller's `x-request-id` and `traceparent` headers, when sent (a gateway tracing its calls). */
  requestId?: string;
  traceparent?: string;
}

export type RequestFilter =
  | ((e: RequestLogEntry) => boolean)
  | { endpoint?: EndpointKey; method?: string; status?: number; since?: number; until?: number };

export interface RequestLog {
  all(): RequestLogEntry[];
  count(filter?: RequestFilter): number;
  reset(): void;
  /** Most requests of an endpoint (any if omitted) seen inside any window of `windowMs` (default 1000), excluding 429s unless asked. */
  maxInWindow(options?: { endpoint?: EndpointKey; windowMs?: number; include429?: boolean }): number;
  add(entry: RequestLogEntry): void;
}

function matches(e: RequestLogEntry, f: RequestFilter | undefined): boolean {
  if (!f) return true;
  if (typeof f === 'function') return f(e);
  return (
    (f.endpoint === undefined || e.endpoint === f.endpoint) &&
    (f.method === undefined || e.method === f.method.toUpperCase()) &&
    (f.status === undefined || e.status === f.status) &&
    (f.since === undefined || e.at >= f.since) &&
    (f.until === undefined || e.at < f.until)
  );
}

/** Oldest entries are forgotten past this many, so a long-running sandbox stays small. */
export const REQUEST_LOG_CAP = 100_000;

export function createRequestLog(): RequestLog {
  let entries: RequestLogEntry[] = [];
  return {
    all: () => [...entries],
    count: (f) => entries.filter((e) => matches(e, f)).length,
    reset: () => void (entries = []),
    add(e) {
      entries.push(e);
      if (entries.length > REQUEST_LOG_CAP) entries = entries.slice(-REQUEST_LOG_CAP / 2);
    },
    maxInWindow(options = {}) {
      const windowMs = options.windowMs ?? 1000;
      const times = entries
        .filter((e) => (options.endpoint === undefined || e.endpoint === options.endpoint) && (options.include429 || e.status !== 429))
        .map((e) => e.at)
        .sort((a, b) => a - b);
      let best = 0;
      let lo = 0;
      for (let hi = 0; hi < times.length; hi++) {
        while (times[hi] - times[lo] >= windowMs) lo++;
        best = Math.max(best, hi - lo + 1);
      }
      return best;
    },
  };
}
