/** Shapes shared by the bench harness: what a scenario is asked to do and what it returns. */

export const SCENARIO_NAMES = ['calls', 'overhead', 'overload', 'webhooks', 'fanout', 'hostile', 'replay', 'analytics', 'coldstart'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioOptions {
  /** Smallest sizes and durations: proves the scenario runs, measures nothing. */
  tiny?: boolean;
  /**
   * Run the gateway, the hello-world server and the load generators in child processes (the
   * default unless tiny). In-process is only for the smoke test: figures then share one event loop.
   */
  isolate?: boolean;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface ScenarioResult {
  name: ScenarioName;
  title: string;
  /** Column order for the table; every row has these keys. */
  columns: string[];
  rows: Row[];
  /** Short lines under the table: method, caveats. */
  notes: string[];
  /** One-line findings for the top of the report. */
  headlines: string[];
  durationMs: number;
}

export function resolveOptions(o: ScenarioOptions): Required<ScenarioOptions> {
  return {
    tiny: o.tiny ?? false,
    isolate: o.isolate ?? !o.tiny,
    log: o.log ?? ((line: string) => process.stderr.write(`${line}\n`)),
  };
}
