/**
 * `GET /readyz`: 200 with `{ ready: true, ... }` while AfterShip answers, 503 otherwise (yoga's own
 * readiness plugin; the probe and its cache live in readiness.ts).
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
    check: async ({ fetchAPI }) => {
      const result = await options.readiness.check();
      return fetchAPI.Response.json(result, { status: result.ready ? 200 : 503 });
    },
  });
}
