/** Credentials the bench gives its sandbox and gateway (loopback only; never real secrets). */
import { SCOPES } from '../../src/auth/scopes.js';

export const BENCH_API_KEY = 'bench-api-key-0001';
export const BENCH_WEBHOOK_SECRET = 'bench-webhook-secret-0001';
/** A gateway API token holding every scope, as a production client would send it. */
export const BENCH_TOKEN = 'bench-gateway-token-0123456789abcdef0123';

export const AUTH_HEADER = { authorization: `Bearer ${BENCH_TOKEN}` };

/** Gateway configuration (environment variables) with access control on, as in production. */
export function gatewayAuthEnv(): Record<string, string> {
  return { GATEWAY_TOKENS: JSON.stringify([{ name: 'bench', token: BENCH_TOKEN, scopes: [...SCOPES] }]) };
}
