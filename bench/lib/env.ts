/** Credentials the bench gives its sandbox and gateway (loopback only; never real secrets). */
import { READ_SCOPES, SCOPES } from '../../src/auth/scopes.js';

export const BENCH_API_KEY = 'bench-api-key-0001';
export const BENCH_WEBHOOK_SECRET = 'bench-webhook-secret-0001';
/** A gateway API token holding every scope, as a production client would send it. */
export const BENCH_TOKEN = 'bench-gateway-token-0123456789abcdef0123';

export const AUTH_HEADER = { authorization: `Bearer ${BENCH_TOKEN}` };

/** Scope sets of the rotating tokens: each holds what the order page needs (tracking and courier read). */
const ROTATING_SCOPE_SETS: readonly (readonly string[])[] = [
  SCOPES,
  READ_SCOPES,
  ['aftership:tracking:read', 'aftership:courier:read'],
  [...READ_SCOPES, 'aftership:tracking:write'],
];

/** `count` more gateway API tokens, as many clients would hold them: scope sets taken in turn from ROTATING_SCOPE_SETS. */
export function rotatingTokens(count: number): { name: string; token: string; scopes: string[] }[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `bench-client-${i}`,
    token: `bench-rotating-token-${String(i).padStart(6, '0')}-0123456789abcdef`,
    scopes: [...ROTATING_SCOPE_SETS[i % ROTATING_SCOPE_SETS.length]],
  }));
}

export const ROTATING_SCOPE_SET_COUNT = ROTATING_SCOPE_SETS.length;

/** Gateway configuration (environment variables) with access control on, as in production; `extra` tokens beside the bench's. */
export function gatewayAuthEnv(extra: { name: string; token: string; scopes: string[] }[] = []): Record<string, string> {
  return { GATEWAY_TOKENS: JSON.stringify([{ name: 'bench', token: BENCH_TOKEN, scopes: [...SCOPES] }, ...extra]) };
}
