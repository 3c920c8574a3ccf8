/**
 * graphql-ws bound to yoga: subscriptions (and queries) over WebSocket on the GraphQL path,
 * running through the same envelop plugins, context and error masking as HTTP requests.
 */
import { GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';

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
}

/** The error with a stable `extensions.code`, as yoga answers the same failure over HTTP. */
const coded = (e: GraphQLError, code: string): GraphQLError =>
  e.extensions?.code ? e : new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { ...e.extensions, code } });

/* eslint-disable @typescript-eslint/no-explicit-any -- yoga's server context type is generic over the app's */
export function bindGraphQLWebSocket<TServerContext extends Record<string, any>, TContext extends Record<string, any>>(
  yoga: YogaServerInstance<TServerContext, TContext>,
  wss: WebSocketServer,
  options: WebSocketOptions = {},
): () => Promise<void> {
  const keepAliveMs = options.keepAliveMs ?? 12_000;
  const viewers = new WeakMap<object, unknown>();
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
      onSubscribe: async (ctx, _id, payload) => {
        const request = ctx.extra.request;
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: request,
          socket: ctx.extra.socket,
          params: payload,
          request: undefined,
          connectionParams: ctx.connectionParams,
          viewer: viewers.get(ctx.extra),
        } as any);
        // A bad operation fails alone: thrown here, graphql-ws would close the whole socket (4500)
        // and every other subscription on it.
        let document: DocumentNode;
        try {
          document = parse(payload.query);
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
        return args;
      },
    },
    wss,
    keepAliveMs,
  );

  return async () => {
    for (const client of wss.clients) client.terminate();
    await disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}

/** graphql-ws on the HTTP server's `path`, with messages capped at WS_MAX_MESSAGE_BYTES. Returns its dispose. */
export function serveGraphQLOverWebSocket<TServerContext extends Record<string, any>, TContext extends Record<string, any>>(
  yoga: YogaServerInstance<TServerContext, TContext>,
  server: Server,
  options: WebSocketOptions & { path: string },
): () => Promise<void> {
  return bindGraphQLWebSocket(yoga, new WebSocketServer({ server, path: options.path, maxPayload: WS_MAX_MESSAGE_BYTES }), options);
}
