/**
 * graphql-ws bound to yoga: subscriptions (and queries) over WebSocket on the GraphQL path,
 * running through the same envelop plugins, context and error masking as HTTP requests.
 */
import type { ExecutionArgs } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}

export interface WebSocketOptions {
  /** Ping idle sockets this often, and drop those that do not answer. @default 12000 */
  keepAliveMs?: number;
  /**
   * Called with `connection_init`'s payload; return false to refuse the connection
   * (used by access control to authenticate subscriptions).
   */
  onConnect?: (payload: Record<string, unknown> | undefined) => boolean | Promise<boolean>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- yoga's server context type is generic over the app's */
export function bindGraphQLWebSocket<TContext extends Record<string, any>>(
  yoga: YogaServerInstance<Record<string, never>, TContext>,
  wss: WebSocketServer,
  options: WebSocketOptions = {},
): () => Promise<void> {
  const keepAliveMs = options.keepAliveMs ?? 12_000;
  const disposable = useServer(
    {
      onConnect: async (ctx) => (options.onConnect ? options.onConnect(ctx.connectionParams) : true),
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
        } as any);
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } as EnvelopedRoot,
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
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
