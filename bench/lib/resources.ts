/**
 * Everything a scenario starts (sandbox, servers, child processes), stopped in reverse order
 * however the scenario ends, so a failed run leaves no process or port behind.
 */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface Resources {
  add<T extends Stoppable>(resource: T): T;
  /** Starts several at once; if one fails, the others that started are kept for `stop()`. */
  all<T extends Stoppable[]>(...starting: { [K in keyof T]: Promise<T[K]> }): Promise<T>;
  stop(): Promise<void>;
}

export function createResources(): Resources {
  const held: Stoppable[] = [];
  return {
    add(resource) {
      held.push(resource);
      return resource;
    },
    async all<T extends Stoppable[]>(...starting: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
      const settled = await Promise.allSettled(starting as Promise<Stoppable>[]);
      for (const s of settled) if (s.status === 'fulfilled') held.push(s.value);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      return settled.map((s) => (s as PromiseFulfilledResult<Stoppable>).value) as T;
    },
    async stop() {
      const errors: unknown[] = [];
      for (const r of held.splice(0).reverse()) {
        await r.stop().catch((e: unknown) => errors.push(e));
      }
      if (errors.length) throw errors[0];
    },
  };
}
