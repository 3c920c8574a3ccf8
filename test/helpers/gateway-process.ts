/**
 * The gateway as operators run it: `src/main.ts` in its own Node process (through tsx), configured by
 * its environment, its JSON log lines read from stderr. For tests of what only a real process shows:
 * signals, exit codes, start-up failures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface GatewayProcess {
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly lines: LogLine[];
  /** stderr lines that are not JSON (e.g. a start-up failure). */
  readonly text: string[];
  /** Resolves with the first line (past or future) that matches. */
  waitForLine(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** SIGKILL if still running. */
  kill(): void;
}

export function spawnGateway(env: Record<string, string>): GatewayProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // Only what the test gives (plus PATH): the developer's own variables must not leak in.
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: LogLine[] = [];
  const text: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let at: number;
    while ((at = buffered.indexOf('\n')) >= 0) {
      const raw = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      try {
        lines.push(JSON.parse(raw) as LogLine);
      } catch {
        text.push(raw);
      }
    }
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const w of [...waiters]) w();
  });

  return {
    child,
    lines,
    text,
    exited,
    waitForLine(match, what, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(match);
          if (found || done) {
            waiters.delete(check);
            clearTimeout(timer);
            if (found) resolve(found);
            else reject(new Error(`gateway exited before logging ${what}; stderr:\n${[...lines.map((l) => JSON.stringify(l)), ...text].join('\n')}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no log line for ${what} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** The gateway's base URL, from its start-up line (PORT=0 picks a free port). */
export async function gatewayUrl(gw: GatewayProcess): Promise<string> {
  const line = await gw.waitForLine((l) => /GraphiQL at http:\/\/localhost:\d+\/graphql/.test(l.msg), 'its start-up line');
  const port = /localhost:(\d+)\//.exec(line.msg)![1];
  return `http://127.0.0.1:${port}`;
}
