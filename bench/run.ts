/**
 * `npm run bench`: runs the scenarios one after another and writes BENCHMARKS.md.
 *
 *   npm run bench                          every scenario, writes BENCHMARKS.md
 *   npm run bench -- --only calls,fanout   some scenarios
 *   npm run bench -- --tiny                minimal sizes; prints the report (add --out FILE to write it)
 *   npm run bench -- --out other.md        write elsewhere
 *   npm run bench -- --only overhead --cpu-prof DIR   gateways run with node --cpu-prof, profiles in DIR
 *                                          (summarise one with `npx tsx bench/profile-summary.ts FILE`)
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { machineInfo } from './lib/machine.js';
import { renderReport } from './lib/report.js';
import { REPO_ROOT } from './lib/spawn.js';
import type { ScenarioResult } from './lib/types.js';
import { isScenarioName, runScenario, SCENARIO_NAMES, type ScenarioName } from './scenarios/index.js';

interface Args {
  tiny: boolean;
  only: ScenarioName[];
  out: string | undefined;
  cpuProf: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { tiny: false, only: [...SCENARIO_NAMES], out: undefined, cpuProf: undefined };
  let outGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--tiny') args.tiny = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const names = value().split(',').map((s) => s.trim()).filter(Boolean);
      const bad = names.filter((n) => !isScenarioName(n));
      if (bad.length || !names.length) throw new Error(`--only takes scenario names from ${SCENARIO_NAMES.join(', ')} (got "${bad.join(', ')}")`);
      args.only = names as ScenarioName[];
    } else if (a === '--out' || a.startsWith('--out=')) {
      args.out = value();
      outGiven = true;
    } else if (a === '--cpu-prof' || a.startsWith('--cpu-prof=')) {
      args.cpuProf = resolve(value());
    } else if (a === '--help' || a === '-h') {
      process.stdout.write('Usage: npm run bench [-- --only calls,overhead,overload,webhooks,fanout,hostile,replay,analytics,coldstart] [--tiny] [--out FILE] [--cpu-prof DIR]\n');
      process.exit(0);
    } else throw new Error(`Unknown argument "${a}" (try --help)`);
  }
  if (!outGiven && !args.tiny) args.out = 'BENCHMARKS.md';
  return args;
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  // Read by bench/lib/server-runner.ts when it forks a gateway: a profile per gateway process, written on exit.
  if (args.cpuProf) process.env.BENCH_CPU_PROF_DIR = args.cpuProf;
  const started = Date.now();
  const machine = machineInfo();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`bench: ${args.only.join(', ')}${args.tiny ? ' (tiny)' : ''} on ${machine.cores}× ${machine.cpu}, load ${machine.loadAverage}`);
  const results: ScenarioResult[] = [];
  const failures: { name: string; error: string }[] = [];
  for (const name of args.only) {
    log(`bench: ${name}`);
    try {
      const r = await runScenario(name, { tiny: args.tiny, log });
      results.push(r);
      log(`bench: ${name} done in ${(r.durationMs / 1000).toFixed(1)} s`);
      for (const h of r.headlines) log(`  ${h.replace(/\*\*/g, '')}`);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      failures.push({ name, error });
      log(`bench: ${name} FAILED: ${error}`);
    }
  }
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const report = renderReport({
    command,
    machine,
    machineAfter: { loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' / ') },
    results,
    failures,
    headlines: results.flatMap((r) => r.headlines),
    totalMs: Date.now() - started,
    tiny: args.tiny,
  });
  if (args.out) {
    const path = resolve(REPO_ROOT, args.out);
    writeFileSync(path, report);
    log(`bench: wrote ${path}`);
  } else {
    process.stdout.write(report);
  }
  // Child processes are stopped by each scenario; exit even if a socket lingers.
  process.exit(failures.length ? 1 : 0);
}

await main();
