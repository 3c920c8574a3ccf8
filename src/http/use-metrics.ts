/**
 * `GET /metrics`: the Prometheus text exposition. With a token configured (METRICS_TOKEN) the scraper
 * must send `Authorization: Bearer <token>` (compared in constant time); without one the route is
 * open like /healthz, so keep it off the public internet. Mounted before access control: the gateway's
 * own clients' credentials are not a scraper's.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../observability/index.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import { answerOrInternalError } from './internal-error.js';
import type { RequestIdContext } from './use-request-id.js';

export interface MetricsPluginOptions {
  metrics: Pick<GatewayMetrics, 'scrape'>;
  /** Bearer token required to scrape; undefined: none. */
  token?: string;
  /** @default "/metrics" */
  path?: string;
  /** @default silentLogger */
  logger?: Logger;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function useMetrics(options: MetricsPluginOptions): Plugin<{}, RequestIdContext> {
  const path = options.path ?? '/metrics';
  const logger = options.logger ?? silentLogger;
  const expected = options.token === undefined ? undefined : digest(`Bearer ${options.token}`);
  return {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (url.pathname !== path) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(fetchAPI.Response.json({ error: 'use GET' }, { status: 405, headers: { allow: 'GET, HEAD' } }));
      }
      if (expected && !timingSafeEqual(digest(request.headers.get('authorization') ?? ''), expected)) {
        return endResponse(
          fetchAPI.Response.json({ error: 'metrics need Authorization: Bearer <METRICS_TOKEN>' }, { status: 401, headers: { 'www-authenticate': 'Bearer realm="metrics"' } }),
        );
      }
      endResponse(
        await answerOrInternalError(async () => {
          const { contentType, body } = await options.metrics.scrape();
          return new fetchAPI.Response(request.method === 'HEAD' ? null : body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
        }, logger.child({ requestId: serverContext.requestId }), 'metrics'),
      );
    },
  };
}
