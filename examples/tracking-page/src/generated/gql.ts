/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment TrackingPageShipment on Tracking {\n  id\n  trackingNumber\n  tag\n  subtagMessage\n  updatedAt\n  courier {\n    name\n    phone\n    webUrl\n  }\n  estimatedDelivery {\n    datetime\n    datetimeMin\n    datetimeMax\n  }\n  checkpoints {\n    checkpointTime\n    message\n    city\n    state\n    countryRegionName\n    subtagMessage\n  }\n}\n\nquery TrackingPageLookup($trackingNumber: String!, $slug: String) {\n  trackingByNumber(trackingNumber: $trackingNumber, slug: $slug) {\n    ...TrackingPageShipment\n  }\n}\n\nsubscription TrackingPageUpdates($id: ID!) {\n  trackingUpdated(id: $id) {\n    ...TrackingPageShipment\n  }\n}": typeof types.TrackingPageShipmentFragmentDoc,
};
const documents: Documents = {
    "fragment TrackingPageShipment on Tracking {\n  id\n  trackingNumber\n  tag\n  subtagMessage\n  updatedAt\n  courier {\n    name\n    phone\n    webUrl\n  }\n  estimatedDelivery {\n    datetime\n    datetimeMin\n    datetimeMax\n  }\n  checkpoints {\n    checkpointTime\n    message\n    city\n    state\n    countryRegionName\n    subtagMessage\n  }\n}\n\nquery TrackingPageLookup($trackingNumber: String!, $slug: String) {\n  trackingByNumber(trackingNumber: $trackingNumber, slug: $slug) {\n    ...TrackingPageShipment\n  }\n}\n\nsubscription TrackingPageUpdates($id: ID!) {\n  trackingUpdated(id: $id) {\n    ...TrackingPageShipment\n  }\n}": types.TrackingPageShipmentFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TrackingPageShipment on Tracking {\n  id\n  trackingNumber\n  tag\n  subtagMessage\n  updatedAt\n  courier {\n    name\n    phone\n    webUrl\n  }\n  estimatedDelivery {\n    datetime\n    datetimeMin\n    datetimeMax\n  }\n  checkpoints {\n    checkpointTime\n    message\n    city\n    state\n    countryRegionName\n    subtagMessage\n  }\n}\n\nquery TrackingPageLookup($trackingNumber: String!, $slug: String) {\n  trackingByNumber(trackingNumber: $trackingNumber, slug: $slug) {\n    ...TrackingPageShipment\n  }\n}\n\nsubscription TrackingPageUpdates($id: ID!) {\n  trackingUpdated(id: $id) {\n    ...TrackingPageShipment\n  }\n}"): typeof import('./graphql.js').TrackingPageShipmentFragmentDoc;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
