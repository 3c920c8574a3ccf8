/**
 * Reads docker-compose.yml as Docker Compose would, without a Docker engine: YAML (anchors and
 * aliases resolved by the `yaml` package) and Compose's variable interpolation (`$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`,
 * nested in defaults, `$$` for a literal `$`), per the Compose specification.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type ComposeEnv = Readonly<Record<string, string | undefined>>;

export interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  configs?: Record<string, { content?: string }>;
  [key: string]: unknown;
}

export function readComposeFile(path: string): ComposeFile {
  return parse(readFileSync(path, 'utf8')) as ComposeFile;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Compose's interpolation of one value. Throws the `?` error message like `docker compose` does. */
export function interpolate(text: string, env: ComposeEnv): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      out += expand(text.slice(i + 2, end), env);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (!name) throw new Error(`invalid interpolation at "${text.slice(i)}"`);
      out += env[name] ?? '';
      i += 1 + name.length;
    }
  }
  return out;
}

/** Index of the `}` closing a `${` whose body starts at `from` (nested `${...}` skipped). */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unclosed "\${" in "${text}"`);
}

function expand(body: string, env: ComposeEnv): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new Error(`invalid variable name in "\${${body}}"`);
  const rest = body.slice(name.length);
  const value = env[name];
  if (rest === '') return value ?? '';
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!op) throw new Error(`invalid interpolation "\${${body}}"`);
  const arg = rest.slice(op.length);
  const unsetOrEmpty = value === undefined || value === '';
  const colon = op.startsWith(':');
  const missing = colon ? unsetOrEmpty : value === undefined;
  switch (op.slice(-1)) {
    case '-':
      return missing ? interpolate(arg, env) : (value ?? '');
    case '?':
      if (missing) throw new Error(`required variable ${name} is missing a value: ${interpolate(arg, env)}`);
      return value ?? '';
    default: // '+'
      return missing ? '' : interpolate(arg, env);
  }
}

/** A service's `environment`, interpolated, as the container's process sees it. */
export function serviceEnvironment(service: ComposeService, env: ComposeEnv): Record<string, string> {
  const raw = service.environment ?? {};
  const entries: [string, string][] = Array.isArray(raw)
    ? raw.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, env[line] ?? ''] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(raw).map(([k, v]) => [k, v === null ? (env[k] ?? '') : String(v)]);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v, env)]));
}

/** A service's `command` as an argument list, interpolated. */
export function serviceCommand(service: ComposeService, env: ComposeEnv): string[] {
  const raw = service.command ?? [];
  const args = Array.isArray(raw) ? raw : raw.split(/\s+/).filter(Boolean);
  return args.map((a) => interpolate(String(a), env));
}
