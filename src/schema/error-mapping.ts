/**
 * The one place where failures become what GraphQL clients see, by their type (never their text).
 *
 * - Every failure the gateway names is a `GatewayError` (src/lib/errors.ts) created where it
 *   happens, carrying its `code` and the facts a client may see (`extensions`, `publicMessage`).
 * - Expected failures of mutations are typed results (classes below, registered as GraphQL
 *   object types in errors.ts); `toTypedError` maps an AfterShipError to one of them.
 * - `maskError` is graphql-yoga's `maskedErrors.maskError`, used by the app and the tests alike:
 *   a GatewayError keeps its code and public text; anything else is "Unexpected error." with
 *   code INTERNAL_SERVER_ERROR (the cause is logged by yoga, never shown).
 */
import { GraphQLError, Kind } from 'graphql';
import { AfterShipError, ErrorCode, formatPath } from '../aftership/errors.js';
import { GatewayError, type Fault, type PublicExtensions } from '../lib/errors.js';

const INTERNAL = 'INTERNAL_SERVER_ERROR';

/** Base of the typed mutation errors: a message for people and a code for programs. */
export abstract class UserError extends GatewayError {}

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

  override get extensions(): PublicExtensions {
    return { code: this.code, retryAfterSeconds: this.retryAfterSeconds };
  }
}
export class InvalidInputError extends UserError {
  override readonly name = 'InvalidInputError';
  readonly code = ErrorCode.BadUserInput;
  constructor(
    message: string,
    /** The input field at fault (camelCase, e.g. "notificationReceivers"), when known. */
    readonly field: string | null = null,
  ) {
    super(message);
  }

  override get extensions(): PublicExtensions {
    return { code: this.code, ...(this.field ? { field: this.field } : {}) };
  }
}

/** AfterShip fields whose GraphQL input has another name (AfterShipError.field is AfterShip's, camelCased). */
const INPUT_NAMES: Readonly<Record<string, string>> = {
  customers: 'notificationReceivers',
  courierConnectionId: 'carrierConnectionId',
};

/**
 * Where a field AfterShip refused is in the GraphQL input the client sent, as a path relative to the
 * field's argument (`receivers[0].email`; `inputs[2].originAddress.countryRegion`, the convention of
 * `extensions.field`), or null to fall back to AfterShip's field under its GraphQL name.
 */
export type InputPathOf = (aftershipPath: readonly (string | number)[]) => string | null;

const byInputName: InputPathOf = ([head, ...rest]) =>
  typeof head === 'string' ? formatPath([INPUT_NAMES[head] ?? head, ...rest]) : null;

/** AfterShip's refusal of an input field, told in the client's terms: its message names `path` too. */
export function refusedInput(e: AfterShipError, inputPath: InputPathOf = byInputName): InvalidInputError {
  const refused = e.refusedField;
  const path = refused && (inputPath(refused.path) ?? byInputName(refused.path));
  return refused && path ? new InvalidInputError(refused.before + path + refused.after, path) : new InvalidInputError(e.message, null);
}

/** The typed result for an expected failure, or undefined when `e` is not one. */
export function toTypedError(e: unknown, inputPath?: InputPathOf): UserError | undefined {
  if (e instanceof UserError) return e;
  if (!(e instanceof AfterShipError)) return undefined;
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
      return new RateLimitedError(e.message, e.retryAfterSeconds);
    case ErrorCode.BadUserInput:
      return refusedInput(e, inputPath);
    default:
      return undefined;
  }
}

/** Runs a mutation's AfterShip work, turning expected AfterShip failures into typed results. */
export async function typedErrors<T>(work: () => Promise<T>, inputPath?: InputPathOf): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw toTypedError(e, inputPath) ?? e;
  }
}

/** Stable-coded GraphQLError for any failure; unknown failures get a generic message. */
export function toGraphQLError(e: unknown): GraphQLError {
  if (e instanceof GraphQLError) {
    // A resolver's failure arrives located (path, nodes) around its cause. graphql-js copies the
    // cause's `extensions` onto it, so a coded error may still carry a cause we must map (its
    // message is not necessarily public): the cause decides, before the code is trusted.
    const cause = e.originalError instanceof GatewayError ? e.originalError : undefined;
    if (!cause && e.extensions?.code) return e;
    const inner = e.originalError && !(e.originalError instanceof GraphQLError) ? toGraphQLError(e.originalError) : undefined;
    // Without a cause the request itself is wrong. Yoga (and http/websocket.ts) code syntax and
    // validation errors; what is left without a path comes from execute: variable values that do
    // not fit their type (located at the variable), or an operation that cannot be picked.
    const code = inner
      ? inner.extensions.code
      : e.path
        ? INTERNAL
        : e.nodes?.some((n) => n.kind === Kind.VARIABLE_DEFINITION)
          ? ErrorCode.BadUserInput
          : 'GRAPHQL_VALIDATION_FAILED';
    return new GraphQLError(inner?.message ?? e.message, {
      nodes: e.nodes,
      source: e.source,
      positions: e.positions,
      path: e.path,
      originalError: inner ? (inner.originalError ?? undefined) : e.originalError,
      extensions: inner ? { ...inner.extensions } : { ...e.extensions, code },
    });
  }
  if (e instanceof GatewayError) {
    // An upstream failure keeps its cause (yoga logs it); the gateway's own refusals are expected
    // outcomes with our own text: no cause, or yoga would count them as unexpected (an SSE
    // subscription refused for bad input answered HTTP 500).
    return new GraphQLError(e.publicMessage, { originalError: e instanceof AfterShipError ? e : undefined, extensions: { ...e.extensions } });
  }
  return new GraphQLError('Unexpected error.', {
    originalError: e instanceof Error ? e : undefined,
    extensions: { code: INTERNAL },
  });
}

/**
 * Whose failure `error` is, for the log level (yoga's `logging`, see lib/logger.ts): a named failure
 * says so itself; an unnamed one is ours when it maps to INTERNAL_SERVER_ERROR (a bug), else the
 * request was wrong (syntax, validation, variables).
 */
export function faultOf(error: unknown): Fault {
  let e = error;
  while (e instanceof GraphQLError && e.originalError) e = e.originalError;
  if (e instanceof GatewayError) return e.fault;
  return toGraphQLError(error).extensions.code === INTERNAL ? 'gateway' : 'client';
}

/**
 * graphql-yoga `maskedErrors.maskError`: keeps coded errors (with their path), replaces
 * everything else by "Unexpected error." with code INTERNAL_SERVER_ERROR.
 */
export function maskError(error: unknown, _message?: string, isDev?: boolean): Error {
  const mapped = toGraphQLError(error);
  if (isDev && mapped.extensions.code === INTERNAL && error instanceof Error) {
    return new GraphQLError(mapped.message, {
      nodes: mapped.nodes,
      path: mapped.path,
      originalError: mapped.originalError ?? undefined,
      extensions: { ...mapped.extensions, originalMessage: error.message },
    });
  }
  return mapped;
}
