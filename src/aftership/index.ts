/** The AfterShip client's public surface (import from here or from the individual modules). */
export { createAfterShipClient, type AfterShipClientOptions } from './client.js';
export type { AfterShipAuth } from './auth.js';
export {
  createRateBudget,
  createMemoryBudgetStore,
  type RateBudget,
  type RateBudgetOptions,
  type RateBudgetStats,
  type Permit,
  type AcquireOptions,
  type BudgetStore,
  type BudgetWindow,
  type AcquireResult,
} from './rate-budget.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryClass } from './retry.js';
export type { CircuitState } from './circuit-breaker.js';
export { signHmacSha256, signString, canonicalQuery, rfc1123, contentMd5 } from './signing.js';
export { AfterShipError, ErrorCode, isAfterShipError, codeForResponse } from './errors.js';
export type { AfterShipClient, CallOptions, Priority, ClientStats, EndpointStats } from './types.js';
