/**
 * `GET /readyz`: 200 with `{ ready: true, ... }` while this instance should get work, 503 otherwise
 * (yoga's own readiness plugin; what is checked lives in readiness.ts). Answers at once: it never
 * waits on AfterShip.
 */
import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { Readiness } from './readiness.js';

export interface ReadinessPluginOptions {
  readiness: Readiness;
  /** @default "/readyz" */
  endpoint?: string;
}

export function useReadiness(options: ReadinessPluginOptions): Plugin {
  return useReadinessCheck({
    endpoint: options.endpoint ?? '/readyz',
    check: ({ fetchAPI }) => {
      const result = options.readiness.check();
      return fetchAPI.Response.json(result, { status: result.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
    },
  });
}
