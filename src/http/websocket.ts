/**
 * graphql-ws bound to yoga: subscriptions (and queries) over WebSocket on the GraphQL path,
 * running through the same envelop plugins, context and error masking as HTTP requests.
 */
import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import type { OperationResult, SubscribePayload } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

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
}

/** The error with a stable `extensions.code`, as yoga answers the same failure over HTTP. */
const coded = (e: GraphQLError, code: string): GraphQLError =>
  e.extensions?.code ? e : new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { ...e.extensions, code } });

/* eslint-disable @typescript-eslint/no-explicit-any -- yoga's server context type is generic over the app's */
export function bindGraphQLWebSocket<TServerContext extends Record<string, any>, TContext extends Record<string, any>>(
  yoga: YogaServerInstance<TServerContext, TContext>,
  wss: WebSocketServer,
  options: WebSocketOptions = {},
): GraphQLWebSocketDispose {
  const keepAliveMs = options.keepAliveMs ?? 12_000;
  const viewers = new WeakMap<object, unknown>();
  // Per socket, the ids of its queries and mutations being answered: a draining socket waits for them.
  const answering = new WeakMap<WebSocket, Set<string>>();
  let draining = false;
  const closeWhenAnswered = (socket: WebSocket): void => {
    if (!answering.get(socket)?.size) socket.close(DRAIN_CLOSE_CODE, DRAIN_CLOSE_REASON);
  };
  const disposable = useServer(
    {
      onConnect: async (ctx) => {
        if (!options.authenticate) return true;
        const viewer = await options.authenticate(ctx.connectionParams);
        if (viewer === undefined || viewer instanceof Error) return false; // closes with 4403 Forbidden
        viewers.set(ctx.extra, viewer);
        return true;
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, id, payload) => {
        const query = options.queryOf ? options.queryOf(payload) : payload.query;
        if (query instanceof GraphQLError) return [query];
        const request = ctx.extra.request;
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: request,
          socket: ctx.extra.socket,
          params: { ...payload, query },
          request: undefined,
          connectionParams: ctx.connectionParams,
          viewer: viewers.get(ctx.extra),
        } as any);
        // A bad operation fails alone: thrown here, graphql-ws would close the whole socket (4500)
        // and every other subscription on it.
        let document: DocumentNode;
        try {
          document = parse(query);
        } catch (e) {
          if (e instanceof GraphQLError) return [coded(e, 'GRAPHQL_PARSE_FAILED')];
          throw e;
        }
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } as EnvelopedRoot,
        };
        let errors: readonly GraphQLError[];
        try {
          errors = validate(args.schema, args.document);
        } catch (e) {
          // A limit refused the document mid-validation (src/schema/document-limits.ts): its error is coded.
          if (e instanceof GraphQLError) return [coded(e, 'GRAPHQL_VALIDATION_FAILED')];
          throw e;
        }
        if (errors.length) return errors.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
        // Counted until answered, unless the drain has begun (then the client sends it again elsewhere).
        if (!draining && getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
          const socket = ctx.extra.socket;
          answering.set(socket, (answering.get(socket) ?? new Set()).add(id));
        }
        return args;
      },
      // Called before graphql-ws sends `complete`; the close frame is queued after it (next turn).
      onComplete: (ctx, id) => {
        const socket = ctx.extra.socket;
        if (answering.get(socket)?.delete(id) && draining) setImmediate(() => closeWhenAnswered(socket));
      },
    },
    wss,
    keepAliveMs,
  );

  const dispose = async (): Promise<void> => {
    for (const client of wss.clients) client.terminate();
    await disposable.dispose();
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
  return Object.assign(dispose, { drain });
}

/** graphql-ws on the HTTP server's `path`, with messages capped at WS_MAX_MESSAGE_BYTES. Returns its dispose. */
export function serveGraphQLOverWebSocket<TServerContext extends Record<string, any>, TContext extends Record<string, any>>(
  yoga: YogaServerInstance<TServerContext, TContext>,
  server: Server,
  options: WebSocketOptions & { path: string },
): GraphQLWebSocketDispose {
  return bindGraphQLWebSocket(yoga, new WebSocketServer({ server, path: options.path, maxPayload: WS_MAX_MESSAGE_BYTES }), options);
}
