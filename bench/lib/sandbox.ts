/** The AfterShip sandbox the bench runs against, and counting what it was asked. */
import { ENDPOINT_LIMITS_PER_SECOND, DEFAULT_ACCOUNT_LIMIT_PER_MINUTE, type EndpointKey } from '../../src/aftership/endpoints.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createSandbox, type Sandbox, type RequestLogEntry } from '../../src/sandbox/index.js';
import { API_PATH_PREFIX } from '../../src/aftership/wire-types.js';
import { BENCH_API_KEY, BENCH_WEBHOOK_SECRET } from './env.js';

export interface BenchSandbox {
  sandbox: Sandbox;
  url: string;
  stop(): Promise<void>;
}

export async function startBenchSandbox(options: { seed: number; enforceRateLimits: boolean }): Promise<BenchSandbox> {
  const sandbox = createSandbox({
    apiKey: BENCH_API_KEY,
    webhookSecret: BENCH_WEBHOOK_SECRET,
    seed: options.seed,
    autoAdvance: false,
    enforceRateLimits: options.enforceRateLimits,
    // The plan-wide cap AfterShip applies to many accounts, matching the gateway's default budget.
    accountLimitPerMinute: options.enforceRateLimits ? DEFAULT_ACCOUNT_LIMIT_PER_MINUTE : undefined,
    logger: silentLogger,
  });
  const url = await sandbox.listen(0, '127.0.0.1');
  return { sandbox, url, stop: () => sandbox.close() };
}

/**
 * Sends `2 × limit + 1` GET /trackings/:id at once straight to the sandbox (bypassing any gateway)
 * and answers how many it refused with 429: at least one when it enforces AfterShip's 5/s. A
 * scenario that reports "0 429s" checks this first, or its zero would prove nothing.
 */
export async function directBurst429s(sb: BenchSandbox, trackingId: string): Promise<{ sent: number; refused: number }> {
  const sent = 2 * ENDPOINT_LIMITS_PER_SECOND['GET /trackings/:id'] + 1;
  const url = `${sb.url}${API_PATH_PREFIX}/trackings/${encodeURIComponent(trackingId)}`;
  const statuses = await Promise.all(
    Array.from({ length: sent }, async () => {
      const res = await fetch(url, { headers: { 'as-api-key': BENCH_API_KEY } });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  return { sent, refused: statuses.filter((s) => s === 429).length };
}

/** API requests (control routes excluded) by endpoint key. */
export function countByEndpoint(entries: readonly RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    if (!e.endpoint) continue;
    out[e.endpoint] = (out[e.endpoint] ?? 0) + 1;
  }
  return out;
}

export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** "GET /trackings ×50, GET /couriers ×50" */
export function describeCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ×${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

/**
 * Shortest time AfterShip's limits allow for these calls, in seconds: each endpoint admits
 * `limit` calls per second (so n calls span ceil(n/limit) − 1 s at least), and the account
 * 600 per minute.
 */
export function minSecondsAtLimits(counts: Record<string, number>): number {
  let worst = 0;
  for (const [k, n] of Object.entries(counts)) {
    const limit = ENDPOINT_LIMITS_PER_SECOND[k as EndpointKey];
    if (limit) worst = Math.max(worst, Math.ceil(n / limit) - 1);
  }
  const perMinute = Math.ceil(total(counts) / DEFAULT_ACCOUNT_LIMIT_PER_MINUTE) - 1;
  return Math.max(worst, perMinute * 60);
}
