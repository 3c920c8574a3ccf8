/**
 * `GET /exports/trackings.ndjson` and `GET /exports/trackings.csv`: every replicated tracking of the
 * caller's account that matches the filter (the query parameters, export-query.ts), streamed from the
 * replica, never from AfterShip.
 *
 * - Access: after access control (the viewer is on the server context), and the token needs
 *   `aftership:tracking:read` (403 otherwise), like `deliveryStats`.
 * - Constant memory: rows are made in slices as the client reads (a pull stream over the replica's
 *   scan), so a slow reader holds back the scan instead of a growing buffer; a client that goes away
 *   stops it.
 * - Coverage: the `x-coverage` header (an RFC 8941 dictionary) says which window of the account
 *   the rows cover: `complete=?1, trackings=20000, from="…", to="…", as-of="…"`.
 * - Bounded: a client may run `maxPerClient` exports at once, the gateway `maxConcurrent` (429/503).
 */
import type { Plugin } from 'graphql-yoga';
import type { Tracking } from '../aftership/wire-types.js';
import { compileFilter, InvalidAnalyticsInputError, type AnalyticsSource, type Coverage } from '../analytics/index.js';
import { CSV_HEADER, csvRow, ndjsonRow, type ExportFormat } from '../analytics/export-rows.js';
import { AuthError, authErrorResponse, clientKeyOf, hasAllScopes, insufficientScope, type Viewer } from '../auth/viewer.js';
import { limitedLog, silentLogger, type Logger } from '../lib/logger.js';
import { parseExportQuery } from './export-query.js';
import { internalError } from './internal-error.js';
import type { RequestIdContext } from './use-request-id.js';

export const EXPORT_PATHS: Readonly<Record<string, ExportFormat>> = {
  '/exports/trackings.ndjson': 'ndjson',
  '/exports/trackings.csv': 'csv',
};

const CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

export interface ExportsOptions {
  /** The replica of an account; undefined for an account the gateway does not serve. */
  replicaOf(accountId: string): AnalyticsSource | undefined;
  /** Exports one client may run at once. @default 2 */
  maxPerClient?: number;
  /** Exports the gateway runs at once. @default 8 */
  maxConcurrent?: number;
  /** Rows made per slice (per read of the stream). @default 200 */
  rowsPerChunk?: number;
  /** @default silentLogger */
  logger?: Logger;
}

type ExportContext = { viewer?: Viewer; req?: { socket?: { remoteAddress?: string } } } & RequestIdContext;

/** `x-coverage`, an RFC 8941 dictionary. */
export function coverageHeader(c: Coverage): string {
  return `complete=${c.complete ? '?1' : '?0'}, trackings=${c.trackings}, from="${c.from}", to="${c.to}", as-of="${c.asOf}"`;
}

const problem = (status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response =>
  Response.json({ errors: [{ message, extensions: { code, ...extra } }] }, { status, headers: { 'cache-control': 'no-store', ...headers } });

/** A pull stream of rows: each read makes the next slice; nothing is made ahead of the reader. */
function rowStream(
  scan: AsyncIterator<Tracking>,
  keep: (t: Tracking) => boolean,
  row: (t: Tracking) => string,
  head: string,
  rowsPerChunk: number,
  done: (error?: unknown) => void,
  stop: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let first = true;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          let text = first ? head : '';
          first = false;
          let rows = 0;
          // Bounded work per read even when few trackings match: the stream pulls again if nothing was sent.
          for (let scanned = 0; rows < rowsPerChunk && scanned < rowsPerChunk * 25; scanned++) {
            const next = await scan.next();
            if (next.done) {
              if (text) controller.enqueue(encoder.encode(text));
              controller.close();
              done();
              return;
            }
            if (!keep(next.value)) continue;
            text += row(next.value);
            rows++;
          }
          if (text) controller.enqueue(encoder.encode(text));
        } catch (e) {
          // Too late for a status: the client sees a cut stream, the log says why.
          controller.error(e);
          done(e);
        }
      },
      cancel() {
        stop();
        done();
      },
    },
    // One slice buffered: the next is made only when the socket has taken this one.
    { highWaterMark: 1, size: () => 1 },
  );
}

export function useExports(options: ExportsOptions): Plugin<{}, ExportContext> {
  const maxPerClient = options.maxPerClient ?? 2;
  const maxConcurrent = options.maxConcurrent ?? 8;
  const rowsPerChunk = options.rowsPerChunk ?? 200;
  const logger = options.logger ?? silentLogger;
  const log = limitedLog(logger);
  const perClient = new Map<string, number>();
  let running = 0;

  return {
    onRequest({ request, url, serverContext, endResponse }) {
      const format = EXPORT_PATHS[url.pathname];
      if (!format) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(problem(405, 'METHOD_NOT_ALLOWED', 'Exports are read with GET.', {}, { allow: 'GET, HEAD' }));
      }
      const viewer = serverContext.viewer;
      // Access control runs before this plugin: no viewer means it was not mounted after it.
      if (!viewer) return endResponse(internalError(logger, new Error('export reached without a viewer'), 'exports'));
      if (!hasAllScopes(viewer, ['aftership:tracking:read'])) return endResponse(authErrorResponse(insufficientScope(['aftership:tracking:read'])));
      // An export lists the whole account: a lookup-only token (a public page's) may only read trackings whose number it knows.
      if (viewer.lookupOnly) return endResponse(authErrorResponse(new AuthError('FORBIDDEN', 'A lookup-only token cannot export the account: it reads only trackings whose number it knows', 403, 'insufficient_scope')));
      let query;
      try {
        query = parseExportQuery(url.searchParams);
      } catch (e) {
        if (e instanceof InvalidAnalyticsInputError) return endResponse(problem(400, e.code, e.message, { field: e.field }));
        return endResponse(internalError(logger, e, 'exports'));
      }
      const replica = options.replicaOf(viewer.accountId);
      if (!replica) return endResponse(internalError(logger, new Error(`no replica for account ${viewer.accountId}`), 'exports'));

      const key = clientKeyOf(viewer, serverContext.req?.socket?.remoteAddress);
      if (running >= maxConcurrent) return endResponse(problem(503, 'OVERLOADED', 'Too many exports are running; retry shortly.', { retryAfterSeconds: 5 }, { 'retry-after': '5' }));
      const mine = perClient.get(key) ?? 0;
      if (mine >= maxPerClient) {
        return endResponse(problem(429, 'TOO_MANY_REQUESTS', `Too many exports at once from this client: at most ${maxPerClient}.`, { retryAfterSeconds: 5 }, { 'retry-after': '5' }));
      }
      let coverage: Coverage;
      try {
        coverage = replica.coverage();
      } catch (e) {
        return endResponse(internalError(logger, e, 'exports'));
      }
      const headers = {
        'content-type': CONTENT_TYPES[format],
        'content-disposition': `attachment; filename="trackings.${format}"`,
        'cache-control': 'no-store',
        'x-coverage': coverageHeader(coverage),
      };
      if (request.method === 'HEAD') return endResponse(new Response(null, { headers }));

      running++;
      perClient.set(key, mine + 1);
      let released = false;
      const release = (error?: unknown): void => {
        if (released) return;
        released = true;
        running--;
        const left = (perClient.get(key) ?? 1) - 1;
        if (left > 0) perClient.set(key, left);
        else perClient.delete(key);
        if (error) log('error', { err: error, requestId: serverContext.requestId }, 'export failed mid-stream');
      };
      const abort = new AbortController();
      // Pulled only when the client reads: scan() does nothing before its first next().
      const scan = replica.scan({ signal: abort.signal });
      const keep = compileFilter(query.filter);
      const row = format === 'csv' ? csvRow : (t: Tracking) => ndjsonRow(t, query.checkpoints);
      const body = rowStream(scan, keep, row, format === 'csv' ? CSV_HEADER : '', rowsPerChunk, release, () => {
        abort.abort();
        void scan.return?.();
      });
      endResponse(new Response(body, { headers }));
    },
  };
}
