/**
 * AfterShip's rate limits (REFERENCE §4): per API key and per endpoint, in fixed 1-second windows
 * aligned to the second (so `X-RateLimit-Reset` is the next whole Unix second), plus an optional
 * account-wide cap over any rolling minute. Refused requests do not use up the window.
 */
import type { Clock } from '../lib/clock.js';
import { ENDPOINT_LIMITS_PER_SECOND, type EndpointKey } from '../aftership/endpoints.js';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the current window ends. */
  reset: number;
}

export interface RateLimiter {
  /** Counts a request if allowed. */
  take(apiKey: string, endpoint: EndpointKey): RateDecision;
  /** The current state without counting (for headers on answers refused before the limiter). */
  peek(apiKey: string, endpoint: EndpointKey): RateDecision;
  reset(): void;
}

export interface RateLimiterOptions {
  clock: Clock;
  limits?: Partial<Record<EndpointKey, number>>;
  accountLimitPerMinute?: number;
  enforce: boolean;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const windows = new Map<string, { window: number; count: number }>();
  const minute = new Map<string, number[]>();
  const limitOf = (e: EndpointKey): number => options.limits?.[e] ?? ENDPOINT_LIMITS_PER_SECOND[e];

  function state(apiKey: string, endpoint: EndpointKey): { key: string; window: number; count: number; limit: number } {
    const window = Math.floor(options.clock.now() / 1000);
    const key = `${apiKey}\u0000${endpoint}`;
    const w = windows.get(key);
    return { key, window, count: w && w.window === window ? w.count : 0, limit: limitOf(endpoint) };
  }

  function accountFull(apiKey: string): boolean {
    const cap = options.accountLimitPerMinute ?? 0;
    if (cap <= 0) return false;
    const now = options.clock.now();
    const times = (minute.get(apiKey) ?? []).filter((t) => t > now - 60_000);
    minute.set(apiKey, times);
    return times.length >= cap;
  }

  return {
    take(apiKey, endpoint) {
      const s = state(apiKey, endpoint);
      const reset = s.window + 1;
      const allowed = !options.enforce || (s.count < s.limit && !accountFull(apiKey));
      if (!allowed) return { allowed, limit: s.limit, remaining: 0, reset };
      windows.set(s.key, { window: s.window, count: s.count + 1 });
      if ((options.accountLimitPerMinute ?? 0) > 0) minute.get(apiKey)?.push(options.clock.now()) ?? minute.set(apiKey, [options.clock.now()]);
      return { allowed, limit: s.limit, remaining: Math.max(0, s.limit - s.count - 1), reset };
    },
    peek(apiKey, endpoint) {
      const s = state(apiKey, endpoint);
      return { allowed: s.count < s.limit, limit: s.limit, remaining: Math.max(0, s.limit - s.count), reset: s.window + 1 };
    },
    reset() {
      windows.clear();
      minute.clear();
    },
  };
}
