/**
 * The page's two ways to the gateway: a lookup over HTTP (GraphQL over HTTP, one POST) and a live
 * subscription over graphql-ws, both typed by the generated documents. Failures come back as a
 * `Problem` the page can put into words, never as a code.
 */
import { createClient, type Client } from 'graphql-ws/client';
import type { TypedDocumentString } from './generated/graphql.js';

export interface GatewayConfig {
  /** GraphQL over HTTP, e.g. https://gateway.example.com/graphql. */
  httpUrl: string;
  /** graphql-ws, e.g. wss://gateway.example.com/graphql. */
  wsUrl: string;
  /** The page's lookup-only token; none when the gateway runs open. */
  token?: string;
}

/** Why a request failed, as the page explains it. */
export type Problem =
  | { kind: 'not-found' }
  | { kind: 'courier-not-detected' }
  | { kind: 'rate-limited'; retryAfterSeconds: number | null }
  | { kind: 'network' }
  | { kind: 'refused' }
  | { kind: 'invalid'; message: string }
  | { kind: 'unavailable' };

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.kind);
  }
}

interface WireError {
  message?: string;
  extensions?: { code?: string; retryAfterSeconds?: number | null };
}

/** The gateway's error codes (its README, "Errors"), as problems. */
function problemOf(error: WireError | undefined, retryAfterHeader: string | null): Problem {
  const code = error?.extensions?.code;
  switch (code) {
    case 'NOT_FOUND':
      return { kind: 'not-found' };
    case 'COURIER_NOT_DETECTED':
      return { kind: 'courier-not-detected' };
    case 'RATE_LIMITED':
    case 'OVERLOADED': {
      const fromHeader = retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : null;
      const seconds = error?.extensions?.retryAfterSeconds;
      return { kind: 'rate-limited', retryAfterSeconds: typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds) : fromHeader };
    }
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
      return { kind: 'refused' };
    case 'BAD_USER_INPUT':
    case 'INVALID_TRACKING_NUMBER':
      return { kind: 'invalid', message: error?.message ?? 'That tracking number is not valid.' };
    default:
      return { kind: 'unavailable' };
  }
}

const authHeaders = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/** One query over HTTP; resolves with its data, or rejects with a ProblemError. */
export async function query<R, V>(config: GatewayConfig, document: TypedDocumentString<R, V>, variables: V, signal?: AbortSignal): Promise<R> {
  let response: Response;
  try {
    response = await fetch(config.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authHeaders(config.token) },
      body: JSON.stringify({ query: document.toString(), variables }),
      signal,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ProblemError({ kind: 'network' });
  }
  let body: { data?: R | null; errors?: WireError[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not GraphQL: a proxy's error page, or the connection dropped mid-answer.
    throw new ProblemError(response.status === 429 ? problemOf({ extensions: { code: 'RATE_LIMITED' } }, response.headers.get('retry-after')) : { kind: 'network' });
  }
  if (body.errors?.length) throw new ProblemError(problemOf(body.errors[0], response.headers.get('retry-after')));
  if (!response.ok || !body.data) throw new ProblemError({ kind: 'unavailable' });
  return body.data;
}

/** The live connection as the customer sees it. */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface Live {
  /** Follows one operation; returns the function that stops following it. */
  follow<R, V>(document: TypedDocumentString<R, V>, variables: V, sink: { next(data: R): void; problem(p: Problem): void }): () => void;
  dispose(): void;
}

/** Attempts after a lost connection before the page says it is offline: about 2 minutes of back-off. */
export const RETRY_ATTEMPTS = 20;

/** Exponential back-off with jitter, 0.5 s doubling up to 8 s, so a restarted gateway is not stampeded. */
export function retryDelayMs(retries: number, random = Math.random): number {
  return Math.min(8_000, 500 * 2 ** retries) * (0.75 + random() / 2);
}

/**
 * graphql-ws with retries: `onState` drives the page's Live / Reconnecting… line, and `onConnected`
 * runs after every (re)connection, so the page can re-query what it may have missed while away.
 */
export function createLive(config: GatewayConfig, onState: (state: LiveState) => void, onConnected: () => void): Live {
  let following = 0;
  const client: Client = createClient({
    url: config.wsUrl,
    connectionParams: () => (config.token ? { Authorization: `Bearer ${config.token}` } : {}),
    retryAttempts: RETRY_ATTEMPTS,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
    // Any lost connection is worth retrying: a deploy, a proxy's idle timeout, a phone changing networks.
    shouldRetry: () => true,
    on: {
      connecting: (isRetry) => onState(isRetry ? 'reconnecting' : 'connecting'),
      connected: () => {
        onState('live');
        onConnected();
      },
      // Closed while something is followed: graphql-ws is about to retry (or gives up: see `problem`).
      closed: () => {
        if (following > 0) onState('reconnecting');
      },
    },
  });
  return {
    follow<R, V>(document: TypedDocumentString<R, V>, variables: V, sink: { next(data: R): void; problem(p: Problem): void }) {
      following++;
      let stopped = false;
      const stop = client.subscribe(
        { query: document.toString(), variables: variables as Record<string, unknown> },
        {
          next: ({ data, errors }) => {
            if (stopped) return;
            if (errors?.length) sink.problem(problemOf(errors[0] as WireError, null));
            else if (data) sink.next(data as R);
          },
          error: (e) => {
            if (stopped) return;
            // GraphQL errors (an array) refuse the operation; anything else means the retries ran out.
            if (Array.isArray(e)) sink.problem(problemOf(e[0] as WireError, null));
            else onState('offline');
          },
          complete: () => undefined,
        },
      );
      return () => {
        if (stopped) return;
        stopped = true;
        following--;
        stop();
      };
    },
    dispose: () => void client.dispose(),
  };
}
