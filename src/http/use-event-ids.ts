/**
 * Event cursors on SSE. Over SSE each result of a `trackingEvents` subscription is marked with its
 * event's cursor (`extensions.cursor`, taken off again when written), and the event carries it as
 * its `id:` field, so a browser's EventSource sends it back as `Last-Event-ID` when it
 * reconnects and resumes by itself (src/schema/live.ts reads the header).
 *
 * yoga's own SSE writer has no `id:`; this one is the same protocol (`event: next` / `complete`,
 * a comment line first and every 12 s) plus `id:` when the result has a cursor.
 */
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import type { GraphQLContext } from '../context.js';

const PING_MS = 12_000;

type Json = Record<string, unknown>;
/** As yoga writes results: no `http` extension (status hints for the HTTP layer), errors as their JSON. */
function serialise(result: ExecutionResult): string {
  // The cursor travels as the event's `id:`, not in the payload.
  const { http: _http, cursor: _cursor, ...extensions } = (result.extensions ?? {}) as Json;
  const errors = result.errors?.map((e) => {
    const json = (typeof e.toJSON === 'function' ? e.toJSON() : e) as unknown as Json;
    const { http: _h, ...ext } = (json.extensions ?? {}) as Json;
    return { ...json, extensions: Object.keys(ext).length ? ext : undefined };
  });
  return JSON.stringify({ ...result, errors, extensions: Object.keys(extensions).length ? extensions : undefined });
}

/** The SSE response for a stream of results; `id:` from `extensions.cursor`. */
function sseWithIds(results: AsyncIterable<ExecutionResult>, fetchAPI: { ReadableStream: typeof ReadableStream; Response: typeof Response; TextEncoder: typeof TextEncoder }): Response {
  const encoder = new fetchAPI.TextEncoder();
  const iterator = results[Symbol.asyncIterator]();
  let ping: ReturnType<typeof setInterval> | undefined;
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      // Some clients see nothing until the first bytes: a comment flushes the headers.
      controller.enqueue(encoder.encode(':\n\n'));
      ping = setInterval(() => {
        if (controller.desiredSize === null) clearInterval(ping);
        else if (controller.desiredSize > 0) controller.enqueue(encoder.encode(':\n\n'));
      }, PING_MS);
    },
    async pull(controller) {
      try {
        const r = await iterator.next();
        if (r.value != null) {
          const cursor = (r.value.extensions as { cursor?: unknown } | undefined)?.cursor;
          // A cursor never holds a newline (event-log.ts checks its form), which would end the field.
          const id = typeof cursor === 'string' && !/[\r\n]/.test(cursor) ? `id: ${cursor}\n` : '';
          controller.enqueue(encoder.encode(`${id}event: next\ndata: ${serialise(r.value)}\n\n`));
        }
        if (r.done) {
          controller.enqueue(encoder.encode('event: complete\ndata:\n\n'));
          clearInterval(ping);
          controller.close();
        }
      } catch (e) {
        clearInterval(ping);
        controller.error(e);
      }
    },
    async cancel() {
      clearInterval(ping);
      await iterator.return?.();
    },
  });
  return new fetchAPI.Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream', connection: 'keep-alive', 'cache-control': 'no-cache', 'content-encoding': 'none' },
  });
}

const wantsSse = (request: Request): boolean => {
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('text/event-stream') && !accept.includes('multipart/mixed');
};

export function useEventIds(): Plugin<{}, GraphQLContext> {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args }) {
          const context = args.contextValue as unknown as Partial<GraphQLContext> & { request?: Request };
          const holder = context.eventCursor;
          // Only SSE needs it on the result (graphql-ws clients select `cursor`).
          if (!holder || !context.request || !wantsSse(context.request)) return;
          return {
            onNext({ result, setResult }) {
              if (holder.current === undefined) return;
              setResult({ ...result, extensions: { ...result.extensions, cursor: holder.current } });
            },
          };
        },
      };
    },
    onResultProcess({ request, result, setResultProcessor }) {
      if (isAsyncIterable(result) && wantsSse(request)) {
        setResultProcessor((r, fetchAPI) => sseWithIds(r as AsyncIterable<ExecutionResult>, fetchAPI), 'text/event-stream');
      }
    },
  };
}
