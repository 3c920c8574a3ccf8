/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --only overhead --cpu-prof DIR`): where the busy
 * time went, by stage of a request (grouped by the code that ran: Node's HTTP, whatwg-node, yoga,
 * graphql-js parse/validate/execute, the gateway's own plugins, ...) and the functions with the most
 * self time. Idle time is left out, so shares are of the time the process was working.
 *
 *   npx tsx bench/profile-summary.ts DIR/CPU.….cpuprofile [--top 25] [--callers FUNCTION]
 *
 * Samples taken while modules load (start-up) are left out too; `--callers` prints the stacks that
 * lead to a function, heaviest first.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Stage of a frame, by where its code lives; first match wins. */
const STAGES: [string, (f: CallFrame) => boolean][] = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['logging (pino)', (f) => f.url.includes('/pino')],
  ['metrics (prom-client)', (f) => f.url.includes('/prom-client/')],
  ['observability (src/observability)', (f) => f.url.includes('/src/observability/')],
  ['cost guard (src/schema/cost-guard, cost-plugin)', (f) => /\/src\/schema\/cost-(guard|plugin)/.test(f.url)],
  ['document limits (src/schema/document-limits, graphql-armor)', (f) => f.url.includes('/src/schema/document-limits') || f.url.includes('@escape.tech')],
  ['access control, client limits (src/auth, src/http)', (f) => f.url.includes('/src/auth/') || f.url.includes('/src/http/')],
  ['context, loaders, cache (src/context, loaders, cache, account-runtime)', (f) => /\/src\/(context|account-runtime|loaders\/|cache\/|redis\/)/.test(f.url)],
  ['response cache', (f) => f.url.includes('response-cache')],
  ['resolvers (src/schema)', (f) => f.url.includes('/src/schema/')],
  ['scope checks (@pothos/plugin-scope-auth)', (f) => f.url.includes('plugin-scope-auth')],
  ['Pothos field wrappers (@pothos)', (f) => f.url.includes('/@pothos/')],
  ['parse (graphql/language)', (f) => f.url.includes('/graphql/language/')],
  ['validate (graphql/validation)', (f) => f.url.includes('/graphql/validation/')],
  ['execute (graphql/execution)', (f) => f.url.includes('/graphql/execution/')],
  ['graphql-js other (types, utilities, jsutils)', (f) => /\/graphql\/(type|utilities|jsutils|error)\//.test(f.url)],
  ['yoga and envelop pipeline', (f) => f.url.includes('graphql-yoga') || f.url.includes('@envelop') || f.url.includes('@graphql-tools')],
  ['HTTP request/response (@whatwg-node)', (f) => f.url.includes('@whatwg-node')],
  ['Node HTTP, sockets, streams', (f) => f.url.startsWith('node:') || /^(internal|node):/.test(f.url) || f.url.startsWith('internal/')],
  ['other JavaScript', (f) => f.url !== ''],
  ['native (JSON, regexp, builtins), program', () => true],
];

function stageOf(f: CallFrame): string {
  return STAGES.find(([, match]) => match(f))?.[0] ?? 'other';
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && !['--top', '--callers'].includes(args[i - 1] ?? ''));
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const callersAt = args.indexOf('--callers');
  const callersOf = callersAt >= 0 ? args[callersAt + 1] : undefined;
  const stacks = new Map<string, number>();
  if (!file) {
    process.stderr.write('Usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--top N]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  let busy = 0;
  const stages = new Map<string, number>();
  const fns = new Map<string, { us: number; stage: string }>();
  // Inclusive time of a few landmarks (each sample counted once per landmark).
  const landmarks: [string, (f: CallFrame) => boolean][] = [
    ['graphql-js parse', (f) => f.functionName === 'parse' && f.url.includes('/graphql/language/parser')],
    ['graphql-js validate', (f) => f.functionName === 'validate' && f.url.includes('/graphql/validation/validate')],
    ['graphql-js execute', (f) => f.functionName === 'execute' && f.url.includes('/graphql/execution/execute')],
    ['context factory', (f) => f.url.includes('/src/context.')],
    ['cost guard', (f) => f.url.includes('/src/schema/cost-guard')],
    ['JSON.stringify of results', (f) => f.functionName === 'stringify'],
    ['response cache', (f) => f.url.includes('response-cache')],
  ];
  const inclusive = new Map<string, number>();
  let startup = 0;
  const short = (f: CallFrame): string =>
    `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/')}:${f.lineNumber + 1}`;
  const stackOf = (id: number): CallFrame[] => {
    const frames: CallFrame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (frame) frames.push(frame);
    }
    return frames;
  };
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const f = node.callFrame;
    if (f.functionName === '(idle)') continue;
    const stack = stackOf(id);
    if (stack.some((x) => x.url.startsWith('node:internal/modules/'))) {
      startup += us;
      continue;
    }
    if (callersOf && f.functionName === callersOf) {
      const key = stack.slice(1, 12).map(short).join(' < ');
      stacks.set(key, (stacks.get(key) ?? 0) + us);
    }
    busy += us;
    const stage = stageOf(f);
    stages.set(stage, (stages.get(stage) ?? 0) + us);
    const key = short(f);
    const prev = fns.get(key);
    fns.set(key, { us: (prev?.us ?? 0) + us, stage });
    const seen = new Set<string>();
    for (const frame of stack) for (const [name, match] of landmarks) if (match(frame)) seen.add(name);
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
  const pct = (us: number): string => `${((100 * us) / busy).toFixed(1)}%`;
  const out: string[] = [];
  out.push(`Busy (non-idle) time: ${(busy / 1e6).toFixed(1)} s, after ${(startup / 1e6).toFixed(1)} s of start-up (module loading) left out`, '', '| Stage (self time) | Share |', '| --- | --- |');
  for (const [stage, us] of [...stages].sort((a, b) => b[1] - a[1])) out.push(`| ${stage} | ${pct(us)} |`);
  out.push('', '| Landmark (inclusive) | Share |', '| --- | --- |');
  for (const [name] of landmarks) out.push(`| ${name} | ${pct(inclusive.get(name) ?? 0)} |`);
  out.push('', `| Top ${top} functions by self time | Stage | Share |`, '| --- | --- | --- |');
  for (const [key, { us, stage }] of [...fns].sort((a, b) => b[1].us - a[1].us).slice(0, top)) out.push(`| \`${key}\` | ${stage} | ${pct(us)} |`);
  if (callersOf) {
    out.push('', `Stacks leading to ${callersOf}:`);
    for (const [key, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 8)) out.push(`  ${pct(us)}  ${key}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
