/** The query GraphiQL opens with: a list page and an order page in one round trip. */
export const EXAMPLE_QUERY = `# Welcome to the AfterShip GraphQL gateway. Press the run button (or Ctrl-Enter).
#
# A list page: the five newest trackings with courier, status, latest checkpoint and ETA.
# Then try a live subscription in a new tab, with an id from the result:
#   subscription { trackingUpdated(id: "<id>") { tag subtagMessage latestCheckpoint { message city } } }
query ListPage {
  trackings(first: 5) {
    totalCount
    edges {
      node {
        id
        trackingNumber
        slug
        courier { name }
        tag
        subtagMessage
        latestCheckpoint { message city countryRegion checkpointTime }
        estimatedDelivery { datetime datetimeMin datetimeMax source }
      }
    }
  }
}
`;
