/**
 * Several short rounds instead of one long run, interleaved across targets, so a burst of
 * someone else's work on the shared machine hits every target alike; the median round is reported.
 */
import type { ClosedLoopResult } from '../load/core.js';
import { percentile } from './stats.js';

export interface Combined extends ClosedLoopResult {
  /** Requests/s of each round, in order. */
  roundsPerSecond: number[];
}

/** Median throughput and median p50/p99 over rounds; max of max; counts summed. */
export function combineRounds(rounds: readonly ClosedLoopResult[]): Combined {
  if (rounds.length === 0) throw new Error('combineRounds: no rounds');
  const med = (xs: (number | null)[]): number | null => percentile(xs.filter((x): x is number => x !== null), 50);
  const outcomes: Record<string, number> = {};
  for (const r of rounds) for (const [k, n] of Object.entries(r.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + n;
  const maxes = rounds.map((r) => r.latencyMs.max).filter((x): x is number => x !== null);
  const requests = rounds.reduce((a, r) => a + r.requests, 0);
  return {
    sent: rounds.reduce((a, r) => a + r.sent, 0),
    requests,
    perSecond: med(rounds.map((r) => r.perSecond)) ?? 0,
    latencyMs: {
      count: requests,
      p50: med(rounds.map((r) => r.latencyMs.p50)),
      p99: med(rounds.map((r) => r.latencyMs.p99)),
      max: maxes.length ? Math.max(...maxes) : null,
      mean: med(rounds.map((r) => r.latencyMs.mean)),
    },
    outcomes,
    networkErrors: rounds.reduce((a, r) => a + r.networkErrors, 0),
    roundsPerSecond: rounds.map((r) => r.perSecond),
  };
}

/** "1,234 (1,100–1,300)" or just "1,234" for one round. */
export function rateWithRange(c: Combined, fmt: (n: number) => string): string {
  if (c.roundsPerSecond.length < 2) return fmt(c.perSecond);
  return `${fmt(c.perSecond)} (${fmt(Math.min(...c.roundsPerSecond))}–${fmt(Math.max(...c.roundsPerSecond))})`;
}

/** How the closed-loop scenarios (overhead, webhook ingest) measure: one plan, so both stay alike. */
export interface RoundPlan {
  durationMs: number;
  rounds: number;
  /** Long first warm-up: on a loaded 2-core machine the JIT needs a few seconds before figures settle. */
  firstWarmupMs: number;
  warmupMs: number;
  concurrency: number;
}

export function roundPlan(tiny: boolean): RoundPlan {
  return tiny
    ? { durationMs: 300, rounds: 1, firstWarmupMs: 100, warmupMs: 100, concurrency: 4 }
    : { durationMs: 4000, rounds: 3, firstWarmupMs: 3000, warmupMs: 1000, concurrency: 32 };
}
