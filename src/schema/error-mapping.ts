/**
 * The one place where failures become what GraphQL clients see.
 *
 * - Expected failures of mutations are typed results (classes below, registered as GraphQL
 *   object types in errors.ts); `toTypedError` maps an AfterShipError to one of them.
 * - Everything else becomes a GraphQLError with a stable `extensions.code` (`toGraphQLError`);
 *   `maskError` is the same mapping shaped as graphql-yoga's `maskedErrors.maskError`, so
 *   unexpected internals never leak (their message is replaced, the cause is logged by yoga).
 */
import { GraphQLError } from 'graphql';
import { AfterShipError, ErrorCode, isAfterShipError } from '../aftership/errors.js';

/** `extensions.code` values the gateway itself produces (beside AfterShipError codes). */
export const GatewayErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  QueryTooExpensive: 'QUERY_TOO_EXPENSIVE',
  QueryTooDeep: 'QUERY_TOO_DEEP',
  /** The caller's token lacks the scope a field needs (`extensions.requiredScopes`). */
  Forbidden: 'FORBIDDEN',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;

/** Base of the typed mutation errors: a message for people and a code for programs. */
export abstract class UserError extends Error {
  abstract readonly code: string;
}

export class NotFoundError extends UserError {
  override readonly name = 'NotFoundError';
  readonly code = ErrorCode.NotFound;
}
export class AlreadyExistsError extends UserError {
  override readonly name = 'AlreadyExistsError';
  readonly code = ErrorCode.AlreadyExists;
}
export class InvalidTrackingNumberError extends UserError {
  override readonly name = 'InvalidTrackingNumberError';
  readonly code = ErrorCode.InvalidTrackingNumber;
}
export class CourierNotDetectedError extends UserError {
  override readonly name = 'CourierNotDetectedError';
  readonly code = ErrorCode.CourierNotDetected;
}
export class RetrackNotAllowedError extends UserError {
  override readonly name = 'RetrackNotAllowedError';
  readonly code = ErrorCode.RetrackNotAllowed;
}
export class RateLimitedError extends UserError {
  override readonly name = 'RateLimitedError';
  readonly code = ErrorCode.RateLimited;
  constructor(
    message: string,
    /** Whole seconds after which a retry may succeed; null when unknown. */
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}
export class InvalidInputError extends UserError {
  override readonly name = 'InvalidInputError';
  readonly code = GatewayErrorCode.BadUserInput;
  constructor(
    message: string,
    /** The input field at fault (camelCase, e.g. "customers"), when known. */
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

const snakeToCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** AfterShip names the bad field in its message ("The value of slug is invalid.", "order_id is required."). */
export function fieldFromMessage(message: string): string | null {
  const m =
    /also required: ([a-z0-9_]+)/i.exec(message) ??
    /`([a-zA-Z0-9_.[\]]+)`/.exec(message) ??
    /\[([a-zA-Z0-9_.]+)\]/.exec(message) ??
    /value of ([a-z0-9_]+)/i.exec(message) ??
    /^([a-z0-9_]+) is required/i.exec(message);
  return m ? snakeToCamel(m[1]) : null;
}

function retryAfterSeconds(e: AfterShipError): number | null {
  return e.retryAfterMs === undefined ? null : Math.max(1, Math.ceil(e.retryAfterMs / 1000));
}

/** The typed result for an expected failure, or undefined when `e` is not one. */
export function toTypedError(e: unknown): UserError | undefined {
  if (e instanceof UserError) return e;
  if (!isAfterShipError(e)) return undefined;
  switch (e.code) {
    case ErrorCode.NotFound:
      return new NotFoundError(e.message);
    case ErrorCode.AlreadyExists:
      return new AlreadyExistsError(e.message);
    case ErrorCode.InvalidTrackingNumber:
      return new InvalidTrackingNumberError(e.message);
    case ErrorCode.CourierNotDetected:
      return new CourierNotDetectedError(e.message);
    case ErrorCode.RetrackNotAllowed:
      return new RetrackNotAllowedError(e.message);
    case ErrorCode.RateLimited:
      return new RateLimitedError(e.message, retryAfterSeconds(e));
    case ErrorCode.BadUserInput:
      return new InvalidInputError(e.message, fieldFromMessage(e.message));
    default:
      return undefined;
  }
}

/** Runs a mutation's AfterShip work, turning expected AfterShip failures into typed results. */
export async function typedErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw toTypedError(e) ?? e;
  }
}

export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: GatewayErrorCode.BadUserInput, ...(field ? { field } : {}) } });
}

const GUARD_REFUSAL = /^Access denied: "[^"]*" lacks the scope (aftership:[a-z_]+:(?:read|write)) needed for /;
const OAUTH_CONNECTION = /AfterShip OAuth (?:connection for account|account) [A-Za-z0-9_.-]+ [^;]{1,40}; (?:re)?connect (?:it )?at (\/oauth\/aftership\/start\?account=[A-Za-z0-9_.%-]+)/;

/**
 * Refusals the gateway itself decided, whose text is ours and safe to show (unlike AfterShip's
 * answers about our credentials): a scope the caller lacks (src/auth/scope-guard.ts, never sent to
 * AfterShip) and an OAuth account that must be (re)connected (src/auth/oauth-tokens.ts).
 */
function gatewayAuthRefusal(e: AfterShipError): GraphQLError | undefined {
  if (e.code === ErrorCode.Forbidden && e.httpStatus === undefined && e.metaCode === undefined) {
    const m = GUARD_REFUSAL.exec(e.message);
    if (m) return new GraphQLError(e.message, { originalError: e, extensions: { code: GatewayErrorCode.Forbidden, requiredScopes: [m[1]] } });
  }
  if (e.code === ErrorCode.Unauthenticated && e.metaCode === undefined) {
    const m = OAUTH_CONNECTION.exec(e.message);
    if (m) return new GraphQLError(m[0], { originalError: e, extensions: { code: e.code, connectUrl: m[1] } });
  }
  return undefined;
}

/** Stable-coded GraphQLError for any failure; unknown failures get a generic message. */
export function toGraphQLError(e: unknown): GraphQLError {
  if (e instanceof GraphQLError) {
    if (e.extensions?.code) return e;
    const inner = e.originalError && !(e.originalError instanceof GraphQLError) ? toGraphQLError(e.originalError) : undefined;
    // Without a path the request itself is wrong: syntax, validation, or variable values.
    const code = inner
      ? inner.extensions.code
      : e.message.startsWith('Syntax Error')
        ? 'GRAPHQL_PARSE_FAILED'
        : e.message.startsWith('Variable "$')
          ? GatewayErrorCode.BadUserInput
          : e.path
            ? GatewayErrorCode.Internal
            : 'GRAPHQL_VALIDATION_FAILED';
    return new GraphQLError(inner?.message ?? e.message, {
      nodes: e.nodes,
      source: e.source,
      positions: e.positions,
      path: e.path,
      originalError: inner ? (inner.originalError ?? undefined) : e.originalError,
      extensions: { ...e.extensions, ...inner?.extensions, code },
    });
  }
  if (isAfterShipError(e)) {
    const local = gatewayAuthRefusal(e);
    if (local) return local;
    const extensions: Record<string, unknown> = { code: e.code };
    if (e.metaCode !== undefined) extensions.aftershipCode = e.metaCode;
    if (e.code === ErrorCode.RateLimited) extensions.retryAfterSeconds = retryAfterSeconds(e);
    if (e.code === ErrorCode.BadUserInput) extensions.field = fieldFromMessage(e.message);
    // Upstream credentials problems are ours, not the caller's: do not echo AfterShip's text.
    const message =
      e.code === ErrorCode.Unauthenticated || e.code === ErrorCode.Forbidden
        ? 'AfterShip refused the gateway\'s credentials for this operation.'
        : e.code === ErrorCode.UpstreamUnavailable
          ? `AfterShip is unavailable: ${e.message}`
          : e.message;
    return new GraphQLError(message, { originalError: e, extensions });
  }
  if (e instanceof UserError) {
    const extensions: Record<string, unknown> = { code: e.code };
    if (e instanceof RateLimitedError) extensions.retryAfterSeconds = e.retryAfterSeconds;
    if (e instanceof InvalidInputError && e.field) extensions.field = e.field;
    // No originalError: these are expected outcomes with our own text. Yoga counts an error that
    // wraps a non-GraphQL error as unexpected, and answers a failed SSE subscription with HTTP 500.
    return new GraphQLError(e.message, { extensions });
  }
  return new GraphQLError('Unexpected error.', {
    originalError: e instanceof Error ? e : undefined,
    extensions: { code: GatewayErrorCode.Internal },
  });
}

/**
 * graphql-yoga `maskedErrors.maskError`: keeps coded errors (with their path), replaces
 * everything else by "Unexpected error." with code INTERNAL_SERVER_ERROR.
 */
export function maskError(error: unknown, _message?: string, isDev?: boolean): Error {
  const mapped = toGraphQLError(error);
  if (isDev && mapped.extensions.code === GatewayErrorCode.Internal && error instanceof Error) {
    return new GraphQLError(mapped.message, {
      nodes: mapped.nodes,
      path: mapped.path,
      originalError: mapped.originalError ?? undefined,
      extensions: { ...mapped.extensions, originalMessage: error.message },
    });
  }
  return mapped;
}
