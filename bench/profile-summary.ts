/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --only overhead --cpu-prof DIR`): where the busy
 * time went, by stage of a request (grouped by the code that ran: Node's HTTP, whatwg-node, yoga,
 * graphql-js parse/validate/execute, the gateway's own plugins, ...) and the functions with the most
 * self time. Idle time is left out, so shares are of the time the process was working.
 *
 *   npx tsx bench/profile-summary.ts DIR/CPU.….cpuprofile [--top 25] [--callers FUNCTION] [--webhook]
 *
 * Samples taken while modules load (start-up) are left out too; `--callers` prints the stacks that
 * lead to a function, heaviest first; `--webhook` adds the webhook-ingest stages (bench/PROFILE.md, #15):
 * each sample counted for the innermost of those stages on its stack.
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

/**
 * Stages of an ingested webhook, by a frame on the sample's stack: the innermost specific one wins; Node's
 * HTTP and yoga/whatwg-node only when none is (so `createHmac` counts as the HMAC, `writev` under the
 * response's `end` as writing it).
 */
const WEBHOOK_STAGES: [string, (f: CallFrame) => boolean, 'specific' | 'fallback'][] = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)', 'specific'],
  ['writing the response (writev, Node HTTP out)', (f) => (/^(writev|_writev|writevGeneric|end|writeHead|_storeHeader|_send|uncork|clearBuffer|resOnFinish|onFinish|afterWrite|afterWriteTick)$/.test(f.functionName) && (f.url.startsWith('node:') || f.url === '')) || /sendNodeResponse|sendReadableStream|pump|endDest/.test(f.functionName), 'specific'],
  ['the answer (Response object, JSON)', (f) => f.functionName === '_Response' || f.functionName === 'extractBody' || (f.url.includes('webhook-route') && f.functionName === 'send'), 'specific'],
  ['logging (pino)', (f) => f.url.includes('/pino'), 'specific'],
  ['HMAC', (f) => /verifyWebhookSignature|signWebhookBody/.test(f.functionName), 'specific'],
  ['payload validation', (f) => f.functionName === 'parseWebhook' || f.url.includes('webhook-payload'), 'specific'],
  ['dedup', (f) => f.url.includes('realtime/dedup'), 'specific'],
  ['cache write', (f) => f.functionName === 'putTracking' || f.functionName === 'peekTracking', 'specific'],
  ['diff (events.ts)', (f) => f.url.includes('realtime/events'), 'specific'],
  ['event log append', (f) => f.url.includes('event-log'), 'specific'],
  ['publish (pubsub)', (f) => f.url.includes('realtime/pubsub'), 'specific'],
  ['coalescing', (f) => f.url.includes('realtime/coalesce'), 'specific'],
  ['ordered updates (tracking-updates.ts)', (f) => f.url.includes('tracking-updates'), 'specific'],
  ['body read (stream, limit, deadline)', (f) => /^(readLimited|readNodeBody)$/.test(f.functionName) || f.url.includes('webstreams') || (f.url.includes('ReadableStream') && f.url.includes('@whatwg-node')), 'specific'],
  ["JSON parse, UTF-8 decode (the receiver's own)", (f) => f.url.includes('webhook-receiver'), 'specific'],
  ['webhook route', (f) => f.url.includes('webhook-route') || f.url.includes('use-aftership-webhooks'), 'specific'],
  ['yoga, envelop, @whatwg-node', (f) => /graphql-yoga|@envelop|@whatwg-node|urlpattern|\/src\/http\//.test(f.url), 'fallback'],
  ['Node HTTP in (parser, sockets, timers)', (f) => f.url.startsWith('node:'), 'fallback'],
];

function webhookStageOf(stack: readonly CallFrame[]): string {
  // An undici Response's own streams are the answer's cost, not a body read.
  if (stack.some((f) => f.functionName === '_Response')) return 'the answer (Response object, JSON)';
  for (const kind of ['specific', 'fallback'] as const) {
    for (const frame of stack) for (const [name, match, k] of WEBHOOK_STAGES) if (k === kind && match(frame)) return name;
  }
  return 'other (native, microtasks, program)';
}

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
  const webhook = args.includes('--webhook');
  const webhookStages = new Map<string, number>();
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
    if (webhook) {
      const w = webhookStageOf(stack);
      webhookStages.set(w, (webhookStages.get(w) ?? 0) + us);
    }
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
  if (webhook) {
    out.push('', '| Webhook stage (innermost on the stack) | Share |', '| --- | --- |');
    for (const [stage, us] of [...webhookStages].sort((a, b) => b[1] - a[1])) out.push(`| ${stage} | ${pct(us)} |`);
  }
  if (callersOf) {
    out.push('', `Stacks leading to ${callersOf}:`);
    for (const [key, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 8)) out.push(`  ${pct(us)}  ${key}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
