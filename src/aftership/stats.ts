/** Per-endpoint counters behind `AfterShipClient.stats()`. */
import type { ClientStats, EndpointStats } from './types.js';
import type { CircuitState } from './circuit-breaker.js';

export interface StatsRecorder {
  call(endpoint: string): void;
  status(endpoint: string, status: number | 'error'): void;
  retry(endpoint: string): void;
  queueWait(endpoint: string, ms: number): void;
  rateLimited(endpoint: string): void;
  upstreamRequest(): void;
  merged(n?: number): void;
  snapshot(circuit: CircuitState): Omit<ClientStats, 'budget'>;
}

export function createStatsRecorder(): StatsRecorder {
  const endpoints: Record<string, EndpointStats> = {};
  let upstreamRequests = 0;
  let merged = 0;
  const ep = (key: string): EndpointStats =>
    (endpoints[key] ??= { calls: 0, byStatus: {}, retries: 0, queueWaitMsTotal: 0, queueWaitMsMax: 0, rateLimited: 0 });
  return {
    call: (key) => void ep(key).calls++,
    status(key, status) {
      const s = ep(key);
      const k = String(status);
      s.byStatus[k] = (s.byStatus[k] ?? 0) + 1;
    },
    retry: (key) => void ep(key).retries++,
    queueWait(key, ms) {
      const s = ep(key);
      s.queueWaitMsTotal += ms;
      s.queueWaitMsMax = Math.max(s.queueWaitMsMax, ms);
    },
    rateLimited: (key) => void ep(key).rateLimited++,
    upstreamRequest: () => void upstreamRequests++,
    merged: (n = 1) => void (merged += n),
    snapshot(circuit) {
      const copy: Record<string, EndpointStats> = {};
      for (const [k, v] of Object.entries(endpoints)) copy[k] = { ...v, byStatus: { ...v.byStatus } };
      return { endpoints: copy, upstreamRequests, merged, circuit };
    },
  };
}
