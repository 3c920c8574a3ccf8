/**
 * Fault injection: added latency, a share of 5xx answers, forced 429s and dropped connections.
 * Counts (`force429Count`, `dropCount`) are used up one request at a time; rates are drawn from a
 * seeded generator so a test run is reproducible. `endpoints` limits faults to some endpoints.
 */
import type { EndpointKey } from '../aftership/endpoints.js';
import { createRng, type Rng } from './random.js';

export interface FaultSettings {
  /** Delay (real milliseconds) added before every API answer. */
  latencyMs: number;
  /** Share (0..1) of requests answered with `errorStatus`. */
  errorRate: number;
  /** Status for injected errors: 500, 502, 503 or 504 (default 500). */
  errorStatus: number;
  /** Share (0..1) of requests answered 429 regardless of the real limits. */
  rateLimitRate: number;
  /** The next N requests are answered 429. */
  force429Count: number;
  /** Share (0..1) of requests whose connection is destroyed without an answer. */
  dropRate: number;
  /** The next N requests have their connection destroyed. */
  dropCount: number;
  /** Only these endpoints are affected (empty/absent: all). */
  endpoints?: EndpointKey[];
}

export type FaultAction = 'drop' | 'rate-limit' | 'error' | 'none';

export interface FaultController {
  set(settings: Partial<FaultSettings>): FaultSettings;
  reset(): void;
  get(): FaultSettings;
  /** Decides what happens to one request. */
  decide(endpoint: EndpointKey | undefined): { action: FaultAction; latencyMs: number; status: number };
}

const DEFAULTS: FaultSettings = {
  latencyMs: 0, errorRate: 0, errorStatus: 500, rateLimitRate: 0, force429Count: 0, dropRate: 0, dropCount: 0,
};

const SHARES = ['errorRate', 'rateLimitRate', 'dropRate'] as const;
const COUNTS = ['latencyMs', 'force429Count', 'dropCount'] as const;

/** Checks settings coming from code or the control route; throws a readable error. */
export function validateFaults(input: Partial<FaultSettings>): Partial<FaultSettings> {
  for (const k of Object.keys(input)) {
    if (!(k in DEFAULTS) && k !== 'endpoints') throw new Error(`unknown fault option "${k}"`);
  }
  for (const k of SHARES) {
    const v = input[k];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) throw new Error(`${k} must be a number from 0 to 1`);
  }
  for (const k of COUNTS) {
    const v = input[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new Error(`${k} must be a whole number >= 0`);
  }
  if (input.errorStatus !== undefined && ![500, 502, 503, 504].includes(input.errorStatus)) {
    throw new Error('errorStatus must be 500, 502, 503 or 504');
  }
  if (input.endpoints !== undefined && !Array.isArray(input.endpoints)) throw new Error('endpoints must be a list of endpoint keys');
  return input;
}

export function createFaultController(seed: number): FaultController {
  let settings: FaultSettings = { ...DEFAULTS };
  let rng: Rng = createRng(seed);
  return {
    set(partial) {
      settings = { ...settings, ...validateFaults(partial) };
      return { ...settings };
    },
    reset() {
      settings = { ...DEFAULTS };
      rng = createRng(seed);
    },
    get: () => ({ ...settings }),
    decide(endpoint) {
      const s = settings;
      const applies = !s.endpoints?.length || (endpoint !== undefined && s.endpoints.includes(endpoint));
      if (!applies) return { action: 'none', latencyMs: 0, status: 0 };
      let action: FaultAction = 'none';
      if (s.dropCount > 0) {
        s.dropCount--;
        action = 'drop';
      } else if (s.dropRate > 0 && rng.next() < s.dropRate) action = 'drop';
      else if (s.force429Count > 0) {
        s.force429Count--;
        action = 'rate-limit';
      } else if (s.rateLimitRate > 0 && rng.next() < s.rateLimitRate) action = 'rate-limit';
      else if (s.errorRate > 0 && rng.next() < s.errorRate) action = 'error';
      return { action, latencyMs: s.latencyMs, status: action === 'error' ? s.errorStatus : 0 };
    },
  };
}
