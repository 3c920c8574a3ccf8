/**
 * Two instances sharing Redis: a webhook received by one invalidates the other's cached results too
 * (every write reaches the other instance's shared cache through the Redis mirror, and the response
 * cache is told of every write there), so the other's next answer is fresh.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { silentLogger } from '../src/lib/logger.js';
import { RESPONSE_CACHE_HEADER } from '../src/response-cache/index.js';
import { createSandbox, type Sandbox } from '../src/sandbox/index.js';
import { API_KEY, SHARED_REDIS_URL, WEBHOOK_SECRET, cleanPrefix, deliver, startInstance, tracking, uniquePrefix, waitFor, waitForChannelSubscribers } from './redis-support.js';

const prefix = uniquePrefix('response-cache');
let sandbox: Sandbox;
let a: App;
let b: App;

beforeAll(async () => {
  sandbox = createSandbox({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, autoAdvance: false, logger: silentLogger, seed: 3 });
  const sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  const env = { REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
  [a, b] = await Promise.all([startInstance(sandbox, sandboxUrl, env), startInstance(sandbox, sandboxUrl, env)]);
  await waitForChannelSubscribers(SHARED_REDIS_URL, `${prefix}cache`, 2);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await sandbox?.close();
  await cleanPrefix(SHARED_REDIS_URL, prefix);
});

const QUERY = 'query ($id: ID!) { tracking(id: $id) { aftershipId tag checkpoints { message } } }';

async function ask(app: App, id: string): Promise<{ cache: string | null; tracking: { tag: string; checkpoints: { message: string }[] } }> {
  const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables: { id } }) });
  const body = (await res.json()) as { data: { tracking: { tag: string; checkpoints: { message: string }[] } } };
  return { cache: res.headers.get(RESPONSE_CACHE_HEADER), tracking: body.data.tracking };
}

describe('response cache on two instances', () => {
  it("a webhook to A invalidates B's cached result; B's next answer is fresh", async () => {
    const id = randomBytes(16).toString('hex');
    expect((await deliver(a, `evt-${id}-2`, tracking(id, 2, 'InTransit'))).body.status).toBe('accepted');
    await waitFor(() => b.ops.cache.getTracking('default', id) !== undefined, 5000, "B's copy");
    expect((await ask(b, id)).cache).toBe('stored');
    const cached = await ask(b, id);
    expect(cached).toEqual({ cache: 'hit', tracking: { aftershipId: id, tag: 'IN_TRANSIT', checkpoints: [{ message: 'scan 2' }] } });

    const calls = sandbox.requests.count();
    expect((await deliver(a, `evt-${id}-3`, tracking(id, 3, 'Delivered'))).body.status).toBe('accepted');
    await waitFor(() => b.ops.cache.getTracking('default', id)?.tag === 'Delivered', 5000, "B's newer copy");
    const fresh = await ask(b, id);
    expect(fresh).toEqual({ cache: 'stored', tracking: { aftershipId: id, tag: 'DELIVERED', checkpoints: [{ message: 'scan 3' }] } });
    expect(sandbox.requests.count()).toBe(calls);
  });
});
