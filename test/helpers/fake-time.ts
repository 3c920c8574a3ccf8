/** Driving a ManualClock from tests: advance in steps and let promise chains settle in between. */
import type { ManualClock } from '../../src/lib/clock.js';

/** Lets every pending promise chain (and Response body reads) run to completion. */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Advances `ms` in `step`s, flushing after each. */
export async function advance(clock: ManualClock, ms: number, step = 1): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await flush();
  }
}

/** Advances the clock until `p` settles (at most `maxMs`), then returns its outcome. */
export async function settle<T>(clock: ManualClock, p: Promise<T>, maxMs = 60_000, step = 10): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let state: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  p.then(
    (value) => (state = { ok: true, value }),
    (error: unknown) => (state = { ok: false, error }),
  );
  await flush();
  for (let t = 0; state === undefined && t < maxMs; t += step) {
    clock.advance(step);
    await flush();
  }
  if (!state) throw new Error(`promise did not settle within ${maxMs} ms of manual time`);
  return state;
}
