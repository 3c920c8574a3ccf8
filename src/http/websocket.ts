/**
 * graphql-ws bound to yoga: subscriptions (and queries) over WebSocket on the GraphQL path,
 * running through the same envelop plugins, context and error masking as HTTP requests.
 *
 * Subscriptions with the same document, variables and access share one execution per event
 * (subscription-hub.ts); an idle subscriber holds no context of its own. graphql-ws's `makeServer`
 * is bound to `ws` here rather than with its `useServer`, for three things that one lacks: the
 * shared payload spliced into each message, a bound on each socket's send buffer, and one
 * keep-alive timer for all sockets instead of one per socket.
 */
import { getOperationAST, GraphQLError, Kind, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { CloseCode, handleProtocols, makeServer, type OperationResult, type SubscribePayload } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { canonicalJson } from '../cache/canonical-json.js';
import { createSubscriptionHub, type HubMember, type SharedPayload, type SharedRecorder, type StartShared, type SubscriptionHub, type SubscriptionHubStats } from './subscription-hub.js';

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}

/** Largest graphql-ws message to accept (the `ws` server's maxPayload); larger closes the socket with 1009. ws's default is 100 MiB, parsed before connection_init authenticates; operations are small. */
export const WS_MAX_MESSAGE_BYTES = 1024 * 1024;

export interface WebSocketOptions {
  /** Ping idle sockets this often, and drop those that do not answer. @default 12000 */
  keepAliveMs?: number;
  /**
   * Called with `connection_init`'s payload: returns the viewer, or undefined or an Error to refuse
   * the connection (access control authenticates subscriptions here). The viewer is handed to the
   * context factory of every operation on the socket.
   */
  authenticate?: (payload: Record<string, unknown> | undefined) => Promise<unknown> | unknown;
  /**
   * The document text a subscribe message may run, or its refusal (trusted documents,
   * trusted-documents.ts: HTTP does the same in yoga's onParams, which graphql-ws does not go through).
   * @default the message's own query
   */
  queryOf?: (payload: SubscribePayload) => string | GraphQLError;
  /**
   * Shares one execution between subscribers with the same operation, variables and access.
   * `accessKey` says what access a viewer has (same key: same answers); undefined: never shared.
   * `recorder` is told of the subscribers sharing an execution (the pubsub's counts).
   * @default no sharing
   */
  multiplex?: { accessKey(viewer: unknown): string | undefined; recorder?(context: unknown): SharedRecorder | undefined };
  /**
   * Bytes a socket may have waiting to be sent (the client reads too slowly); past it, the socket
   * is closed with CLOSE_TOO_SLOW and its subscriptions end. @default 1 MiB
   */
  maxBufferedBytes?: number;
  /**
   * Operations (subscriptions, and queries being answered) one socket may have at once; one more is
   * refused with TOO_MANY_OPERATIONS before any work, and the socket stays open. Each subscription
   * holds memory until it ends: without a bound, one socket sending small subscribe messages could
   * hold any amount. @default DEFAULT_WS_MAX_OPERATIONS
   */
  maxOperationsPerSocket?: number;
}

/** WS_MAX_OPERATIONS_PER_CONNECTION's default: far above what a page or a service opens on one socket. */
export const DEFAULT_WS_MAX_OPERATIONS = 100;

/** 1013 "Try Again Later": not fatal to graphql-ws clients, which reconnect and subscribe again. */
export const CLOSE_TOO_SLOW = 1013;
export const CLOSE_TOO_SLOW_REASON = 'Subscriber too slow: reconnect and subscribe again';

/** A subscription that replays from a cursor (`after`) starts where its subscriber says: never shared. */
export function shareable(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && !s.arguments?.some((a) => a.name.value === 'after'));
}

/**
 * Close code and reason a draining gateway sends: 1001 "going away" is not fatal to graphql-ws
 * clients, so they reconnect, to another instance, and subscribe again.
 */
export const DRAIN_CLOSE_CODE = 1001;
export const DRAIN_CLOSE_REASON = 'The gateway instance is shutting down: reconnect';

/** What `bindGraphQLWebSocket` returns: call it to close every socket at once. */
export interface GraphQLWebSocketDispose {
  (): Promise<void>;
  /**
   * Sends every socket 1001 as soon as its in-flight queries and mutations are answered (its
   * subscriptions end with it), or when `deadline` resolves. Resolves with how many sockets were
   * closed, once all are.
   */
  drain(deadline: Promise<void>): Promise<number>;
  /** Shared subscriptions now: distinct executions, their subscribers, executions run. */
  subscriptions(): SubscriptionHubStats;
  /** Sockets closed for reading too slowly (CLOSE_TOO_SLOW). */
  tooSlow(): number;
}

/** The error with a stable `extensions.code`, as yoga answers the same failure over HTTP. */
const coded = (e: GraphQLError, code: string): GraphQLError =>
  e.extensions?.code ? e : new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { ...e.extensions, code } });

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

const tooManyOperations = (limit: number): GraphQLError =>
  new GraphQLError(`This connection already runs ${limit} operations, the most it may: complete one first, or open another connection.`, {
    extensions: { code: 'TOO_MANY_OPERATIONS', limit },
  });
/** ws's send options for every frame: no per-message deflate (the server does not offer it anyway). */
const SEND: { binary: false; compress: false; fin: true } = { binary: false, compress: false, fin: true };

/** A subscription's key in the hub: same key, same answers. */
const sharedKey = (access: string, payload: SubscribePayload, query: string): string =>
  `${access}\u0000${payload.operationName ?? ''}\u0000${query}\u0000${canonicalJson(payload.variables ?? {})}`;

/**
 * An unmasked, final text frame (RFC 6455 §5.2) whose payload is `prefix` then `rest`, in one buffer:
 * one write, and `rest` (an event's bytes, shared by every subscriber) is copied, not encoded again.
 */
export function textFrame(prefix: string, rest: Buffer): Buffer {
  const prefixBytes = Buffer.byteLength(prefix);
  const payloadBytes = prefixBytes + rest.byteLength;
  const headerBytes = payloadBytes < 126 ? 2 : payloadBytes < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + payloadBytes);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (headerBytes === 2) frame[1] = payloadBytes;
  else if (headerBytes === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(payloadBytes, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(payloadBytes), 2);
  }
  frame.write(prefix, headerBytes, prefixBytes);
  rest.copy(frame, headerBytes + prefixBytes);
  return frame;
}

const PEER = Symbol('peer');
type PeerSocket = WebSocket & { [PEER]?: { end(code: number, reason: string): void; received: ((data: string) => Promise<void>) | undefined } };

/** What a shared subscription's starter parsed and validated, reused by every later joiner of its key. */
interface Prepared {
  schema: GraphQLSchema;
  document: DocumentNode;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- yoga's server context type is generic over the app's */
export function bindGraphQLWebSocket<TServerContext extends Record<string, any>, TContext extends Record<string, any>>(
  yoga: YogaServerInstance<TServerContext, TContext>,
  wss: WebSocketServer,
  options: WebSocketOptions = {},
): GraphQLWebSocketDispose {
  const keepAliveMs = options.keepAliveMs ?? 12_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  const maxOperations = options.maxOperationsPerSocket ?? DEFAULT_WS_MAX_OPERATIONS;
  const hub: SubscriptionHub = createSubscriptionHub();
  // Per socket, the ids of its queries and mutations being answered: a draining socket waits for them.
  const answering = new WeakMap<WebSocket, Set<string>>();
  let draining = false;
  let tooSlow = 0;
  const closeWhenAnswered = (socket: WebSocket): void => {
    if (!answering.get(socket)?.size) socket.close(DRAIN_CLOSE_CODE, DRAIN_CLOSE_REASON);
  };

  /**
   * One socket, as graphql-ws sees it (its `send`, `close`, `onMessage`) and as its `extra`: the
   * peer's address and viewer. Methods on the prototype: an idle socket holds no closures of ours.
   */
  class Peer {
    viewer: unknown;
    closed: ((code: number, reason: string) => Promise<void>) | undefined;
    ended = false;
    constructor(
      readonly socket: WebSocket,
      readonly protocol: string,
      readonly remoteAddress: string | undefined,
      /**
       * The connection under the WebSocket (the upgrade request's socket), for frames made here: set
       * only when no extension was negotiated, so ws writes each of its own frames to it at once and
       * in order (it queues only while compressing), and ours keep their place between them.
       */
      readonly raw: Duplex | undefined,
    ) {}
    send(data: string): void {
      this.write(data);
    }
    /** Whether a frame may be queued now; past the bound, drops the subscriber (see write). */
    private writable(): boolean {
      const socket = this.socket;
      if (socket.readyState !== socket.OPEN) return false;
      // Past the bound the client is not reading: drop it rather than hold its backlog. Its
      // subscriptions end now; the close frame waits behind the backlog (ws destroys the socket
      // if the client never reads it), so nothing more is queued for it.
      if (socket.bufferedAmount > maxBufferedBytes) {
        tooSlow++;
        socket.close(CLOSE_TOO_SLOW, CLOSE_TOO_SLOW_REASON);
        this.end(CLOSE_TOO_SLOW, CLOSE_TOO_SLOW_REASON);
        return false;
      }
      return true;
    }
    /** Queues a frame, unless the socket is closing or its reader has fallen past the bound. */
    write(frame: string): void {
      // Not awaited: a write is queued in order, and the next event need not wait for the kernel.
      if (this.writable()) this.socket.send(frame, SEND);
    }
    /**
     * Queues a `next` message made of this subscriber's `prefix` and the event's shared bytes, framed
     * here into one buffer (no per-subscriber copy of the payload's text, one write call).
     */
    writeNext(prefix: string, shared: Buffer): void {
      if (!this.writable()) return;
      if (!this.raw) {
        this.socket.send(Buffer.concat([Buffer.from(prefix), shared]), SEND);
        return;
      }
      this.raw.write(textFrame(prefix, shared));
    }
    close(code?: number, reason?: string): void {
      this.socket.close(code, reason);
    }
    onMessage(cb: (data: string) => Promise<void>): void {
      this.received = cb;
      this.socket.on('message', onMessage);
    }
    received: ((data: string) => Promise<void>) | undefined;
    /** graphql-ws's close: ends every subscription of the socket, once. */
    end(code: number, reason: string): void {
      if (this.ended) return;
      this.ended = true;
      void this.closed?.(code, reason);
    }
  }

  /**
   * A shared subscription's subscriber: the hub calls `push` with each result, which writes the
   * `next` frame straight to the socket (the result's JSON is made once per event; only the id is
   * this subscriber's). For graphql-ws it is the subscription's stream, which yields nothing and
   * completes when the shared execution ends; `return` (client's `complete`, socket closed) leaves.
   */
  class SocketMember implements HubMember, AsyncIterableIterator<ExecutionResult> {
    group?: object;
    private done = false;
    private wake: ((r: IteratorResult<ExecutionResult>) => void) | undefined;
    constructor(
      readonly peer: Peer,
      readonly id: string,
    ) {}
    push(payload: SharedPayload): void {
      this.peer.writeNext(`{"id":${JSON.stringify(this.id)},"type":"next","payload":`, (payload.wsTail ??= Buffer.from(`${payload.json}}`)));
    }
    end(): void {
      this.done = true;
      const wake = this.wake;
      this.wake = undefined;
      wake?.(DONE);
    }
    next(): Promise<IteratorResult<ExecutionResult>> {
      return this.done ? Promise.resolve(DONE) : new Promise((resolve) => (this.wake = resolve));
    }
    return(): Promise<IteratorResult<ExecutionResult>> {
      hub.leave(this);
      this.end();
      return Promise.resolve(DONE);
    }
    throw(): Promise<IteratorResult<ExecutionResult>> {
      return this.return();
    }
    [Symbol.asyncIterator](): this {
      return this;
    }
  }

  type Ctx = { connectionParams?: Readonly<Record<string, unknown>>; extra: Peer };
  const envelope = (ctx: Ctx, payload: SubscribePayload, query: string) =>
    yoga.getEnveloped({
      ...ctx,
      req: { socket: { remoteAddress: ctx.extra.remoteAddress } },
      socket: ctx.extra.socket,
      params: { ...payload, query },
      request: undefined,
      connectionParams: ctx.connectionParams,
      viewer: ctx.extra.viewer,
    } as any);
  type Enveloped = ReturnType<typeof envelope>;

  /**
   * graphql-ws's root value for a shared subscription: its `subscribe` joins the hub. graphql-ws keeps
   * it as long as the subscription, so what the join needs is let go once it has joined.
   */
  class SharedRoot {
    constructor(private pending: { key: string; prepared: Prepared; ctx: Ctx; id: string; payload: SubscribePayload; query: string; enveloped: Enveloped | undefined } | undefined) {}
    async subscribe(args: ExecutionArgs): Promise<SocketMember | ExecutionResult> {
      const p = this.pending!;
      this.pending = undefined;
      const member = new SocketMember(p.ctx.extra, p.id);
      // Only the first subscriber of a key makes a context and runs the operation.
      const start: StartShared = async () => {
        const env = p.enveloped ?? envelope(p.ctx, p.payload, p.query);
        const contextValue = await env.contextFactory();
        const result = await env.subscribe({ ...args, contextValue, rootValue: undefined });
        return { result: result as ExecutionResult, recorder: options.multiplex?.recorder?.(contextValue) };
      };
      const failed = await hub.join(p.key, member, start, p.prepared);
      return failed ?? member;
    }
  }
  const sharedArgs = (key: string, prepared: Prepared, ctx: Ctx, id: string, payload: SubscribePayload, query: string, enveloped: Enveloped | undefined): ExecutionArgs => ({
    schema: prepared.schema,
    document: prepared.document,
    operationName: payload.operationName,
    variableValues: payload.variables,
    contextValue: undefined,
    rootValue: new SharedRoot({ key, prepared, ctx, id, payload, query, enveloped }),
  });

  const server = makeServer<Record<string, unknown> | undefined, Peer>({
    onConnect: async (ctx) => {
      if (!options.authenticate) return true;
      const viewer = await options.authenticate(ctx.connectionParams);
      if (viewer === undefined || viewer instanceof Error) return false; // closes with 4403 Forbidden
      ctx.extra.viewer = viewer;
      return true;
    },
    execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
    subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
    onSubscribe: async (ctx, id, payload) => {
      // graphql-ws registers this id before asking, and forgets it when the operation ends (or is refused).
      let running = 0;
      for (const _ in ctx.subscriptions) if (++running > maxOperations) return [tooManyOperations(maxOperations)];
      const query = options.queryOf ? options.queryOf(payload) : payload.query;
      if (query instanceof GraphQLError) return [query];
      const viewer = ctx.extra.viewer;
      const access = options.multiplex ? options.multiplex.accessKey(viewer) : undefined;
      const key = access === undefined ? undefined : sharedKey(access, payload, query);
      // The same text, variables and access as a running shared subscription: parsed, validated
      // and found shareable for its first subscriber already; this one only joins.
      const known = key === undefined ? undefined : (hub.sharedOf(key) as Prepared | undefined);
      if (known) return sharedArgs(key!, known, ctx, id, payload, query, undefined);
      const enveloped = envelope(ctx, payload, query);
      const { schema, execute, subscribe, contextFactory, parse, validate } = enveloped;
      // A bad operation fails alone: thrown here, graphql-ws would close the whole socket (4500)
      // and every other subscription on it.
      let document: DocumentNode;
      try {
        document = parse(query);
      } catch (e) {
        if (e instanceof GraphQLError) return [coded(e, 'GRAPHQL_PARSE_FAILED')];
        throw e;
      }
      let errors: readonly GraphQLError[];
      try {
        errors = validate(schema, document);
      } catch (e) {
        // A limit refused the document mid-validation (src/schema/document-limits.ts): its error is coded.
        if (e instanceof GraphQLError) return [coded(e, 'GRAPHQL_VALIDATION_FAILED')];
        throw e;
      }
      if (errors.length) return errors.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
      const operation = getOperationAST(document, payload.operationName);
      if (key !== undefined && operation?.operation === 'subscription' && shareable(operation)) {
        return sharedArgs(key, { schema, document }, ctx, id, payload, query, enveloped);
      }
      const args: ExecutionArgs = { schema, operationName: payload.operationName, document, variableValues: payload.variables };
      // Counted until answered, unless the drain has begun (then the client sends it again elsewhere).
      if (!draining && operation?.operation !== 'subscription') {
        const socket = ctx.extra.socket;
        answering.set(socket, (answering.get(socket) ?? new Set()).add(id));
      }
      return { ...args, contextValue: await contextFactory(), rootValue: { execute, subscribe } as EnvelopedRoot };
    },
    // Called before graphql-ws sends `complete`; the close frame is queued after it (next turn).
    onComplete: (ctx, id) => {
      const socket = ctx.extra.socket;
      if (answering.get(socket)?.delete(id) && draining) setImmediate(() => closeWhenAnswered(socket));
    },
  });

  wss.options.handleProtocols = handleProtocols;
  // One timer pings every socket; one that has not answered the previous ping is cut.
  const awaitingPong = new WeakSet<WebSocket>();
  const keepAlive =
    keepAliveMs > 0 && Number.isFinite(keepAliveMs)
      ? setInterval(() => {
          for (const socket of wss.clients) {
            if (socket.readyState !== socket.OPEN) continue;
            if (awaitingPong.has(socket)) {
              socket.terminate();
              continue;
            }
            awaitingPong.add(socket);
            socket.ping();
          }
        }, keepAliveMs)
      : undefined;
  keepAlive?.unref();
  const onPong = function (this: WebSocket): void {
    awaitingPong.delete(this);
  };
  // Shared by every socket (`this`), which carries its Peer: no listener closures per socket.
  const onError = function (this: WebSocket): void {
    this.close(CloseCode.InternalServerError, 'Internal server error');
  };
  const onClose = function (this: PeerSocket, code: number, reason: Buffer): void {
    this[PEER]?.end(code, String(reason));
  };
  const onMessage = function (this: PeerSocket, event: unknown): void {
    const received = this[PEER]?.received;
    received?.(String(event)).catch(() => this.close(CloseCode.InternalServerError, 'Internal server error'));
  };

  wss.on('connection', (socket: PeerSocket, request: IncomingMessage) => {
    socket.on('pong', onPong);
    socket.on('error', onError);
    const peer = new Peer(socket, socket.protocol, request.socket.remoteAddress, socket.extensions === '' ? request.socket : undefined);
    socket[PEER] = peer;
    peer.closed = server.opened(peer, peer);
    socket.on('close', onClose);
  });
  const dispose = async (): Promise<void> => {
    if (keepAlive) clearInterval(keepAlive);
    for (const client of wss.clients) client.terminate();
    wss.removeAllListeners('connection');
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
  const drain = async (deadline: Promise<void>): Promise<number> => {
    draining = true;
    const sockets = [...wss.clients];
    const allClosed = Promise.all(sockets.map((s) => new Promise<void>((resolve) => (s.readyState === s.CLOSED ? resolve() : s.once('close', () => resolve())))));
    for (const socket of sockets) closeWhenAnswered(socket);
    const timedOut = await Promise.race([allClosed.then(() => false), deadline.then(() => true)]);
    // Past the deadline an unanswered operation is cut: it is the client's to send again.
    if (timedOut) for (const socket of wss.clients) socket.close(DRAIN_CLOSE_CODE, DRAIN_CLOSE_REASON);
    return sockets.length;
  };
  return Object.assign(dispose, { drain, subscriptions: () => hub.stats(), tooSlow: () => tooSlow });
}

/** graphql-ws on the HTTP server's `path`, with messages capped at WS_MAX_MESSAGE_BYTES. Returns its dispose. */
export function serveGraphQLOverWebSocket<TServerContext extends Record<string, any>, TContext extends Record<string, any>>(
  yoga: YogaServerInstance<TServerContext, TContext>,
  server: Server,
  options: WebSocketOptions & { path: string },
): GraphQLWebSocketDispose {
  return bindGraphQLWebSocket(yoga, new WebSocketServer({ server, path: options.path, maxPayload: WS_MAX_MESSAGE_BYTES }), options);
}
