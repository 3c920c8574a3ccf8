/** The operations the bench sends: typical frontend pages, written once for gateway and baseline. */

/** Order page: one tracking with its courier, checkpoints and delivery estimate. */
export const ORDER_PAGE = /* GraphQL */ `query OrderPage($id: ID!) {
  tracking(id: $id) {
    aftershipId trackingNumber slug tag subtag
    courier { slug name }
    checkpoints { message tag subtag checkpointTime city countryRegion }
    latestEstimatedDelivery { datetime datetimeMin datetimeMax }
  }
}`;

/** List page: 50 trackings with courier and latest checkpoint. */
export const LIST_PAGE = /* GraphQL */ `query ListPage($first: Int) {
  trackings(first: $first) {
    edges { node { aftershipId trackingNumber slug tag courier { slug name } latestCheckpoint { message tag checkpointTime } } }
  }
}`;

/** Many tracking numbers looked up in one operation (aliases), e.g. a "my orders" page. */
export function lookupQuery(numbers: readonly string[]): string {
  const fields = numbers.map(
    (n, i) => `  t${i}: trackingByNumber(trackingNumber: ${JSON.stringify(n)}) { aftershipId slug tag courier { slug name } latestCheckpoint { message } }`,
  );
  return `query Lookup {\n${fields.join('\n')}\n}`;
}

/** Checkout: delivery-date predictions for several courier/route options. */
export const CHECKOUT_EDD = /* GraphQL */ `query Checkout($inputs: [EstimatedDeliveryPredictionInput!]!) {
  predictEstimatedDeliveries(inputs: $inputs) {
    slug courier { slug name } estimatedDelivery { datetime datetimeMin datetimeMax }
  }
}`;

const SLUGS = ['ups', 'fedex', 'usps', 'dhl'];
const ORIGIN_STATES = ['CA', 'TX', 'WA', 'IL', 'GA'];

/** `count` distinct routes (courier × origin), all to one New York address. */
export function checkoutRoutes(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    slug: SLUGS[i % SLUGS.length],
    originAddress: { countryRegion: 'USA', state: ORIGIN_STATES[i % ORIGIN_STATES.length], postalCode: String(90001 + i) },
    destinationAddress: { countryRegion: 'USA', state: 'NY', postalCode: '10001' },
    pickupTime: '2026-11-20 15:00:00',
  }));
}

/** A small tracking query: what a status widget asks for one shipment. */
export const TRACKING_BY_ID = /* GraphQL */ `query Status($id: ID!) { tracking(id: $id) { aftershipId tag subtag latestCheckpoint { message checkpointTime } } }`;
export const TRACKING_BY_NUMBER = /* GraphQL */ `query StatusByNumber($n: String!) { trackingByNumber(trackingNumber: $n) { aftershipId tag subtag latestCheckpoint { message checkpointTime } } }`;

/** What each live subscriber asks for. */
export const TRACKING_UPDATED = /* GraphQL */ `subscription Live($id: ID!) { trackingUpdated(id: $id) { aftershipId tag subtag updatedAt latestCheckpoint { message checkpointTime } } }`;

export const HELLO = '{ hello }';
