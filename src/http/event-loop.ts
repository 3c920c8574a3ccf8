/**
 * How far behind the event loop runs: Node's own histogram (perf_hooks.monitorEventLoopDelay),
 * read and reset every `intervalMs`. `lag()` is the worst delay of the last complete interval, or of
 * the current one if it is already worse (a long block shows as soon as the loop gets back).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopMonitor {
  /** Milliseconds: the worst event-loop delay seen recently. */
  lag(): number;
  stop(): void;
}

export function createEventLoopMonitor(options: { intervalMs?: number; resolutionMs?: number } = {}): EventLoopMonitor {
  const intervalMs = options.intervalMs ?? 1000;
  const histogram = monitorEventLoopDelay({ resolution: options.resolutionMs ?? 10 });
  histogram.enable();
  let last = 0;
  const timer = setInterval(() => {
    last = histogram.max / 1e6;
    histogram.reset();
  }, intervalMs);
  timer.unref();
  return {
    lag: () => Math.max(last, histogram.max / 1e6),
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
