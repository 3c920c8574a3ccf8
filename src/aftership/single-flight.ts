/**
 * Identical requests in flight share one execution. Each caller keeps its own AbortSignal: an
 * aborting caller stops waiting at once; the shared execution is aborted only when every caller
 * has aborted (a caller without a signal keeps it alive).
 */
export interface SingleFlight {
  /** Runs `fn` unless a call with the same key is in flight; `onJoin` fires for callers that join. */
  run<T>(key: string, fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal, onJoin?: () => void): Promise<T>;
  /** A call with this key is in flight (and not aborted): `run` would join it. */
  has(key: string): boolean;
  inFlight(): number;
}

/** `p`, or the signal's reason as soon as the signal aborts. */
export function raceSignal<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

interface Flight {
  promise: Promise<unknown>;
  controller: AbortController;
  /** Callers still interested (callers without a signal count forever). */
  interested: number;
}

export function createSingleFlight(): SingleFlight {
  const flights = new Map<string, Flight>();

  const attach = <T>(flight: Flight, signal?: AbortSignal): Promise<T> => {
    flight.interested++;
    if (signal) {
      const onAbort = (): void => {
        if (--flight.interested === 0) flight.controller.abort(signal.reason);
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        flight.promise.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => undefined);
      }
    }
    return raceSignal(flight.promise as Promise<T>, signal);
  };

  return {
    run<T>(key: string, fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal, onJoin?: () => void): Promise<T> {
      const existing = flights.get(key);
      if (existing && !existing.controller.signal.aborted) {
        onJoin?.();
        return attach<T>(existing, signal);
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      const controller = new AbortController();
      const flight: Flight = { promise: Promise.resolve(), controller, interested: 0 };
      flight.promise = fn(controller.signal).finally(() => {
        if (flights.get(key) === flight) flights.delete(key);
      });
      flight.promise.catch(() => undefined); // observed through attach()
      flights.set(key, flight);
      return attach<T>(flight, signal);
    },
    has: (key) => flights.get(key)?.controller.signal.aborted === false,
    inFlight: () => flights.size,
  };
}
