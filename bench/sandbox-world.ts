/**
 * How fast the sandbox seeds a large account and serves it: seed time and heap per size, then one
 * full pass over GET /trackings at 200 per page (in-process, through the real API handler).
 * Not part of `npm run bench`; run alone (the heap figures need --expose-gc):
 *
 *   node --expose-gc --import tsx bench/sandbox-world.ts [10000,100000]
 */
import { ManualClock } from '../src/lib/clock.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';

const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const START = Date.UTC(2026, 5, 1, 9);
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;
/** CPU time of this process (ms): steadier than wall time on a shared machine. */
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const timed = async <T>(f: () => Promise<T> | T): Promise<{ value: T; wall: number; cpu: number }> => {
  const w0 = performance.now();
  const c0 = cpu();
  const value = await f();
  return { value, wall: performance.now() - w0, cpu: cpu() - c0 };
};
const show = (t: { wall: number; cpu: number }): string => `${t.wall.toFixed(0)} ms (${t.cpu.toFixed(0)} ms CPU)`;

async function fullPass(sandbox: Sandbox, query = ''): Promise<{ pages: number; seen: number; total: number }> {
  let cursor = '';
  let pages = 0;
  let seen = 0;
  let total = 0;
  for (;;) {
    const url = `http://sandbox/tracking/2026-07/trackings?limit=200${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await sandbox.handle(new Request(url, { headers: { 'as-api-key': 'k' } }));
    const body = (await res.json()) as { data: { pagination: { total: number; next_cursor: string; has_next_page: boolean }; trackings: unknown[] } };
    pages++;
    seen += body.data.trackings.length;
    total = body.data.pagination.total;
    if (!body.data.pagination.has_next_page) break;
    cursor = body.data.pagination.next_cursor;
  }
  return { pages, seen, total };
}

void createSandbox({ apiKey: 'k', clock: new ManualClock(START), seed: 2000 }).close(); // load the modules and warm the JIT
for (const n of sizes) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const seeded = await timed(() => createSandbox({ apiKey: 'k', clock: new ManualClock(START), seed: n, enforceRateLimits: false }));
  const sandbox = seeded.value;
  gc();
  const heap = process.memoryUsage().heapUsed - before;
  process.stdout.write(`${n} trackings: seeded in ${show(seeded)}, heap +${mib(heap)} (${Math.round(heap / n)} B per tracking)\n`);
  for (const query of ['', '&tag=Delivered']) {
    const pass = await timed(() => fullPass(sandbox, query));
    const { pages, seen, total } = pass.value;
    process.stdout.write(`  full pass${query ? ` (${query.slice(1)})` : ''}: ${pages} pages, ${seen}/${total} trackings in ${show(pass)}, ${(pass.wall / pages).toFixed(1)} ms per page\n`);
  }
  await sandbox.close();
}
