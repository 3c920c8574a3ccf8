/**
 * Every package in package.json is used, and everything imported is declared:
 * - a dependency is imported by src/ (the production image installs dependencies only);
 * - a devDependency is imported by src/, test/, bench/, scripts/, examples/ or a root config file, or is a
 *   tool listed below with the place that uses it;
 * - src/ imports devDependencies for types only (`import type`), since the image does not have them.
 * Imports are read from the source text (static, dynamic and side-effect imports).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string): string => readFileSync(join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const scriptsRun = (command: string): boolean => Object.values(pkg.scripts).some((s) => s.split(/\s+/).includes(command));

/**
 * Packages used without being imported. Each says where it is used; the test checks that place,
 * so an entry cannot outlive its use.
 */
const USED_WITHOUT_IMPORT: Record<string, { why: string; used: () => boolean }> = {
  // Runs src/, bench/ and scripts/ TypeScript from npm scripts (start, sandbox, schema, bench).
  tsx: { why: 'npm scripts run `tsx`', used: () => scriptsRun('tsx') },
  // The compiler behind `npm run build` and `npm run typecheck`.
  typescript: { why: 'npm scripts run `tsc`', used: () => scriptsRun('tsc') },
  // graphql-codegen loads its presets by name: `preset: 'client'` in codegen.ts.
  '@graphql-codegen/client-preset': { why: "codegen.ts uses preset 'client'", used: () => /preset: 'client'/.test(read('codegen.ts')) },
};

/**
 * Declared for work in progress and not imported yet. An entry fails the test as soon as the
 * package is imported, so it is removed then.
 */
const ADOPTION_PENDING: Record<string, string> = {};

const ROOT_FILES = ['codegen.ts', 'vitest.config.ts'];
const SOURCE = /\.(ts|mts|js|mjs)$/;

/** Source files below `dir`, relative to the repository root. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    // Build output (examples' bundles) is not source.
    if (e.isDirectory()) return e.name === 'dist' || e.name === 'node_modules' ? [] : filesUnder(path);
    return e.isFile() && SOURCE.test(e.name) ? [path] : [];
  });
}

interface Import {
  file: string;
  pkg: string;
  typeOnly: boolean;
}

/** The package part of a specifier (`@scope/name/sub` → `@scope/name`); undefined for relative and built-in ones. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0])) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importsOf(file: string): Import[] {
  // Comment lines out: they may quote imports.
  const text = read(file).replace(/^\s*(\/\/|\/\*|\*).*$/gm, '');
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean): void => {
    const p = packageOf(specifier);
    if (p) found.push({ file, pkg: p, typeOnly });
  };
  // `import ... from 'x'`, `export ... from 'x'` (over several lines), `import 'x'`.
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^;'"()=]*?\sfrom\s*)?['"]([^'"]+)['"]/gm)) add(m[3], m[2] !== undefined);
  // `import('x')`, `await import('x')`.
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1], false);
  return found;
}

const srcImports = filesUnder('src').flatMap(importsOf);
const allImports = [...srcImports, ...['test', 'bench', 'scripts', 'examples'].flatMap(filesUnder).flatMap(importsOf), ...ROOT_FILES.flatMap(importsOf)];
const importedBySrc = new Set(srcImports.map((i) => i.pkg));
const importedAnywhere = new Set(allImports.map((i) => i.pkg));
const dependencies = Object.keys(pkg.dependencies);
const devDependencies = Object.keys(pkg.devDependencies);

/** `@types/x` is used when `x` is (`@types/node` when anything is: Node's own modules). */
const typesUsed = (name: string): boolean => name === '@types/node' || importedAnywhere.has(name.slice('@types/'.length));

describe('package.json dependencies', () => {
  it('reads the imports it checks (sanity: the scan finds known ones)', () => {
    expect(importedBySrc).toContain('graphql-yoga');
    expect(importedAnywhere).toContain('vitest');
    expect(srcImports.find((i) => i.pkg === '@aftership/tracking-sdk')?.typeOnly).toBe(true);
  });

  it('every dependency is imported by src/', () => {
    const unused = dependencies.filter((d) => !importedBySrc.has(d) && !(d in ADOPTION_PENDING));
    expect(unused, 'dependencies imported nowhere in src/: remove them, or move them to devDependencies').toEqual([]);
  });

  it('every devDependency is imported, or is a tool whose use is checked', () => {
    const unused = devDependencies
      .filter((d) => !importedAnywhere.has(d) && !(d.startsWith('@types/') ? typesUsed(d) : USED_WITHOUT_IMPORT[d]?.used()))
      .map((d) => (USED_WITHOUT_IMPORT[d] ? `${d} (listed as used because ${USED_WITHOUT_IMPORT[d].why}, which no longer holds)` : d));
    expect(unused, 'devDependencies used nowhere: remove them').toEqual([]);
  });

  it('the lists above name only declared packages, and pending ones are not imported yet', () => {
    const declared = new Set([...dependencies, ...devDependencies]);
    for (const name of [...Object.keys(USED_WITHOUT_IMPORT), ...Object.keys(ADOPTION_PENDING)]) {
      expect(declared.has(name), `${name} is listed here but not in package.json`).toBe(true);
    }
    const adopted = Object.keys(ADOPTION_PENDING).filter((d) => importedBySrc.has(d));
    expect(adopted, 'now imported by src/: remove from ADOPTION_PENDING').toEqual([]);
  });

  it('everything imported is declared, and src/ needs only dependencies at run time', () => {
    const declared = new Set([...dependencies, ...devDependencies]);
    const undeclared = [...new Set(allImports.filter((i) => !declared.has(i.pkg)).map((i) => `${i.pkg} (${i.file})`))];
    expect(undeclared, 'imported but not in package.json').toEqual([]);
    const devAtRunTime = srcImports.filter((i) => !i.typeOnly && !dependencies.includes(i.pkg)).map((i) => `${i.pkg} (${i.file})`);
    expect(devAtRunTime, 'src/ imports a devDependency at run time; the production image does not install it').toEqual([]);
  });
});
