/** The scenario registry: `runScenario(name, { tiny })` is what bench/run.ts and the smoke test call. */
import { SCENARIO_NAMES, type ScenarioName, type ScenarioOptions, type ScenarioResult } from '../lib/types.js';
import { runCalls } from './calls.js';
import { runOverhead } from './overhead.js';
import { runOverload } from './overload.js';
import { runWebhooks } from './webhooks.js';
import { runFanout } from './fanout.js';
import { runHostile } from './hostile.js';
import { runReplay } from './replay.js';
import { runAnalytics } from './analytics.js';
import { runColdstart } from './coldstart.js';

const RUNNERS: Record<ScenarioName, (o: ScenarioOptions) => Promise<ScenarioResult>> = {
  calls: runCalls,
  overhead: runOverhead,
  overload: runOverload,
  webhooks: runWebhooks,
  fanout: runFanout,
  hostile: runHostile,
  replay: runReplay,
  analytics: runAnalytics,
  coldstart: runColdstart,
};

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

export async function runScenario(name: ScenarioName, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  if (!isScenarioName(name)) throw new Error(`Unknown scenario "${String(name)}"; known: ${SCENARIO_NAMES.join(', ')}`);
  return RUNNERS[name](options);
}

export { SCENARIO_NAMES, type ScenarioName };
