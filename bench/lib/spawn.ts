/** Starts a bench entry point (TypeScript, run through tsx) as a child process with an IPC channel. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createIpcCaller, type IpcCaller } from './ipc.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BenchChild {
  child: ChildProcess;
  ipc: IpcCaller;
  /** Asks politely (SIGTERM), then kills after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

export async function forkBenchChild(
  entry: 'gateway-process.ts' | 'load-client.ts',
  options: { env?: Record<string, string>; nodeArgs?: string[]; readyTimeoutMs?: number } = {},
): Promise<BenchChild & { ready: Record<string, unknown> }> {
  const child = fork(fileURLToPath(new URL(`../${entry}`, import.meta.url)), [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx', ...(options.nodeArgs ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ipc = createIpcCaller(child, entry);
  let exited = false;
  const exitedP = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const stop = async (graceMs = 5000): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exitedP;
    clearTimeout(t);
  };
  try {
    const ready = await Promise.race([
      ipc.once<Record<string, unknown>>('ready', options.readyTimeoutMs ?? 90_000),
      exitedP.then(() => {
        throw new Error(`${entry} exited before it was ready (code ${child.exitCode})`);
      }),
    ]);
    return { child, ipc, stop, ready };
  } catch (e) {
    await stop(0);
    throw e;
  }
}
