/**
 * Child-process entry for a server under test, so its CPU and memory are its own.
 * BENCH_SERVER=gateway (default): the real gateway, configured from the environment like
 * production (AFTERSHIP_API_KEY, AFTERSHIP_BASE_URL, AFTERSHIP_WEBHOOK_SECRET, ...).
 * BENCH_SERVER=hello: a bare graphql-yoga hello world.
 * BENCH_SERVER=webhook-floor | fanout-floor: what any Node server manages here (lib/floors.ts).
 * Started by bench/lib/server-runner.ts; answers IPC calls (stats, pubsub, memory, clearCache).
 */
import { emit, serveIpc } from './lib/ipc.js';
import { startFanoutFloor, startWebhookFloor } from './lib/floors.js';
import { sampleMemory, startGatewayServer, startHelloServer } from './lib/servers.js';

const kind = process.env.BENCH_SERVER ?? 'gateway';
// The orchestrator went away (crashed or killed): do not linger as an orphan.
process.on('disconnect', () => process.exit(0));
const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));

if (kind === 'hello') {
  const hello = await startHelloServer();
  serveIpc({ memory: () => sampleMemory() });
  process.on('SIGTERM', () => void hello.stop().finally(() => process.exit(0)));
  emit('ready', { url: hello.url, pid: process.pid });
} else if (kind === 'gateway') {
  const gw = await startGatewayServer(env);
  serveIpc({
    stats: () => gw.controls.stats(),
    pubsub: () => gw.controls.pubsub(),
    memory: () => gw.controls.memory(),
    clearCache: () => (gw.controls.clearCache(), true),
    responseCache: () => gw.controls.responseCache() ?? null,
  });
  process.on('SIGTERM', () => void gw.controls.stop().finally(() => process.exit(0)));
  emit('ready', { url: gw.url, pid: process.pid });
} else if (kind === 'webhook-floor' || kind === 'fanout-floor') {
  const secret = env.AFTERSHIP_WEBHOOK_SECRET ?? '';
  const floor = kind === 'webhook-floor' ? await startWebhookFloor(secret) : await startFanoutFloor(secret);
  serveIpc({ subscribers: () => floor.subscribers(), lastWriteMs: () => floor.lastWriteMs() });
  process.on('SIGTERM', () => void floor.stop().finally(() => process.exit(0)));
  emit('ready', { url: floor.url, pid: process.pid });
} else {
  process.stderr.write(`BENCH_SERVER must be "gateway", "hello", "webhook-floor" or "fanout-floor" (got "${kind}")\n`);
  process.exit(2);
}
