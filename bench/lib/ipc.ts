/**
 * Request/response over a child process's IPC channel: `{id, cmd, arg}` → `{id, ok, result|error}`.
 * Unsolicited messages from the child (`{event, ...}`) go to `onEvent`.
 */
import type { ChildProcess } from 'node:child_process';

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface IpcCaller {
  call<T>(cmd: string, arg?: unknown, timeoutMs?: number): Promise<T>;
  /** Resolves with the first event of that name the child sends. */
  once<T>(event: string, timeoutMs?: number): Promise<T>;
}

export function createIpcCaller(child: ChildProcess, label: string): IpcCaller {
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const waiters = new Map<string, ((v: unknown) => void)[]>();
  const failAll = (why: string): void => {
    for (const p of pending.values()) p.reject(new Error(`${label}: ${why}`));
    pending.clear();
  };
  child.on('message', (m: unknown) => {
    const msg = m as Partial<Reply> & { event?: string };
    if (typeof msg.event === 'string') {
      const list = waiters.get(msg.event);
      const w = list?.shift();
      if (w) w(msg);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(`${label}: ${msg.error ?? 'failed'}`));
  });
  child.on('exit', (code, signal) => failAll(`exited (${code ?? signal})`));
  child.on('error', (e) => failAll(e.message));

  const withTimeout = <T>(p: Promise<T>, timeoutMs: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${label}: ${what} timed out after ${timeoutMs} ms`)), timeoutMs);
      p.then(
        (v) => (clearTimeout(t), resolve(v)),
        (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
      );
    });

  return {
    call<T>(cmd: string, arg?: unknown, timeoutMs = 120_000): Promise<T> {
      const id = next++;
      const p = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
      child.send({ id, cmd, arg });
      return withTimeout(p as Promise<T>, timeoutMs, cmd);
    },
    once<T>(event: string, timeoutMs = 60_000): Promise<T> {
      const p = new Promise<unknown>((resolve) => {
        const list = waiters.get(event) ?? [];
        list.push(resolve);
        waiters.set(event, list);
      });
      return withTimeout(p as Promise<T>, timeoutMs, `waiting for ${event}`);
    },
  };
}

export type IpcHandlers = Record<string, (arg: unknown) => unknown>;

/** In the child: answers calls with `handlers[cmd](arg)`. */
export function serveIpc(handlers: IpcHandlers): void {
  process.on('message', (m: unknown) => {
    const msg = m as { id?: number; cmd?: string; arg?: unknown };
    if (typeof msg.id !== 'number' || typeof msg.cmd !== 'string') return;
    const id = msg.id;
    const h = handlers[msg.cmd];
    if (!h) {
      process.send?.({ id, ok: false, error: `unknown command ${msg.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => h(msg.arg))
      .then(
        (result) => process.send?.({ id, ok: true, result }),
        (e: unknown) => process.send?.({ id, ok: false, error: e instanceof Error ? e.message : String(e) }),
      );
  });
}

export function emit(event: string, payload: Record<string, unknown> = {}): void {
  process.send?.({ event, ...payload });
}
