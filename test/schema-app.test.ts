/**
 * The schema inside the real app (buildApp/startApp via the lead's test gateway): the done-when
 * call counts hold with the production wiring too, and typed errors and the cost guard work there.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tracking } from '../src/aftership/wire-types.js';
import { CreateTrackingDocument, TrackingsDocument } from './generated/graphql.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';

let gw: TestGateway;
let seeded: Tracking[];

beforeAll(async () => {
  gw = await startGateway({ sandbox: { seed: 60 } });
  seeded = gw.sandbox.store.list();
});
afterAll(() => gw?.close());
beforeEach(() => gw.sandbox.requests.reset());

describe('schema in the app', () => {
  it('50 aliased trackingByNumber lookups: at most 2 AfterShip calls cold, 0 warm', async () => {
    const numbers = seeded.slice(0, 50).map((t) => t.tracking_number!);
    const source = `{ ${numbers.map((n, i) => `t${i}: trackingByNumber(trackingNumber: "${n}") { trackingNumber courier { slug name } checkpoints { message tag checkpointTime } }`).join(' ')} }`;
    const cold = await gw.graphql<Record<string, { trackingNumber: string } | null>, never>(source);
    expect(cold.errors).toBeUndefined();
    expect(numbers.map((_, i) => cold.data?.[`t${i}`]?.trackingNumber)).toEqual(numbers);
    expect(gw.sandbox.requests.count()).toBeLessThanOrEqual(2);
    gw.sandbox.requests.reset();
    const warm = await gw.graphql<Record<string, unknown>, never>(source);
    expect(warm.data).toEqual(cold.data);
    expect(gw.sandbox.requests.count()).toBe(0);
  });

  it('a 50-row trackings page with courier and latest checkpoint costs at most 2 calls', async () => {
    const r = await gw.graphql(TrackingsDocument, { first: 50, filter: { updatedAtMin: '2000-01-01T00:00:00Z' } });
    expect(r.errors).toBeUndefined();
    expect(r.data?.trackings.edges).toHaveLength(50);
    expect(gw.sandbox.requests.count()).toBeLessThanOrEqual(2);
  });

  it('typed errors and the cost guard', async () => {
    const dup = seeded[0];
    const r = await gw.graphql(CreateTrackingDocument, { input: { trackingNumber: dup.tracking_number!, slug: dup.slug } });
    expect(r.data?.createTracking).toMatchObject({ __typename: 'AlreadyExists', code: 'ALREADY_EXISTS' });
    const expensive = `{ ${Array.from({ length: 51 }, (_, i) => `t${i}: tracking(id: "id${i}") { id }`).join(' ')} }`;
    gw.sandbox.requests.reset();
    const refused = await gw.graphql<unknown, never>(expensive);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', estimatedCost: 51, maxCost: 50 });
    expect(gw.sandbox.requests.count()).toBe(0);
  });
});
