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
