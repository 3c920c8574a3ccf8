/**
 * `npm start` with no key shows GraphiQL at /graphql: opened in headless Chromium (Debian's
 * `chromium` driven by playwright-core, which downloads no browser), it runs the ready example
 * query and shows seeded data, under the gateway's strict Content-Security-Policy, offline.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('GraphiQL in a real browser', () => {
  let gw: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    // As `npm start` runs it: the default SANDBOX_SPEED is a time-lapse (a simulated day per minute).
    gw = await startGateway({ sandboxMode: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  async function openGraphiQL(path: string) {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${gw.url}${path}`, { waitUntil: 'load' });
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    return { page, problems, result: page.locator('.graphiql-response, .result-window').first() };
  }

  it('shows a subscription to a seeded tracking move, live over graphql-ws', async () => {
    // Pick a seeded shipment that is still moving.
    const list = await gw.graphql<{ trackings: { edges: { node: { id: string; aftershipId: string; active: boolean | null } }[] } }, Record<string, never>>(
      '{ trackings(first: 60) { edges { node { id aftershipId active } } } }',
    );
    const moving = list.data!.trackings.edges.map((e) => e.node).filter((n) => n.active);
    expect(moving.length).toBeGreaterThan(0);
    // Subscribe to several moving trackings in GraphiQL tabs would be slow; one tab, one tracking per run:
    // the one with the most scans planned in the next 16 simulated hours (40 s at a day a minute).
    const soon = (n: { aftershipId: string }): number =>
      gw.sandbox.store.plannedEvents(n.aftershipId).filter((p) => !p.tag.startsWith('(') && p.at < gw.sandbox.now() + 16 * 3_600_000).length;
    const pick = [...moving].sort((a, b) => soon(b) - soon(a))[0];
    const id = pick.id;
    const query = `subscription { trackingUpdated(id: "${id}") { id tag subtagMessage updatedAt latestCheckpoint { message city } } }`;
    const { page, problems, result } = await openGraphiQL(`/graphql?query=${encodeURIComponent(query)}`);
    const seen = new Set<string>();
    let lastNew = Date.now();
    await expect
      .poll(
        async () => {
          const text = (await result.textContent()) ?? '';
          const at = /"updatedAt":\s*"([^"]+)"/.exec(text)?.[1];
          if (at && !seen.has(at)) lastNew = Date.now();
          if (at) seen.add(at);
          // A slow page may subscribe after the parcel's burst of scans: then move it by hand.
          if (Date.now() - lastNew > 12_000) {
            lastNew = Date.now();
            await gw.sandbox.moveTracking(pick.aftershipId);
          }
          return seen.size;
        },
        { timeout: 45_000, interval: 250 },
      )
      .toBeGreaterThanOrEqual(2);
    expect(((await result.textContent()) ?? '').replace(/\s+/g, '')).toContain(id);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('runs the example query and shows seeded trackings, with no CSP violation and no outside request', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['blob:', 'data:'].includes(u.protocol)) outside.push(r.url());
    });

    const response = await page.goto(`${gw.url}/graphql`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    const result = page.locator('.graphiql-response, .result-window').first();
    await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 30_000 }).toMatch(/"trackingNumber"/);
    const text = (await result.textContent()) ?? '';
    expect(text).not.toMatch(/"errors"/);
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  }, 90_000);
});
