/**
 * HTTP caching of GraphQL over GET (src/http/use-http-caching.ts): an ETag per answer, 304 for an
 * If-None-Match that names the answer the caller would get now, a fresh 200 once a webhook changed it,
 * never another token's different answer called current; POST, mutations and streams untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../src/auth/scopes.js';
import { bearer } from './access-support.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';

const FULL = 'http-caching-full-token-0001';
const TWIN = 'http-caching-twin-token-0001';
const TRACKER = 'http-caching-tracker-token-01';

const PAGE = 'query Page($id: ID!) { tracking(id: $id) { aftershipId subtag courier { slug } } }';
const ACCEPT = 'application/graphql-response+json';

let gw: TestGateway;
let id: string;
beforeAll(async () => {
  gw = await startGateway({
    sandbox: { seed: 8, webhookRetry: { attempts: 1, baseDelayMs: 1000 } },
    env: {
      GATEWAY_AUTH: 'tokens',
      GATEWAY_TOKENS: JSON.stringify([
        { name: 'full', token: FULL, scopes: SCOPES },
        { name: 'twin', token: TWIN, scopes: SCOPES },
        // No courier:read: the same query answers with a FORBIDDEN courier.
        { name: 'tracker', token: TRACKER, scopes: ['aftership:tracking:read'] },
      ]),
    },
  });
  id = gw.sandbox.store.list().find((t) => t.id && gw.sandbox.store.plannedEvents(t.id).length > 0)!.id!;
});
afterAll(() => gw?.close());

function get(token: string, headers: Record<string, string> = {}, query = PAGE, variables: Record<string, unknown> = { id }) {
  const url = `${gw.graphqlUrl}?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`;
  return fetch(url, { headers: { accept: ACCEPT, ...bearer(token), ...headers } });
}

describe('ETag and 304 for GET queries', () => {
  it('tags a GET answer (private, revalidated), and answers If-None-Match of it with 304 and no body', async () => {
    const first = await get(FULL);
    expect(first.status).toBe(200);
    const body = await first.text();
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    expect(first.headers.get('vary')?.toLowerCase()).toMatch(/\bauthorization\b.*\baccept\b|\baccept\b.*\bauthorization\b/);
    expect(JSON.parse(body).data.tracking.aftershipId).toBe(id);

    // Whether it was executed or answered by the response cache, the same bytes have the same tag.
    for (let i = 0; i < 3; i++) {
      const again = await get(FULL, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('private, no-cache');
      expect(again.headers.get('x-request-id')).toBeTruthy();
    }
    // A list, a weak form and * name it too; another tag does not.
    expect((await get(FULL, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    expect((await get(FULL, { 'if-none-match': '*' })).status).toBe(304);
    const other = await get(FULL, { 'if-none-match': '"other"' });
    expect(other.status).toBe(200);
    expect(await other.text()).toBe(body);
    // Another representation of the same answer (plain JSON) has its own tag.
    const plain = await get(FULL, { accept: 'application/json', 'if-none-match': etag });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('etag')).not.toBe(etag);
  });

  it('after a webhook changes the tracking, the old tag gets a 200 with the new answer and a new tag', async () => {
    const before = await get(FULL);
    const etag = before.headers.get('etag')!;
    const old = JSON.parse(await before.text());
    expect((await get(FULL, { 'if-none-match': etag })).status).toBe(304);

    const moved = await gw.sandbox.moveTracking(id);
    expect(gw.sandbox.webhooks.all().filter((w) => w.trackingId === id).map((w) => w.status)).toEqual([200]);
    const after = await get(FULL, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    const fresh = JSON.parse(await after.text());
    expect(fresh.data.tracking.subtag).toBe(moved!.subtag);
    expect(fresh.data.tracking.subtag).not.toBe(old.data.tracking.subtag);
    const newTag = after.headers.get('etag')!;
    expect(newTag).not.toBe(etag);
    expect((await get(FULL, { 'if-none-match': newTag })).status).toBe(304);
  });

  it("a token whose answer differs never gets a 304 for another's tag; one whose bytes are the same does", async () => {
    const full = await get(FULL);
    const etag = full.headers.get('etag')!;
    const fullBody = await full.text();
    const tracker = await get(TRACKER, { 'if-none-match': etag });
    expect(tracker.status).toBe(200);
    const trackerBody = JSON.parse(await tracker.text());
    expect(trackerBody.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(tracker.headers.get('etag')).not.toBe(etag);
    // Same account and scopes: the very same bytes, so the caller's copy is current.
    const twin = await get(TWIN, { 'if-none-match': etag });
    expect(twin.status).toBe(304);
    expect((await get(TWIN)).headers.get('etag')).toBe(etag);
    expect(await (await get(TWIN)).text()).toBe(fullBody);
  });

  it('leaves POST, mutations over GET and streamed answers alone', async () => {
    const etag = (await get(FULL)).headers.get('etag')!;
    const post = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT, 'if-none-match': etag, ...bearer(FULL) },
      body: JSON.stringify({ query: PAGE, variables: { id } }),
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('etag')).toBeNull();
    expect(post.headers.get('cache-control')).toBeNull();
    expect(JSON.parse(await post.text()).data.tracking.aftershipId).toBe(id);

    const mutation = await get(FULL, { 'if-none-match': '*' }, 'mutation { retrackTracking(input: { id: "x" }) { __typename } }', {});
    expect(mutation.status).toBe(405);
    expect(mutation.headers.get('etag')).toBeNull();
    await mutation.arrayBuffer();

    const stream = await get(FULL, { accept: 'text/event-stream', 'if-none-match': '*' });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('etag')).toBeNull();
    await stream.body?.cancel();
  });
});
