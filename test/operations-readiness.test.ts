/**
 * `/readyz` is about this instance: AfterShip down or refusing the key is reported (in words that say
 * which) but leaves the instance ready, as every replica shares the same AfterShip; Redis down makes it
 * unready when Redis is configured. A refused key and webhooks-off mode are each logged once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { createPrivateRedis, createRecordingLogger, uniquePrefix, type PrivateRedis } from './redis-support.js';

interface Readyz {
  ready: boolean;
  reason?: string;
  draining: boolean;
  redis?: 'up' | 'down';
  aftership: { account: string; status: string; checkedAt?: string; reason?: string };
}

async function readyz(gw: TestGateway): Promise<{ status: number; body: Readyz }> {
  const res = await fetch(`${gw.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Readyz };
}

/** Polls /readyz until `match`, checking every answer on the way with `each`. */
async function readyzUntil(gw: TestGateway, match: (r: Readyz) => boolean, each: (status: number, body: Readyz) => void = () => undefined): Promise<Readyz> {
  const end = Date.now() + 20_000;
  for (;;) {
    const { status, body } = await readyz(gw);
    each(status, body);
    if (match(body)) return body;
    if (Date.now() > end) throw new Error(`/readyz never matched; last: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const FAST_PROBES = { AFTERSHIP_HEALTH_INTERVAL_MS: '100' };

describe('/readyz and AfterShip', () => {
  it('stays 200 while AfterShip is down, reporting it unreachable', async () => {
    const gw = await startGateway({ sandbox: { seed: 2 }, env: FAST_PROBES });
    try {
      const up = await readyzUntil(gw, (r) => r.aftership.status === 'reachable');
      expect(up).toMatchObject({ ready: true, draining: false, aftership: { account: 'default', checkedAt: expect.any(String) } });
      expect(up.redis).toBeUndefined();
      expect(gw.app.ops.aftershipHealth().status).toBe('reachable');

      await gw.sandbox.close();
      const down = await readyzUntil(gw, (r) => r.aftership.status === 'unreachable', (status) => expect(status).toBe(200));
      expect(down).toMatchObject({ ready: true, aftership: { status: 'unreachable', reason: expect.stringContaining('UPSTREAM_UNAVAILABLE') } });
      expect(gw.app.ops.aftershipHealth().status).toBe('unreachable');
    } finally {
      await gw.app.stop();
    }
  });

  it('says unauthorized for a refused key, stays ready, and logs it once', async () => {
    const logger = createRecordingLogger();
    const gw = await startGateway({ sandbox: { seed: 1 }, env: { ...FAST_PROBES, AFTERSHIP_API_KEY: 'not-the-sandbox-key-0001' }, deps: { logger } });
    try {
      const refused = await readyzUntil(gw, (r) => r.aftership.status !== 'unknown', (status) => expect(status).toBe(200));
      expect(refused).toMatchObject({ ready: true, aftership: { status: 'unauthorized', reason: 'UPSTREAM_UNAUTHENTICATED (HTTP 401)' } });
      // Probes keep running (every 100 ms here); the finding is logged once, not per probe.
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 120));
        await readyz(gw);
      }
      const lines = logger.lines.filter((l) => /refuses the credentials/.test(l.msg));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'error', msg: expect.stringContaining('unauthorized') });
      expect(JSON.stringify(logger.lines)).not.toContain('not-the-sandbox-key-0001');
    } finally {
      await gw.close();
    }
  });

  it('logs webhooks-off (polling) mode once at start', async () => {
    const logger = createRecordingLogger();
    const gw = await startGateway({ sandbox: { seed: 1 }, env: { AFTERSHIP_WEBHOOK_SECRET: '' }, deps: { logger } });
    try {
      const off = logger.lines.filter((l) => /Webhooks are off/.test(l.msg));
      expect(off).toHaveLength(1);
      expect(off[0]).toMatchObject({ level: 'warn', msg: expect.stringMatching(/account "default" \(no AFTERSHIP_WEBHOOK_SECRET\).*polling/) });
      expect(logger.lines.some((l) => /^Gateway started: /.test(l.msg))).toBe(true);
    } finally {
      await gw.close();
    }
  });
});

describe('/readyz and Redis', () => {
  let redis: PrivateRedis;
  let gw: TestGateway;
  beforeAll(async () => {
    redis = await createPrivateRedis();
    await redis.start();
    gw = await startGateway({ sandbox: { seed: 1 }, env: { REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix('readyz'), GATEWAY_INSTANCES: '2' } });
  });
  afterAll(async () => {
    await gw?.close();
    await redis?.stop();
  });

  it('is 503 while the configured Redis is unreachable, and 200 again when it is back', async () => {
    const up = await readyzUntil(gw, (r) => r.redis === 'up');
    expect(up.ready).toBe(true);

    await redis.stop();
    const down = await readyzUntil(gw, (r) => r.redis === 'down');
    expect(down).toMatchObject({ ready: false, reason: 'redis unreachable' });
    expect((await readyz(gw)).status).toBe(503);

    await redis.start();
    const back = await readyzUntil(gw, (r) => r.redis === 'up');
    expect(back.ready).toBe(true);
    expect((await readyz(gw)).status).toBe(200);
  });
});
