/**
 * The shell examples of README.md as data, so tests run them as written: `npm start` commands with
 * their environment, and `curl` calls. A deliberately small reader of the shell the README uses
 * (NAME=value words, '…' and "…" quoting, `\` line continuations); anything else it does not know
 * (another `$…` than a key generator) fails the test instead of being guessed.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const README = new URL('../../README.md', import.meta.url);

/** Every ```sh block of the README. */
export function readmeShellBlocks(): string[] {
  const text = readFileSync(README, 'utf8');
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** The words of one command line (continuations joined), quotes removed and `$(…)` evaluated. */
export function shellWords(command: string): string[] {
  const line = command.replace(/\\\n/g, ' ').trim();
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      word += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) throw new Error(`unterminated " in: ${line}`);
      word += substitute(line.slice(i + 1, end));
      i = end;
    } else if (c === '$') {
      throw new Error(`unquoted $ in README shell: ${line}`);
    } else {
      word += c;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** `$(openssl rand -base64 N)`: N random bytes, base64, as the command would print them. */
function substitute(text: string): string {
  return text.replace(/\$\(([^)]*)\)|\$/g, (all, command: string | undefined) => {
    const m = command === undefined ? null : /^openssl rand -base64 (\d+)$/.exec(command.trim());
    if (!m) throw new Error(`README shell uses ${all}, which the test cannot run`);
    return randomBytes(Number(m[1])).toString('base64');
  });
}

/** The environment of an `npm start` command: its leading NAME=value words. */
export function startEnvironment(block: string): Record<string, string> {
  const words = shellWords(block);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length; i++) {
    const m = /^([A-Z][A-Z0-9_]*)=([\s\S]*)$/.exec(words[i]);
    if (!m) break;
    env[m[1]] = m[2];
  }
  if (words.slice(i).join(' ') !== 'npm start') throw new Error(`expected "npm start" after the environment, got "${words.slice(i).join(' ')}"`);
  return env;
}

export interface CurlCall {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** A `curl [-X METHOD] [-H 'Name: value']… URL` line. */
export function curlCall(line: string): CurlCall {
  const words = shellWords(line);
  if (words[0] !== 'curl') throw new Error(`not a curl call: ${line}`);
  const call: CurlCall = { method: 'GET', url: '', headers: {} };
  for (let i = 1; i < words.length; i++) {
    if (words[i] === '-X') call.method = words[++i];
    else if (words[i] === '-H') {
      const h = words[++i];
      const at = h.indexOf(':');
      call.headers[h.slice(0, at).trim().toLowerCase()] = h.slice(at + 1).trim();
    } else if (!words[i].startsWith('-')) call.url = words[i];
    else throw new Error(`unknown curl option ${words[i]}`);
  }
  return call;
}
