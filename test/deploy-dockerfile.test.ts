/**
 * The Dockerfile, read as text (no Docker engine here): its Node base image is an LTS line that
 * satisfies package.json's `engines` and every installed dependency's; the runtime stage runs as
 * the non-root `node` user, and the OAuth token store's DATA_DIR is a directory that user owns.
 * package.json's `engines` is what the README states, and its minimum satisfies every dependency.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { intersects, minVersion, rcompare, satisfies } from 'semver';
import { describe, expect, it } from 'vitest';

const read = (file: string): string => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions in order: comments dropped, `\` continuations joined. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** The stages, each from its FROM to the next. */
function stages(all: Instruction[]): Instruction[][] {
  const out: Instruction[][] = [];
  for (const i of all) {
    if (i.op === 'FROM') out.push([]);
    out.at(-1)?.push(i);
  }
  return out;
}

/** `ENV A=1 B=2` as a record (the `key=value` form). */
const envOf = (stage: Instruction[]): Record<string, string> =>
  Object.fromEntries(stage.filter((i) => i.op === 'ENV').flatMap((i) => i.args.split(/\s+/).map((kv) => kv.split('=', 2) as [string, string])));

/** Every `engines.node` range the lock file's packages declare, with their names. */
const dependencyEngines = Object.entries(lock.packages)
  .filter(([path, p]) => path !== '' && p.engines && !Array.isArray(p.engines) && p.engines.node)
  .map(([path, p]) => ({ name: path.replace(/^.*node_modules\//, ''), range: (p.engines as { node: string }).node }));

const dockerfile = stages(instructions(read('Dockerfile')));
const runtime = dockerfile.at(-1)!;

describe('Dockerfile', () => {
  it('builds every stage on an LTS Node line (22 or later, even) whose releases satisfy package.json engines and every dependency', () => {
    expect(dockerfile.length).toBeGreaterThan(0);
    for (const stage of dockerfile) {
      const image = stage[0].args.split(/\s+/)[0];
      const major = Number(/^node:(\d+)[-.]/.exec(image)?.[1]);
      expect(major, image).toBeGreaterThanOrEqual(22);
      expect(major % 2, `${image}: odd Node majors never become LTS`).toBe(0);
      // The tag floats to the line's newest release; every release of the line must do.
      const first = `${major}.0.0`;
      expect(satisfies(first, pkg.engines.node), `${first} vs package.json engines ${pkg.engines.node}`).toBe(true);
      const refused = dependencyEngines.filter((d) => !satisfies(first, d.range));
      expect(refused, `Node ${first} against dependencies' engines`).toEqual([]);
    }
  });

  it('runs as the non-root node user, with DATA_DIR (the OAuth token store) a directory that user owns', () => {
    const users = runtime.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users.at(-1)).toBe('node');
    const workdir = runtime.filter((i) => i.op === 'WORKDIR').at(-1)?.args ?? '/';
    const dataDir = posix.resolve(workdir, envOf(runtime).DATA_DIR ?? './data');
    const userAt = runtime.findIndex((i) => i.op === 'USER' && i.args === 'node');
    // Created and handed to `node` while still root (after it, `node` could not chown).
    const prepared = runtime.slice(0, userAt).filter((i) => i.op === 'RUN');
    expect(prepared.some((i) => new RegExp(`mkdir -p (\\S+ )*${dataDir}( |$|&)`).test(i.args)), `mkdir -p ${dataDir}`).toBe(true);
    expect(prepared.some((i) => new RegExp(`chown (-R )?node(:node)? (\\S+ )*${dataDir}( |$|&)`).test(i.args)), `chown node ${dataDir}`).toBe(true);
    expect(runtime.find((i) => i.op === 'CMD')?.args).toBe('["node", "dist/main.js"]');
  });
});

describe('package.json engines', () => {
  it('states a minimum that every dependency accepts, so npm installs without engine warnings there', () => {
    const min = minVersion(pkg.engines.node)!.version;
    expect(dependencyEngines.length).toBeGreaterThan(100);
    expect(dependencyEngines.filter((d) => !satisfies(min, d.range))).toEqual([]);
    // And it is not looser than what the dependencies need: the strictest one's minimum is ours.
    const strictest = dependencyEngines.map((d) => minVersion(d.range)!.version).sort(rcompare)[0];
    expect(intersects(pkg.engines.node, `<${strictest}`)).toBe(false);
  });

  it('is what the README says about Node versions', () => {
    const min = minVersion(pkg.engines.node)!;
    expect(read('README.md')).toContain(`Node.js ${min.major}.${min.minor}`);
  });
});
