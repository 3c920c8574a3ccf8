/**
 * The README's "sandbox on its own" set-up, run as written: the `npm run sandbox -- …` flags go
 * through the CLI's own parser and start the sandbox as the CLI does; the gateway's `npm start`
 * environment goes through loadConfig and startApp. Only the ports are the test's (5555 and 4000 may
 * be taken on a shared machine): the README's webhook URL and base URL are checked to name the
 * gateway's webhook route and the sandbox's port, then moved to the free ports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/lib/logger.js';
import { parseArgs } from '../src/sandbox/cli.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { readmeShellBlocks, shellWords, startEnvironment } from './helpers/readme-shell.js';

const sandboxBlock = readmeShellBlocks().find((b) => b.trim().startsWith('npm run sandbox --'));
const sandboxArgs = sandboxBlock ? shellWords(sandboxBlock).slice(4) : [];
const cli = parseArgs(sandboxArgs);
const sandboxPort = cli === 'help' ? undefined : cli.port;
const gatewayBlock = readmeShellBlocks().find((b) => /\bnpm start\s*$/.test(b) && new RegExp(`AFTERSHIP_BASE_URL=http://localhost:${sandboxPort}\\b`).test(b));
const gatewayEnv = gatewayBlock ? startEnvironment(gatewayBlock) : {};

describe("README: the sandbox on its own, and a gateway pointed at it", () => {
  let sandbox: Sandbox;
  let app: App;
  beforeAll(async () => {
    if (cli === 'help') throw new Error('the README sandbox command asks for --help');
    expect(shellWords(sandboxBlock!).slice(0, 4)).toEqual(['npm', 'run', 'sandbox', '--']);
    // The README's ports: the sandbox's on the gateway's base URL, the gateway's default on the webhook URL.
    expect(new URL(cli.options.webhookUrl!).pathname).toBe('/webhooks/aftership');
    expect(new URL(cli.options.webhookUrl!).port).toBe(String(loadConfig({}).port));
    sandbox = createSandbox({ ...cli.options, logger: silentLogger });
    const sandboxUrl = await sandbox.listen(0, cli.host);
    app = await startApp(loadConfig({ ...gatewayEnv, AFTERSHIP_BASE_URL: sandboxUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), { logger: silentLogger });
    sandbox.setWebhookTarget(`${app.url}/webhooks/aftership`, cli.options.webhookSecret);
  });
  afterAll(async () => {
    await app?.stop();
    await sandbox?.close();
  });

  it('has both commands, agreeing on the key and the webhook secret', () => {
    expect(sandboxBlock).toBeDefined();
    expect(gatewayBlock).toBeDefined();
    expect(cli).not.toBe('help');
    if (cli === 'help') return;
    expect(gatewayEnv.AFTERSHIP_API_KEY).toBe(cli.options.apiKey);
    expect(gatewayEnv.AFTERSHIP_WEBHOOK_SECRET).toBe(cli.options.webhookSecret);
  });

  it('the gateway starts, not in sandbox mode, and answers from the sandbox', async () => {
    expect(app.sandbox).toBeUndefined();
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ trackings(first: 2) { totalCount edges { node { trackingNumber } } } }' }),
    });
    const body = (await res.json()) as { data?: { trackings: { totalCount: number; edges: unknown[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.trackings.totalCount).toBe(sandbox.store.count());
    expect(body.data?.trackings.edges).toHaveLength(2);
    expect(sandbox.requests.count({ endpoint: 'GET /trackings' })).toBeGreaterThanOrEqual(1);
  });

  it("the sandbox's signed webhooks are accepted by the gateway", async () => {
    const id = sandbox.store.list().find((t) => t.id && sandbox.store.plannedEvents(t.id).length > 0)!.id!;
    sandbox.webhooks.reset();
    await sandbox.moveTracking(id);
    const attempts = sandbox.webhooks.all().filter((w) => w.trackingId === id);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.map((w) => w.status)).toEqual(attempts.map(() => 200));
  });
});
