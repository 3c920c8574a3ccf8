/**
 * The benchmark harness (bench/) at its tiny size: every scenario starts, talks to real servers
 * on loopback and returns rows whose invariants hold (answers agree with the naive baseline,
 * no 429 reaches the sandbox, every subscriber gets the event). Figures are not asserted: they
 * measure nothing at this size. One run goes through the child-process plumbing `npm run bench` uses.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, SCENARIO_NAMES } from '../bench/scenarios/index.js';
import type { ScenarioResult } from '../bench/lib/types.js';
import { renderReport } from '../bench/lib/report.js';
import { machineInfo } from '../bench/lib/machine.js';
import { ENDPOINT_LIMITS_PER_SECOND } from '../src/aftership/endpoints.js';

const quiet = { tiny: true, log: () => undefined };

function expectWellFormed(r: ScenarioResult): void {
  expect(r.rows.length).toBeGreaterThan(0);
  expect(r.columns.length).toBeGreaterThan(1);
  for (const row of r.rows) expect(Object.keys(row)).toEqual(r.columns);
  expect(r.headlines.length).toBeGreaterThan(0);
}

describe('bench scenarios (tiny)', () => {
  it('calls: the gateway answers like the naive baseline with fewer AfterShip calls, none when warm', async () => {
    const r = await runScenario('calls', quiet);
    expectWellFormed(r);
    expect(r.rows).toHaveLength(4);
    for (const row of r.rows) {
      expect(row['Same answer']).toBe('yes');
      const cold = Number(row['Gateway cold']);
      expect(Number(row['Gateway warm'])).toBeLessThanOrEqual(cold);
      expect(Number(row['Naive baseline'])).toBeGreaterThanOrEqual(cold);
    }
    // The lookup and checkout rows are where merging and batching show, even at tiny size.
    expect(Number(r.rows[2]['Naive baseline'])).toBeGreaterThan(Number(r.rows[2]['Gateway cold']));
    expect(Number(r.rows[3]['Gateway warm'])).toBe(0);
  });

  it('overhead: five targets (a token per request second, a gateway with tracing on last), every answer ok, no AfterShip call for the cached query', async () => {
    const r = await runScenario('overhead', quiet);
    expectWellFormed(r);
    expect(r.rows).toHaveLength(5);
    for (const row of r.rows) expect(row['Not ok']).toBe(0);
    expect(r.rows[0]['AfterShip calls during run']).toBe(0);
    // Both gateway rows are answered by the response cache.
    for (const row of r.rows.slice(0, 2)) expect(String(row['Answered by the response cache'])).toMatch(/^[1-9][\d,]* of /);
  });

  it('overload: over-budget demand is queued or refused, never a 429 at a sandbox that enforces the limits', async () => {
    const r = await runScenario('overload', quiet);
    expectWellFormed(r);
    // The scenario checks first that the sandbox refuses a direct burst over the limit (else it throws).
    expect(r.notes.join(' ')).toMatch(/got [1-9]\d* 429s: its limits are in force/);
    for (const row of r.rows) {
      expect(row['429s at sandbox']).toBe(0);
      // The sandbox's own request log: AfterShip's per-second limit held in every rolling second.
      const endpoint = String(row.Operation).startsWith('tracking(id)') ? 'GET /trackings/:id' : 'GET /trackings';
      const most = Number(row['Most calls in one second']);
      expect(most, String(row.Operation)).toBeGreaterThan(0);
      expect(most, String(row.Operation)).toBeLessThanOrEqual(ENDPOINT_LIMITS_PER_SECOND[endpoint]);
      expect(Number(row['Completed ok'])).toBeGreaterThan(0);
    }
  });

  it('webhooks: every signed delivery is acknowledged as accepted (or a reordered older version), none refused', async () => {
    const r = await runScenario('webhooks', quiet);
    expectWellFormed(r);
    const outcomes = Object.fromEntries(String(r.rows[0].Outcomes).split(', ').map((part) => [part.split(' ')[1], Number(part.split(' ')[0])]));
    // Every event id is new and every version newer than the last of its tracking: accepted, unless
    // concurrent senders delivered two versions of one tracking out of order ("stale").
    expect(Object.keys(outcomes).filter((k) => k !== 'accepted' && k !== 'stale')).toEqual([]);
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.accepted).toBeGreaterThan(9 * (outcomes.stale ?? 0));
    expect(r.rows[0]['Network errors']).toBe(0);
    // Each webhook carries the whole tracking: ingest asks AfterShip nothing (the sandbox's request log).
    expect(r.rows[0]['AfterShip calls during run']).toBe(0);
    // The floor row: the same senders against a bare receiver, every delivery verified and answered.
    expect(r.rows[1]!.Receiver).toMatch(/^Floor/);
    expect(String(r.rows[1]!.Outcomes)).toMatch(/^\d+ accepted$/);
  });

  it('fanout, in child processes as `npm run bench` runs it: every subscriber receives the webhook', async () => {
    const r = await runScenario('fanout', { ...quiet, isolate: true });
    expectWellFormed(r);
    const row = r.rows[0];
    expect(row['Received the event']).toBe(row.Subscribers);
    expect(row.Failed).toBe(0);
    // The floor row: a bare ws server reaches every subscriber of the same client.
    const floor = r.rows.find((x) => String(x.Subscribers).includes('floor'))!;
    expect(floor['Received the event']).toBe(String(floor.Subscribers).split(':')[0]);
    expect(floor.Failed).toBe(0);
  }, 60_000);

  it('hostile: the legitimate client is served while one token floods, and the flood is refused', async () => {
    const r = await runScenario('hostile', quiet);
    expectWellFormed(r);
    expect(r.rows).toHaveLength(2);
    for (const row of r.rows) expect(row['Legit not ok']).toBe(0);
    // Alias bombs refused as too expensive; the rest served, rate-limited or over the client's concurrency.
    expect(String(r.rows[1]['Flooding token: outcomes'])).toMatch(/QUERY_TOO_EXPENSIVE/);
  }, 60_000);

  it('replay: a consumer catches up on every retained event, from memory and from Redis', async () => {
    const r = await runScenario('replay', quiet);
    expectWellFormed(r);
    expect(r.rows).toHaveLength(2);
    for (const row of r.rows) {
      expect(row['Events retained']).toBe('300');
      expect(Number(String(row['Replayed events/s']).replace(/,/g, ''))).toBeGreaterThan(0);
    }
  }, 60_000);

  it('analytics: deliveryStats over the replica makes no AfterShip call; exports stream every tracking', async () => {
    const r = await runScenario('analytics', quiet);
    expectWellFormed(r);
    expect(r.rows).toHaveLength(3);
    expect(r.rows[0]['AfterShip calls']).toBe('none');
  }, 60_000);

  it('coldstart: distinct lookups from a cold start, replica on and off, answered with 0 errors and 0 upstream 429s; off, one GET /trackings/:id per lookup', async () => {
    const r = await runScenario('coldstart', quiet);
    expectWellFormed(r);
    expect(r.rows).toHaveLength(2);
    const [on, off] = r.rows;
    for (const row of r.rows) {
      expect(row.Errors).toBe('0');
      expect(row['Upstream 429s']).toBe(0);
      expect(Number(row.Answered)).toBeGreaterThan(0);
    }
    // Without the replica every distinct id costs its own call; with it, the warm-up lists (200 a call).
    expect(off['GET /trackings/:id calls']).toBe(off.Answered);
    expect(String(off['AfterShip calls by endpoint'])).not.toMatch(/GET \/trackings ×/);
    expect(String(on['AfterShip calls by endpoint'])).toMatch(/GET \/trackings ×\d+/);
    expect(Number(on['GET /trackings/:id calls'])).toBeLessThanOrEqual(Number(on.Answered));
    expect(String(on['Memory per replicated tracking'])).toMatch(/B heap, .* B RSS, [\d,]+ B accounted/);
  }, 60_000);

  it('renders a report with the machine and every scenario table', () => {
    const fake: ScenarioResult = { name: 'calls', title: 'T', columns: ['a', 'b'], rows: [{ a: 1, b: 'x|y' }], notes: ['n'], headlines: ['h'], durationMs: 5 };
    const md = renderReport({ command: 'npm run bench', machine: machineInfo(), machineAfter: { loadAverage: '0' }, results: [fake], failures: [], headlines: ['h'], totalMs: 10, tiny: false });
    expect(md).toContain('| a | b |');
    expect(md).toContain('| 1 | x\\|y |');
    expect(md).toMatch(/\| Cores \| \d+ \|/);
    expect(md).toContain('`npm run bench`');
    expect(SCENARIO_NAMES).toHaveLength(9);
  });
});
