/**
 * Fuzz: a few thousand seeded cases (random and mutated GraphQL documents, random variables, raw
 * bodies, signed webhooks with mutated trackings) against the whole gateway. None may answer 5xx,
 * crash it, or carry an error without a code (an unmasked or internal one); after the webhooks, every
 * tracking still reads without an internal error. A failure prints its seed and case: rerun with
 * FUZZ_SEED=<seed> (and FUZZ_CASES=<n> for more cases).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Kind, parse, visit, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../src/realtime/verify-signature.js';
import { startGateway, TEST_WEBHOOK_SECRET, type TestGateway } from './helpers/gateway.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const CASES = Number(process.env.FUZZ_CASES ?? 2000);

/** mulberry32: small, fast, seeded. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const TOKENS = ['{', '}', '(', ')', '[', ']', ':', '"', '$', '$id', '...', '... on Tracking', '@skip(if: true)', '@include(if: $x)', 'a:', 'fragment F on Query', 'query', 'mutation', 'subscription', '__typename', '__schema { types { name } }', '#', '\\u', '\\ud800', '\ud800', '\udfff', '😀', '\u0000', '\n', ',', '=', '!', '1e999', '-0', '99999999999999999999', 'null', 'true', '"""', 'id: "x"', 'first: -1', 'first: 100000', 'last: -5', 'trackingNumber: ""'];

function mutate(r: Rng, text: string): string {
  let s = text;
  for (let n = 1 + r.int(4); n > 0; n--) {
    const at = r.int(s.length + 1);
    switch (r.int(6)) {
      case 0: // delete a span
        s = s.slice(0, at) + s.slice(at + 1 + r.int(20));
        break;
      case 1: // insert a token
        s = s.slice(0, at) + ` ${r.pick(TOKENS)} ` + s.slice(at);
        break;
      case 2: // duplicate a span
        s = s.slice(0, at) + s.slice(at, at + r.int(200)) + s.slice(at);
        break;
      case 3: // truncate
        s = s.slice(0, at);
        break;
      case 4: // nest deeper
        s = s.slice(0, at) + '{ a '.repeat(r.int(300)) + s.slice(at);
        break;
      default: // replace a character
        s = s.slice(0, at) + String.fromCharCode(r.int(0x10000)) + s.slice(at + 1);
    }
  }
  return s;
}

function randomJson(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 4 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return r.next() < 0.5;
    case 2:
      return r.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -1e308, 1e-320]);
    case 3:
      return r.pick(['', 'x', '1Z999AA10123456784', 'ups', '\ud800', 'a\u0000b', '😀'.repeat(r.int(50)), 'x'.repeat(r.int(5000)), 'IN_TRANSIT', '2026-03-02T16:03:27Z']);
    case 4:
      return String(r.int(1e9));
    case 5:
      return r.pick(['DELIVERED', 'ups', 'not a date', '{}']);
    case 6:
      return Array.from({ length: r.int(5) }, () => randomJson(r, depth + 1));
    case 7: {
      let v: unknown = 'deep';
      for (let i = r.int(200); i > 0; i--) v = [v];
      return v;
    }
    default:
      return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(['id', 'trackingNumber', 'slug', 'first', 'input', 'ids', 'customFields', '__proto__', 'constructor', 'x']), randomJson(r, depth + 1)]));
  }
}

/** Every operation of test/operations (with the fragments it uses) and of the README. */
function corpus(): { name: string; text: string; variables: string[] }[] {
  const dir = new URL('./operations/', import.meta.url);
  const fragmentsText = readFileSync(new URL('fragments.graphql', dir), 'utf8');
  const out: { name: string; text: string; variables: string[] }[] = [];
  for (const file of readdirSync(dir)) {
    if (file === 'fragments.graphql') continue;
    const doc = parse(`${readFileSync(new URL(file, dir), 'utf8')}\n${fragmentsText}`);
    const body = doc.loc!.source.body;
    const fragments = new Map(doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    for (const op of doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
      const used = new Set<string>();
      const need = (node: Parameters<typeof visit>[0]): void =>
        void visit(node, {
          FragmentSpread: (s) => {
            if (used.has(s.name.value)) return;
            used.add(s.name.value);
            const f = fragments.get(s.name.value);
            if (f) need(f);
          },
        });
      need(op);
      const text = [op, ...[...used].map((n) => fragments.get(n)!)].map((d) => body.slice(d.loc!.start, d.loc!.end)).join('\n');
      out.push({ name: op.name?.value ?? file, text, variables: (op.variableDefinitions ?? []).map((v) => v.variable.name.value) });
    }
  }
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  for (const m of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const vars: string[] = [];
    visit(parse(m[1]!), { VariableDefinition: (v) => void vars.push(v.variable.name.value) });
    out.push({ name: 'README', text: m[1]!, variables: vars });
  }
  return out;
}

interface Outcome {
  status: number;
  text: string;
}

function problemsOf(o: Outcome): string[] {
  const problems: string[] = [];
  if (o.status >= 500) problems.push(`HTTP ${o.status}`);
  // An empty 4xx (415 for a content type GraphQL does not take, 406...) says enough.
  if (o.text === '' && o.status >= 400) return problems;
  let body: { errors?: { message?: string; extensions?: { code?: unknown } }[]; error?: { code?: unknown } };
  try {
    body = JSON.parse(o.text) as typeof body;
  } catch {
    return [...problems, 'answer is not JSON'];
  }
  for (const e of body.errors ?? []) {
    if (typeof e.extensions?.code !== 'string') problems.push(`error without a code: ${e.message}`);
    else if (e.extensions.code === 'INTERNAL_SERVER_ERROR') problems.push(`internal error: ${e.message}`);
  }
  if (/originalError|RangeError|TypeError|Maximum call stack|    at /.test(o.text)) problems.push('internals in the answer');
  return problems;
}

describe(`fuzz (seed ${SEED}, ${CASES} GraphQL cases)`, () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Short queue waits: random valid operations may ask the sandbox a lot; RATE_LIMITED is a fine answer.
    gw = await startGateway({ sandbox: { seed: 12 }, env: { AFTERSHIP_QUEUE_TIMEOUT_MS: '200', CLIENT_MAX_CONCURRENT: '0' } });
  });
  afterAll(() => gw?.close());

  async function run(cases: (() => Promise<{ label: string; outcome: Outcome }>)[]): Promise<string[]> {
    const failures: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const i = next++;
        const { label, outcome } = await cases[i]!();
        const problems = problemsOf(outcome);
        if (problems.length) failures.push(`case ${i} (${label}, HTTP ${outcome.status}): ${problems.join('; ')} — ${outcome.text.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return failures;
  }

  const postRaw = async (body: string, contentType = 'application/json'): Promise<Outcome> => {
    const res = await fetch(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': contentType, accept: 'application/graphql-response+json, application/json' }, body });
    return { status: res.status, text: await res.text() };
  };

  it('GraphQL documents, variables and bodies: no 5xx, no uncoded or internal error', async () => {
    const r = rng(SEED);
    const ops = corpus();
    const cases = Array.from({ length: CASES }, (_, n) => async () => {
      const kind = r.int(10);
      const op = r.pick(ops);
      if (kind < 5) {
        const text = mutate(r, op.text);
        return { label: `mutated document #${n}`, outcome: await postRaw(JSON.stringify({ query: text, variables: Object.fromEntries(op.variables.map((v) => [v, randomJson(r)])) })) };
      }
      if (kind < 8) {
        // A valid document with random variables (right names, random values).
        const variables = Object.fromEntries(op.variables.map((v) => [v, randomJson(r)]));
        return { label: `random variables #${n}`, outcome: await postRaw(JSON.stringify({ query: op.text, variables })) };
      }
      if (kind < 9) {
        const soup = Array.from({ length: r.int(60) }, () => r.pick(TOKENS)).join(' ');
        return { label: `token soup #${n}`, outcome: await postRaw(JSON.stringify({ query: soup })) };
      }
      const raw = r.pick([
        mutate(r, JSON.stringify({ query: op.text })),
        JSON.stringify(randomJson(r)),
        JSON.stringify({ query: randomJson(r), variables: randomJson(r), operationName: randomJson(r), extensions: randomJson(r) }),
        JSON.stringify([{ query: '{ __typename }' }, { query: op.text }]),
      ]);
      return { label: `raw body #${n}`, outcome: await postRaw(raw, r.pick(['application/json', 'application/graphql+json', 'text/plain'])) };
    });
    const failures = await run(cases);
    expect(failures, `FUZZ_SEED=${SEED}`).toEqual([]);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  }, 240_000);

  it('signed webhooks with mutated trackings: never 5xx, and every tracking still reads without an internal error', async () => {
    const r = rng(SEED + 1);
    const trackings = gw.sandbox.store.list().map((t) => structuredClone(t) as unknown as Record<string, unknown>);
    const fields = [...new Set(trackings.flatMap((t) => Object.keys(t)))];
    const cases = Array.from({ length: Math.ceil(CASES / 4) }, (_, n) => async () => {
      const msg = structuredClone(r.pick(trackings));
      for (let k = 1 + r.int(3); k > 0; k--) {
        const f = r.pick(fields);
        if (r.next() < 0.2) delete msg[f];
        else if (f === 'checkpoints' && Array.isArray(msg[f]) && (msg[f] as unknown[]).length > 0) {
          const cps = msg[f] as Record<string, unknown>[];
          const c = cps[r.int(cps.length)]!;
          c[r.pick(Object.keys(c))] = randomJson(r);
        } else msg[f] = randomJson(r);
      }
      msg.updated_at = r.next() < 0.8 ? new Date(Date.UTC(2027, 0, 1) + n * 1000).toISOString() : randomJson(r);
      const envelope = { event: r.pick(['tracking_update', 'edd_revise', 'tracking_pending_time', 'other']), event_id: `fuzz-${SEED}-${n}`, is_tracking_first_tag: r.next() < 0.5, msg, ts: r.next() < 0.8 ? 1_800_000_000 + n : randomJson(r) };
      const body = r.next() < 0.1 ? mutate(r, JSON.stringify(envelope)) : JSON.stringify(envelope);
      const res = await fetch(`${gw.url}/webhooks/aftership`, { method: 'POST', headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signWebhookBody(TEST_WEBHOOK_SECRET, body) }, body });
      return { label: `webhook #${n}`, outcome: { status: res.status, text: await res.text() } };
    });
    const failures = await run(cases);
    expect(failures, `FUZZ_SEED=${SEED}`).toEqual([]);
    // Whatever was accepted, the graph still shows it.
    const everything = corpus().find((o) => o.name === 'TrackingDetails')!.text;
    const reads = await run(
      trackings.map((t) => async () => ({ label: `read ${String(t.id)}`, outcome: await postRaw(JSON.stringify({ query: everything, variables: { id: t.id } })) })),
    );
    expect(reads, `FUZZ_SEED=${SEED}`).toEqual([]);
  }, 240_000);
});
