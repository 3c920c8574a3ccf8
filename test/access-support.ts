/**
 * Helpers for the access-control tests (test/access-*.test.ts): POSTs with a bearer token, a
 * graphql-ws client that reports how its connection ended, and "one AfterShip host, several
 * organisations": a fetch for the gateway that sends each request to the sandbox of the
 * organisation its credentials belong to (a sandbox emulates one organisation), recording what
 * AfterShip was sent.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphQLResponse } from './helpers/gateway.js';

export interface SentToAfterShip {
  url: string;
  /** The organisation (sandbox) the request went to. */
  org: string;
  apiKey: string | null;
  authorization: string | null;
}

export interface OrgRouter {
  fetch: typeof fetch;
  sent: SentToAfterShip[];
}

/**
 * Requests are sent to `orgs[name].url` when their `as-api-key` is that org's key, or when they
 * carry `Authorization: Bearer` and the org's `ownsBearer` accepts the token; anything else
 * (OAuth token endpoint, unknown credentials) goes where it was addressed.
 */
export function createOrgRouter(orgs: Record<string, { url: string; apiKey?: string; ownsBearer?: (token: string) => boolean }>): OrgRouter {
  const sent: SentToAfterShip[] = [];
  const routed: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const original = new URL(request.url);
    const apiKey = request.headers.get('as-api-key');
    const authorization = request.headers.get('authorization');
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const org = Object.entries(orgs).find(([, o]) => (apiKey !== null && apiKey === o.apiKey) || (bearer !== undefined && (o.ownsBearer?.(bearer) ?? false)));
    if (!org || !original.pathname.startsWith('/tracking/')) return fetch(request);
    const target = new URL(original.pathname + original.search, org[1].url);
    sent.push({ url: target.toString(), org: org[0], apiKey, authorization });
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    return fetch(target, { method: request.method, headers: request.headers, body, signal: request.signal, redirect: 'manual' });
  };
  return { fetch: routed, sent };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** POST /graphql with optional headers; the raw status and headers too. */
export async function post<T = Record<string, unknown>>(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: GraphQLResponse<T> }> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse<T> };
}

export interface WsSubscription<T> {
  /** Events received so far. */
  events: T[];
  /** Errors the server sent for the operation (e.g. FORBIDDEN). */
  errors: { message: string; extensions?: Record<string, unknown> }[];
  /** Close code when the server closed the socket (4403: connection refused). */
  closeCode?: number;
  /** Resolves when the operation ended (complete, error or close). */
  done: Promise<void>;
}

export interface WsClient {
  client: Client;
  subscribe<T>(query: string, variables?: Record<string, unknown>): WsSubscription<T>;
  /** Resolves once the server acknowledged connection_init. */
  connected: Promise<void>;
  dispose(): Promise<void>;
}

/** A graphql-ws client whose connection_init carries `connectionParams` (e.g. { Authorization: 'Bearer …' }). */
export function wsClient(wsUrl: string, connectionParams?: Record<string, unknown>): WsClient {
  let closeCode: number | undefined;
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams,
    on: {
      connected: () => onConnected(),
      closed: (e) => {
        closeCode = (e as { code?: number }).code;
      },
    },
  });
  return {
    client,
    connected,
    subscribe<T>(query: string, variables: Record<string, unknown> = {}) {
      const sub: WsSubscription<T> = { events: [], errors: [], done: Promise.resolve() };
      sub.done = new Promise<void>((resolve) => {
        client.subscribe<T>(
          { query, variables },
          {
            next: (value) => {
              if (value.errors) sub.errors.push(...(value.errors as WsSubscription<T>['errors']));
              if (value.data) sub.events.push(value.data as T);
            },
            error: (e) => {
              if (Array.isArray(e)) sub.errors.push(...(e as WsSubscription<T>['errors']));
              sub.closeCode = closeCode ?? (e as { code?: number }).code;
              resolve();
            },
            complete: () => resolve(),
          },
        );
      });
      return sub;
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}

/** Polls `cond` every 10 ms (for at most 3 s of real time). */
export async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
