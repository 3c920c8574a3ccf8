/**
 * The base of every failure the gateway names. A module creates its own subclass where the failure
 * happens (AfterShipError in aftership/, ScopeRefusedError and OAuthConnectionError in auth/, the
 * cost guard's QueryRefusedError...), with a stable `code` and the facts a client may see. The
 * GraphQL layer maps them in one place (schema/error-mapping.ts) by their type, never by reading
 * their message: rewording a message changes no contract.
 */

/** What a client may see beside the message: the code plus safe facts (no secrets, no foreign text). */
export type PublicExtensions = { readonly code: string } & Readonly<Record<string, unknown>>;

/**
 * Whose failure it is, which decides how it is logged: `client` (the caller's mistake or its limits:
 * debug, rate-limited), `upstream` (AfterShip or an identity provider failed: warn, rate-limited),
 * `gateway` (ours to fix, e.g. wrong credentials or a bug: error).
 */
export type Fault = 'client' | 'upstream' | 'gateway';

export abstract class GatewayError extends Error {
  /** Stable and machine-readable: clients switch on it (`extensions.code`). */
  abstract readonly code: string;

  /** `extensions` of the GraphQL error: `code` plus what the subclass adds (e.g. `requiredScopes`). */
  get extensions(): PublicExtensions {
    return { code: this.code };
  }

  /** The text a client may see; the message is ours unless a subclass says otherwise. */
  get publicMessage(): string {
    return this.message;
  }

  /** Whose failure this is (see Fault); most named failures are the caller's. */
  get fault(): Fault {
    return 'client';
  }
}

/** A start-up configuration problem: one line per wrong variable, all reported together. */
export class ConfigError extends GatewayError {
  override readonly name = 'ConfigError';
  readonly code = 'INVALID_CONFIGURATION';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  override get fault(): Fault {
    return 'gateway';
  }
}
