/**
 * Event cursors on SSE. Over SSE each result of a `trackingEvents` subscription is marked with its
 * event's cursor (`extensions.cursor`, taken off again when written), and the event carries it as
 * its `id:` field, so a browser's EventSource sends it back as `Last-Event-ID` when it
 * reconnects and resumes by itself (src/schema/live.ts reads the header).
 *
 * yoga's own SSE writer has no `id:`; this one is the same protocol (`event: next` / `complete`,
 * a comment line first and every 12 s) plus `id:` when the result has a cursor.
 *
 * SSE subscriptions are multiplexed like graphql-ws ones (`share`): requests with the same operation,
 * variables and access share one execution per event. The first request's result stream (through
 * every plugin's hooks: masking, cursors) feeds the group; a later request gives its own stream back
 * (its pubsub subscription ends) and reads the group's. Each event's frame is serialized and encoded
 * once. A request that resumes (`after`, `Last-Event-ID`) is never shared.
 */
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { getOperationAST, type ExecutionResult } from 'graphql';
import { canonicalJson } from '../cache/canonical-json.js';
import type { GraphQLContext } from '../context.js';
import { createBoundedIterator, type BoundedIterator } from '../realtime/bounded-iterator.js';
import { createSubscriptionHub, type HubMember, type SharedPayload, type SharedRecorder } from './subscription-hub.js';
import { shareable } from './websocket.js';

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

/** The `event: next` block of one result; `id:` from `extensions.cursor`. */
function frameOf(result: ExecutionResult, encoder: TextEncoder): Uint8Array {
  const cursor = (result.extensions as { cursor?: unknown } | undefined)?.cursor;
  return encoder.encode(`${idLine(cursor)}event: next\ndata: ${serialise(result)}\n\n`);
}
// A cursor never holds a newline (event-log.ts checks its form), which would end the field.
const idLine = (cursor: unknown): string => (typeof cursor === 'string' && !/[\r\n]/.test(cursor) ? `id: ${cursor}\n` : '');

/** A shared result's block: made by the first member that writes it, reused by the others. */
function sharedFrameOf(payload: SharedPayload, encoder: TextEncoder): Uint8Array {
  return (payload.sse ??= encoder.encode(`${idLine(payload.cursor)}event: next\ndata: ${payload.json}\n\n`));
}

type FetchAPI = { ReadableStream: typeof ReadableStream; Response: typeof Response; TextEncoder: typeof TextEncoder };

/** The SSE response for a stream of results (or of shared ones). */
function sseWithIds<T>(results: AsyncIterable<T>, frame: (value: T, encoder: TextEncoder) => Uint8Array, fetchAPI: FetchAPI): Response {
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
        if (r.value != null) controller.enqueue(frame(r.value, encoder));
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

export interface EventIdsOptions {
  /**
   * Shares one execution between SSE subscriptions with the same operation, variables and access.
   * `accessKey`: what access a viewer has (same key: same answers); undefined: never shared.
   * `recorder`: told of the subscribers sharing an execution (the pubsub's counts). @default no sharing
   */
  share?: { accessKey(viewer: unknown): string | undefined; recorder?(context: GraphQLContext): SharedRecorder | undefined };
  /** Results buffered for an SSE subscriber that reads slowly before the oldest is dropped. @default 100 */
  maxBuffered?: number;
}

/** An SSE subscriber of a shared execution: a bounded queue of shared results. */
type SseMember = BoundedIterator<SharedPayload> & HubMember;

export function useEventIds(options: EventIdsOptions = {}): Plugin<{}, GraphQLContext> {
  const share = options.share;
  // The group's results as SSE wants them: the cursor apart (the `id:`), the JSON once.
  const hub = createSubscriptionHub({
    serialize: (result) => ({ json: serialise(result), cursor: (result.extensions as { cursor?: string } | undefined)?.cursor }),
  });
  /** The share key and context of each SSE request whose subscription may be shared. */
  const shared = new WeakMap<Request, { key: string; context: GraphQLContext }>();

  /** The request's stream as a member of its key's group: its own stream starts the group, or is given back. */
  const sharedStream = (key: string, own: AsyncIterable<ExecutionResult>, context: GraphQLContext): AsyncIterable<SharedPayload> => {
    const member = createBoundedIterator<SharedPayload>(options.maxBuffered ?? 100, () => hub.leave(member)) as SseMember;
    let joined: Promise<void> | undefined;
    let started = false;
    const start = async () => {
      started = true;
      return { result: own, recorder: share?.recorder?.(context) };
    };
    const join = (): Promise<void> =>
      (joined ??= hub.join(key, member, start).then((failed) => {
        // Another request's execution serves this one: this request's own ends (and its pubsub subscription).
        if (!started) void own[Symbol.asyncIterator]().return?.();
        if (failed) member.end();
      }));
    const it: AsyncIterableIterator<SharedPayload> = {
      next: async () => {
        await join();
        return member.next();
      },
      return: async () => {
        await join().catch(() => undefined);
        return member.return();
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  };

  return {
    onSubscribe({ args }) {
      const context = args.contextValue as unknown as Partial<GraphQLContext> & { request?: Request; params?: { query?: string; operationName?: string; variables?: unknown } };
      const request = context.request;
      // Only SSE needs cursors and sharing here (graphql-ws clients select `cursor`; websocket.ts shares).
      if (!request || !wantsSse(request)) return;
      if (share && context.lastEventId === undefined && context.params?.query) {
        const operation = getOperationAST(args.document, args.operationName);
        const access = operation && shareable(operation) ? share.accessKey(context.viewer) : undefined;
        if (access !== undefined) {
          const { query, operationName, variables } = context.params;
          shared.set(request, { key: `${access}\u0000${operationName ?? ''}\u0000${query}\u0000${canonicalJson(variables ?? {})}`, context: context as GraphQLContext });
        }
      }
      const holder = context.eventCursor;
      if (!holder) return;
      return {
        onSubscribeResult() {
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
        const s = shared.get(request);
        setResultProcessor(
          (r, fetchAPI) =>
            s
              ? sseWithIds(sharedStream(s.key, r as AsyncIterable<ExecutionResult>, s.context), sharedFrameOf, fetchAPI)
              : sseWithIds(r as AsyncIterable<ExecutionResult>, frameOf, fetchAPI),
          'text/event-stream',
        );
      }
    },
  };
}
