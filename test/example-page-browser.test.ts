/**
 * The example tracking page (examples/tracking-page) in headless Chromium (Debian's `chromium`, driven
 * by playwright-core, as test/graphiql-browser does), against the gateway as `npm start` runs it: its own
 * process, serving the page, with the README's lookup-only token. The sandbox runs in its own process too
 * (`npm run sandbox`), so its shipments keep their state while the gateway is killed and started again on
 * the same port. A customer types a seeded number and sees it; the sandbox's control route moves it and the
 * page shows the change within 5 s without a reload; the gateway restarts, the page says it is reconnecting,
 * then live, and shows a change made during the outage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildTrackingPage } from '../examples/tracking-page/build.js';
import { STATUS } from '../examples/tracking-page/src/present.js';
import type { Tag } from '../examples/tracking-page/src/generated/graphql.js';
import { gatewayUrl, spawnGateway, type GatewayProcess } from './helpers/gateway-process.js';
import { shellWords, startEnvironment } from './helpers/readme-shell.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

// The example's README set-up, as written: the build's token, and the gateway's environment for `npm start`.
const readmeLines = [...readFileSync(new URL('../examples/tracking-page/README.md', import.meta.url), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1].split('\n'))
  .map((l) => l.trim());
const buildWords = shellWords(readmeLines.find((l) => l.startsWith('npm run example:build --')) ?? '');
const PAGE_TOKEN = buildWords[buildWords.indexOf('--token') + 1];
const README_ENV = startEnvironment(readmeLines.find((l) => /\bnpm start$/.test(l)) ?? 'npm start');
const API_KEY = 'sandbox-api-key';
const WEBHOOK_SECRET = 'sandbox-webhook-secret';

interface WireTracking {
  id: string;
  tracking_number: string;
  slug: string;
  tag: string;
  checkpoints: { message?: string | null }[];
}

/** AfterShip's tag (`InTransit`) as the schema's enum value (`IN_TRANSIT`). */
const tagOf = (wire: string): Tag => wire.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() as Tag;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `npm run sandbox` as its own process; resolves with its base URL from its first line. */
function spawnSandbox(webhookUrl: string): Promise<{ child: ChildProcess; url: string }> {
  // Real pace (speed 1, no new shipments): nothing moves on its own during the test but what it moves.
  const args = ['--port', '0', '--api-key', API_KEY, '--webhook-url', webhookUrl, '--webhook-secret', WEBHOOK_SECRET, '--speed', '1', '--new-shipments-per-hour', '0'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /sandbox at (http:\/\/[^\s/]+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before it listened:\n${out}\n${err}`)));
  });
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the example tracking page in a real browser', () => {
  let sandbox: { child: ChildProcess; url: string };
  let port: number;
  let gateway: GatewayProcess;
  let base: string;
  let browser: Browser;

  // The README's environment, pointed at the sandbox process (the main README's "The sandbox on its own");
  // a shorter queue timeout (10 s by default) so that a lookup AfterShip keeps refusing (429) is answered
  // RATE_LIMITED sooner; still long enough to wait out the 1-second windows this test's own calls share.
  const gatewayEnv = (): Record<string, string> => ({
    ...README_ENV,
    PORT: String(port),
    HOST: '127.0.0.1',
    AFTERSHIP_API_KEY: API_KEY,
    AFTERSHIP_BASE_URL: sandbox.url,
    AFTERSHIP_WEBHOOK_SECRET: WEBHOOK_SECRET,
    AFTERSHIP_QUEUE_TIMEOUT_MS: '4000',
  });
  async function startGatewayProcess(): Promise<void> {
    gateway = spawnGateway(gatewayEnv());
    base = await gatewayUrl(gateway);
  }

  const sandboxGet = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${sandbox.url}/tracking/2026-07${path}`, { headers: { 'as-api-key': API_KEY } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: T }).data;
  };
  /** The sandbox's control route: the tracking's next event, until one adds a checkpoint. */
  async function moveToNextCheckpoint(id: string): Promise<WireTracking> {
    const before = (await sandboxGet<WireTracking>(`/trackings/${id}`)).checkpoints.length;
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${sandbox.url}/__sandbox/trackings/${id}/move`, { method: 'POST' });
      expect(res.status, 'the tracking has events left').toBe(200);
      const { tracking } = (await res.json()) as { tracking: WireTracking };
      if (tracking.checkpoints.length > before) return tracking;
    }
    throw new Error(`ten moves of ${id} added no checkpoint`);
  }

  it("uses the README's set-up: a lookup-only token, the one the page is built with", () => {
    const tokens = JSON.parse(README_ENV.GATEWAY_TOKENS ?? '[]') as { token: string; lookupOnly?: boolean; scopes: string[] }[];
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ token: PAGE_TOKEN, lookupOnly: true });
    expect(Object.keys(README_ENV)).toEqual(['GATEWAY_TOKENS']);
  });

  beforeAll(async () => {
    // The page as the README builds it: `npm run example:build -- --token <its token>`.
    expect(PAGE_TOKEN, 'the README builds the page with --token').toMatch(/^\S{8,}$/);
    await buildTrackingPage({ token: PAGE_TOKEN });
    port = await freePort();
    sandbox = await spawnSandbox(`http://127.0.0.1:${port}/webhooks/aftership`);
    await startGatewayProcess();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    gateway?.kill();
    sandbox?.child.kill('SIGKILL');
  });

  const graphql = (query: string, variables: Record<string, unknown> = {}) =>
    fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PAGE_TOKEN}` },
      body: JSON.stringify({ query, variables }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] } }));

  it("the page's token looks a tracking up by number and cannot list the account's trackings", async () => {
    const [seeded] = await sandboxGet<{ trackings: WireTracking[] }>('/trackings?limit=1').then((d) => d.trackings);
    const found = await graphql('query ($n: String!) { trackingByNumber(trackingNumber: $n) { trackingNumber tag } }', { n: seeded.tracking_number });
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data).toEqual({ trackingByNumber: { trackingNumber: seeded.tracking_number, tag: tagOf(seeded.tag) } });

    const listed = await graphql('{ trackings(first: 5) { totalCount edges { node { trackingNumber } } } }');
    expect(listed.body.data).toBeNull();
    expect(listed.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(listed.body.errors?.[0].message).toContain('lookup-only');
    // Without the token nothing is answered at all.
    const anonymous = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(anonymous.status).toBe(401);
  });

  it('is served by the gateway under its own strict Content-Security-Policy', async () => {
    const bare = await fetch(`${base}/examples/tracking`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/examples/tracking/');
    const page = await fetch(`${base}/examples/tracking/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain(`<meta name="gateway-token" content="${PAGE_TOKEN}">`);
    expect((await fetch(`${base}/examples/tracking/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/examples/tracking/../../package.json`)).status).not.toBe(200);
    expect((await fetch(`${base}/examples/tracking/build.ts`)).status).toBe(404);
  });

  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    await page.goto(`${base}/examples/tracking/`, { waitUntil: 'load' });
    return { page, problems };
  }

  /** What the page shows of the shipment. */
  const shown = (page: Page) =>
    page.evaluate(() => ({
      status: document.getElementById('status')?.textContent ?? '',
      checkpoints: [...document.querySelectorAll('#checkpoints li .what')].map((e) => e.textContent ?? ''),
      times: [...document.querySelectorAll('#checkpoints li time')].map((e) => e.getAttribute('datetime') ?? ''),
      live: document.getElementById('live-text')?.textContent ?? '',
      announced: document.getElementById('announcer')?.textContent ?? '',
    }));
  /** The page shows `t`: its status and every checkpoint, newest first. */
  const showsTracking = async (page: Page, t: WireTracking): Promise<boolean> => {
    const s = await shown(page);
    return s.status === STATUS[tagOf(t.tag)] && JSON.stringify(s.checkpoints) === JSON.stringify(t.checkpoints.map((c) => c.message).reverse());
  };

  it('shows a seeded shipment, follows it live, and catches up after the gateway restarts', async () => {
    // A shipment early in its life: label created or in transit, with scans still to come.
    const list = await sandboxGet<{ trackings: WireTracking[] }>('/trackings?limit=200');
    const pick = list.trackings.find((t) => (t.tag === 'InTransit' || t.tag === 'InfoReceived') && t.checkpoints.length > 0 && t.checkpoints.length < 4)!;
    expect(pick, 'a seeded shipment in transit').toBeDefined();

    const { page, problems } = await openPage();
    const other = await openPage();
    // The keyboard only: the label names the field, Enter submits.
    await page.getByLabel('Tracking number').focus();
    await page.keyboard.type(pick.tracking_number);
    await page.keyboard.press('Enter');
    await expect.poll(() => showsTracking(page, pick), { timeout: 15_000 }).toBe(true);
    const first = await shown(page);
    expect(first.times.length).toBe(pick.checkpoints.length);
    expect(first.announced).toContain('Shipment found');
    await expect.poll(async () => (await shown(page)).live, { timeout: 15_000 }).toMatch(/^Live/);
    expect(new URL(page.url()).searchParams.get('number')).toBe(pick.tracking_number);

    // The sandbox moves it: the page shows it within 5 s, without a reload.
    const moved = await moveToNextCheckpoint(pick.id);
    const movedAt = Date.now();
    await expect.poll(() => showsTracking(page, moved), { timeout: 5_000, interval: 100 }).toBe(true);
    const tookMs = Date.now() - movedAt;
    expect(tookMs).toBeLessThan(5_000);
    expect((await shown(page)).announced).toMatch(/Status update/);

    // The gateway goes away: the page says it is reconnecting.
    gateway.kill();
    await gateway.exited;
    await expect.poll(async () => (await shown(page)).live, { timeout: 10_000 }).toBe('Reconnecting…');
    // Another customer, whose page loaded before, looks a parcel up meanwhile.
    await other.page.getByLabel('Tracking number').fill(pick.tracking_number);
    await other.page.getByRole('button', { name: 'Track' }).click();
    await expect.poll(() => other.page.locator('#problem').textContent(), { timeout: 10_000 }).toBe(
      'We cannot reach the tracking service. Check your internet connection, then try again.',
    );
    // A change while it is down (its webhook is refused: nobody listens).
    const duringOutage = await moveToNextCheckpoint(pick.id);
    await startGatewayProcess();
    // Live again, and showing what happened while away (re-queried on reconnection).
    await expect.poll(async () => (await shown(page)).live, { timeout: 30_000 }).toMatch(/^Live/);
    await expect.poll(() => showsTracking(page, duringOutage), { timeout: 10_000 }).toBe(true);
    expect(problems).toEqual([]);
    expect(other.problems).toEqual([]);
    await page.close();
    await other.page.close();
  }, 120_000);

  it('explains a number it cannot find, in a sentence', async () => {
    const { page, problems } = await openPage();
    await page.getByLabel('Tracking number').fill('NOSUCHPARCEL0001');
    await page.getByLabel('Courier (optional)').fill('ups');
    await page.getByRole('button', { name: 'Track' }).click();
    const problem = page.locator('#problem');
    await expect.poll(() => problem.textContent(), { timeout: 15_000 }).toContain('We could not find tracking number NOSUCHPARCEL0001 with the courier "ups"');
    expect(await page.getByLabel('Tracking number').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#shipment').isHidden()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("says when AfterShip's rate limit refuses the lookup, and when to try again", async () => {
    // AfterShip answers every lookup 429: the gateway waits out its queue timeout, then refuses with retryAfterSeconds.
    const faults = (body: unknown) => fetch(`${sandbox.url}/__sandbox/faults`, { method: body ? 'POST' : 'DELETE', body: body ? JSON.stringify(body) : undefined });
    expect((await faults({ rateLimitRate: 1, endpoints: ['GET /trackings'] })).status).toBe(200);
    try {
      const { page, problems } = await openPage();
      await page.getByLabel('Tracking number').fill('RATELIMITED0001');
      await page.getByRole('button', { name: 'Track' }).click();
      await expect.poll(() => page.locator('#problem').textContent(), { timeout: 15_000 }).toMatch(/^There are too many lookups right now\. Please try again in \d+ s\.$/);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await faults(undefined);
    }
  }, 60_000);
});
