/**
 * Builds the tracking page into examples/tracking-page/dist/ (what the gateway serves at
 * /examples/tracking/ when no real AfterShip account is configured, or what you copy to any static host):
 * app.js bundled and minified by esbuild, index.html with the gateway's URL and the page's token, style.css.
 *
 *   npm run example:build [-- --token <lookup-only token>] [--gateway <GraphQL URL>] [--out <folder>]
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const DEFAULT_OUT_DIR = join(HERE, 'dist');

export interface BuildOptions {
  /** @default examples/tracking-page/dist */
  outDir?: string;
  /** The page's token (a lookup-only one: every visitor can read it). None: a gateway without access control. */
  token?: string;
  /** The gateway's GraphQL URL. None: `/graphql` on the page's own origin. */
  gatewayUrl?: string;
}

export interface BuiltFile {
  name: string;
  bytes: number;
  gzipBytes: number;
}

const attribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function setMeta(html: string, name: string, value: string): string {
  const tag = `<meta name="${name}" content="">`;
  if (!html.includes(tag)) throw new Error(`index.html lacks ${tag}`);
  return html.replace(tag, `<meta name="${name}" content="${attribute(value)}">`);
}

export async function buildTrackingPage(options: BuildOptions = {}): Promise<BuiltFile[]> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  if (options.gatewayUrl !== undefined && !/^https?:\/\/\S+$/.test(options.gatewayUrl)) throw new Error(`--gateway must be an http(s) URL (got "${options.gatewayUrl}")`);
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(HERE, 'src/main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    // Browsers of the last few years (module scripts, `Array.prototype.at`, `Object.hasOwn`).
    target: ['es2022'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  let html = await readFile(join(HERE, 'index.html'), 'utf8');
  html = setMeta(html, 'gateway-url', options.gatewayUrl ?? '');
  html = setMeta(html, 'gateway-token', options.token ?? '');
  await writeFile(join(outDir, 'index.html'), html);
  await copyFile(join(HERE, 'style.css'), join(outDir, 'style.css'));
  const files: BuiltFile[] = [];
  for (const name of ['index.html', 'app.js', 'style.css']) {
    const body = await readFile(join(outDir, name));
    files.push({ name, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length });
  }
  return files;
}

function parseArgs(argv: readonly string[]): BuildOptions {
  const options: BuildOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    if (!['--token', '--gateway', '--out'].includes(flag)) throw new Error(`unknown argument "${arg}" (use --token, --gateway, --out)`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--token') options.token = value;
    else if (flag === '--gateway') options.gatewayUrl = value;
    else options.outDir = value;
  }
  return options;
}

async function main(): Promise<void> {
  let options: BuildOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`example:build: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const files = await buildTrackingPage(options);
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  for (const f of files) process.stdout.write(`${f.name.padEnd(11)} ${kb(f.bytes).padStart(9)}  ${kb(f.gzipBytes).padStart(8)} gzip\n`);
  const total = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  process.stdout.write(`total       ${kb(files.reduce((sum, f) => sum + f.bytes, 0)).padStart(9)}  ${kb(total).padStart(8)} gzip  → ${options.outDir ?? DEFAULT_OUT_DIR}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
