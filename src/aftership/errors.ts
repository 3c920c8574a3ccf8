/**
 * One error type for everything that can go wrong talking to AfterShip, and what of it a client
 * may see. The GraphQL layer maps it to `extensions.code` and to typed mutation results by `code`.
 */
import { GatewayError, type Fault, type PublicExtensions } from '../lib/errors.js';

/** What went wrong, in the gateway's words (stable: frontends switch on these). */
export const ErrorCode = {
  /** The tracking, courier or connection does not exist (HTTP 404, meta 4004). */
  NotFound: 'NOT_FOUND',
  /** A tracking with this slug and number already exists (meta 4003). */
  AlreadyExists: 'ALREADY_EXISTS',
  /** The tracking number is not valid or not in a valid format (meta 4005, 4017). */
  InvalidTrackingNumber: 'INVALID_TRACKING_NUMBER',
  /** No courier could be detected for the number (meta 4012). */
  CourierNotDetected: 'COURIER_NOT_DETECTED',
  /** Retrack refused: the tracking is still active, or was retracked too often (meta 4013, 4016). */
  RetrackNotAllowed: 'RETRACK_NOT_ALLOWED',
  /** Any other request AfterShip refused as invalid (HTTP 400 family). */
  BadUserInput: 'BAD_USER_INPUT',
  /** Over the rate budget: the request could not be sent in time. Carries `retryAfterMs`. */
  RateLimited: 'RATE_LIMITED',
  /** AfterShip refused our credentials (HTTP 401). */
  Unauthenticated: 'UPSTREAM_UNAUTHENTICATED',
  /** AfterShip refused the operation for this account (HTTP 403). */
  Forbidden: 'UPSTREAM_FORBIDDEN',
  /** AfterShip failed, timed out, or the circuit breaker is open. */
  UpstreamUnavailable: 'UPSTREAM_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface AfterShipErrorInit {
  code: ErrorCode;
  message: string;
  /** AfterShip's `meta.code` (e.g. 4003), when AfterShip answered. */
  metaCode?: number;
  /** HTTP status AfterShip answered with, when it answered. */
  httpStatus?: number;
  /** When a retry may succeed, in milliseconds from now. */
  retryAfterMs?: number;
  /** The endpoint, e.g. "GET /trackings/:id" (never a full URL with secrets). */
  endpoint?: string;
  /**
   * Where in the caller's list the first item AfterShip was sent stands, when the client split the
   * list into batches: AfterShip numbers the items of its batch (`estimated_delivery_dates[2]`).
   */
  itemOffset?: number;
  cause?: unknown;
}

/** The input field AfterShip refused, read from its message (see refusedFieldOf). */
export interface RefusedField {
  /** camelCase path, list indices as numbers: ['estimatedDeliveryDates', 3, 'originAddress', 'countryRegion']. */
  readonly path: readonly (string | number)[];
  /** AfterShip's message around the field name, so a path in the client's terms can take its place. */
  readonly before: string;
  readonly after: string;
}

export class AfterShipError extends GatewayError {
  override readonly name = 'AfterShipError';
  readonly code: ErrorCode;
  readonly metaCode?: number;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly endpoint?: string;
  readonly itemOffset: number;
  private readonly init: AfterShipErrorInit;

  constructor(init: AfterShipErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.metaCode = init.metaCode;
    this.httpStatus = init.httpStatus;
    this.retryAfterMs = init.retryAfterMs;
    this.endpoint = init.endpoint;
    this.itemOffset = init.itemOffset ?? 0;
    this.init = init;
  }

  /** The same failure for a batch that started at item `offset` of the caller's list. */
  atItemOffset(offset: number): AfterShipError {
    return offset === 0 ? this : new AfterShipError({ ...this.init, itemOffset: this.itemOffset + offset });
  }

  /** The field AfterShip refused, for BAD_USER_INPUT, list indices counted in the caller's list. */
  get refusedField(): RefusedField | null {
    if (this.code !== ErrorCode.BadUserInput) return null;
    const found = refusedFieldOf(this.message);
    if (!found || this.itemOffset === 0 || typeof found.path[1] !== 'number') return found;
    return { ...found, path: [found.path[0], found.path[1] + this.itemOffset, ...found.path.slice(2)] };
  }

  /** The caller's list item AfterShip refused (`estimated_delivery_dates[3]...` gives 3); null when none. */
  get refusedItem(): number | null {
    const at = this.refusedField?.path[1];
    return typeof at === 'number' ? at : null;
  }

  /** Whole seconds after which a retry may succeed; null when unknown. */
  get retryAfterSeconds(): number | null {
    return this.retryAfterMs === undefined ? null : Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }

  /** The input field AfterShip refused (camelCase), for BAD_USER_INPUT; null when it did not say. */
  get field(): string | null {
    const refused = this.refusedField;
    return refused ? formatPath(refused.path) : null;
  }

  override get extensions(): PublicExtensions {
    return {
      code: this.code,
      ...(this.metaCode !== undefined && { aftershipCode: this.metaCode }),
      ...(this.code === ErrorCode.RateLimited && { retryAfterSeconds: this.retryAfterSeconds }),
      ...(this.code === ErrorCode.BadUserInput && { field: this.field }),
    };
  }

  /** AfterShip down is upstream's; AfterShip refusing our credentials is ours; the rest answers the caller's request. */
  override get fault(): Fault {
    if (this.code === ErrorCode.UpstreamUnavailable) return 'upstream';
    if (this.code === ErrorCode.Unauthenticated || this.code === ErrorCode.Forbidden) return 'gateway';
    return 'client';
  }

  /** Upstream credential problems are the gateway's, not the caller's: AfterShip's text is not echoed. */
  override get publicMessage(): string {
    if (this.code === ErrorCode.Unauthenticated || this.code === ErrorCode.Forbidden) {
      return 'AfterShip refused the gateway\'s credentials for this operation.';
    }
    return this.code === ErrorCode.UpstreamUnavailable ? `AfterShip is unavailable: ${this.message}` : this.message;
  }
}

const snakeToCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `['customers', 1, 'email']` as `customers[1].email`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * AfterShip names the bad field only in its own message text ("The value of slug is invalid.",
 * "order_id is required.", "The value of estimated_delivery_dates[0].origin_address.country_region
 * is invalid."). The one place that reads it; schema/error-mapping.ts maps the path to the client's.
 */
export function refusedFieldOf(message: string): RefusedField | null {
  const m =
    /also required: ([a-z0-9_]+)/i.exec(message) ??
    /`([a-zA-Z0-9_.[\]]+)`/.exec(message) ??
    /value of ([a-z][a-z0-9_]*(?:\[\d+\]|\.[a-z][a-z0-9_]*)*)/i.exec(message) ??
    /\[([a-zA-Z0-9_.]+)\]/.exec(message) ??
    /^([a-z0-9_]+) is required/i.exec(message);
  if (!m) return null;
  const start = m.index + m[0].indexOf(m[1]);
  const path = [...snakeToCamel(m[1]).matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((t) => (t[1] !== undefined ? Number(t[1]) : t[2]));
  return { path, before: message.slice(0, start), after: message.slice(start + m[1].length) };
}

/** The refused field as one camelCase path (`customers[1].email`); null when AfterShip did not say. */
export function fieldFromMessage(message: string): string | null {
  const refused = refusedFieldOf(message);
  return refused ? formatPath(refused.path) : null;
}

export function isAfterShipError(e: unknown): e is AfterShipError {
  return e instanceof AfterShipError;
}

/** Maps AfterShip's HTTP status and meta code to the gateway's error code. */
export function codeForResponse(httpStatus: number, metaCode: number | undefined): ErrorCode {
  switch (metaCode) {
    case 4003:
      return ErrorCode.AlreadyExists;
    case 4004:
      return ErrorCode.NotFound;
    case 4005:
    case 4007:
    case 4017:
      return ErrorCode.InvalidTrackingNumber;
    case 4012:
      return ErrorCode.CourierNotDetected;
    case 4013:
    case 4016:
      return ErrorCode.RetrackNotAllowed;
  }
  if (httpStatus === 404) return ErrorCode.NotFound;
  if (httpStatus === 401) return ErrorCode.Unauthenticated;
  if (httpStatus === 403) return ErrorCode.Forbidden;
  if (httpStatus === 429) return ErrorCode.RateLimited;
  if (httpStatus >= 500) return ErrorCode.UpstreamUnavailable;
  return ErrorCode.BadUserInput;
}
