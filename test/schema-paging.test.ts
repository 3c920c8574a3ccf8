/**
 * List connections (trackings, carrierConnections) over HTTP against the sandbox: every edge's
 * cursor has one opaque form and resumes right after its edge, so a client may page from any edge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import { CarrierConnectionsDocument, TrackingsDocument } from './generated/graphql.js';
import { startSchemaGateway, type SchemaGateway } from './helpers/schema-gateway.js';

let gw: SchemaGateway;
let seeded: Tracking[];
const CONNECTIONS = 7;

beforeAll(async () => {
  gw = await startSchemaGateway({ sandbox: { seed: 23 } });
  seeded = gw.sandbox.store.list();
  for (let i = 0; i < CONNECTIONS; i++) {
    await gw.client.createCourierConnection({ courier_slug: 'ups-api', credentials: { user_id: `u${i}`, password: 'p', access_license_number: `L${i}` } });
  }
});
afterAll(() => gw?.close());

interface Page {
  ids: string[];
  cursors: string[];
  hasNextPage: boolean;
  endCursor: string | null | undefined;
}
type Fetch = (first: number, after: string | null) => Promise<Page>;

const trackings: Fetch = async (first, after) => {
  gw.cache.clear();
  const r = await gw.graphql(TrackingsDocument, { first, after });
  expect(r.errors).toBeUndefined();
  const c = r.data!.trackings;
  return { ids: c.edges.map((e) => e.node.aftershipId), cursors: c.edges.map((e) => e.cursor), hasNextPage: c.pageInfo.hasNextPage, endCursor: c.pageInfo.endCursor };
};
const connections: Fetch = async (first, after) => {
  gw.cache.clear();
  const r = await gw.graphql(CarrierConnectionsDocument, { first, after });
  expect(r.errors).toBeUndefined();
  const c = r.data!.carrierConnections;
  return { ids: c.edges.map((e) => e.node.aftershipId), cursors: c.edges.map((e) => e.cursor), hasNextPage: c.pageInfo.hasNextPage, endCursor: c.pageInfo.endCursor };
};

/** Walks by endCursor, then resumes from every edge's cursor: each must continue right after its edge. */
async function pageThroughEveryCursor(fetch: Fetch, all: string[], first: number): Promise<void> {
  const walked: string[] = [];
  const cursors: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard <= all.length; guard++) {
    const page = await fetch(first, after);
    walked.push(...page.ids);
    cursors.push(...page.cursors);
    expect(page.endCursor).toBe(page.cursors.at(-1));
    expect(page.hasNextPage).toBe(walked.length < all.length);
    if (!page.hasNextPage) break;
    after = page.endCursor ?? null;
  }
  expect(walked).toEqual(all);
  // One form on every edge, inner and last alike: opaque to the client.
  for (const c of cursors) expect(c).toMatch(/^gw1:[A-Za-z0-9_-]+$/);
  for (const [i, cursor] of cursors.entries()) {
    const next = await fetch(3, cursor);
    expect(next.ids, `resuming after edge ${i}`).toEqual(all.slice(i + 1, i + 4));
    expect(next.hasNextPage).toBe(i + 4 < all.length);
    // Stable: the same edge reached the same way gives the same cursor.
    if (next.cursors.length > 0) expect((await fetch(3, cursor)).cursors).toEqual(next.cursors);
  }
}

describe('one cursor form for list connections', () => {
  it('trackings: every edge cursor, inner or last, resumes right after its edge', async () => {
    await pageThroughEveryCursor(trackings, seeded.map((t) => t.id!), 5);
  });

  it('carrierConnections: the same, and hasNextPage tells whether more follow', async () => {
    const all = (await gw.client.listCourierConnections({ limit: '100' })).courier_connections.map((c) => c.id!);
    expect(all.length).toBeGreaterThanOrEqual(CONNECTIONS);
    await pageThroughEveryCursor(connections, all, 3);
  });

  it("still accepts AfterShip's raw cursor (the old last-edge form) for this release, and refuses what it never handed out", async () => {
    const raw = (await gw.client.listTrackings({ limit: 4 })).pagination.next_cursor;
    expect(raw).toBeTruthy();
    expect((await trackings(2, raw)).ids).toEqual(seeded.slice(4, 6).map((t) => t.id));

    const forged = (payload: unknown[]): string => `gw1:${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    for (const after of [
      'gw1:not-base64-json',
      forged(['x', -1]),
      'x'.repeat(5000),
      // No AfterShip position and no key; a key past any date; a key without an id.
      forged([null, 0]),
      forged([null, 0, 9e15, 'abc', 0]),
      forged([null, 0, 1_700_000_000_000, '', 0]),
    ]) {
      const r = await gw.graphql(TrackingsDocument, { first: 2, after });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
  });
});
