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

/** GraphiQL's second tab: carriers compared over the replicated trackings, at no AfterShip cost. */
export const CARRIER_COMPARISON_QUERY = `# Carrier comparison: delivery performance by courier over the trackings the gateway replicates.
# Computed in the gateway (0 AfterShip calls, see extensions.cost); coverage says which window of the
# account it covers (complete: false while the replica is still warming up).
# Narrow it with a filter, e.g. deliveryStats(filter: { destinationCountryRegions: ["USA"] }, ...),
# or group by DESTINATION_COUNTRY, ORIGIN_COUNTRY, TAG, SHIPMENT_TAG, DAY or WEEK as well.
query CarrierComparison {
  deliveryStats(groupBy: [COURIER]) {
    coverage { complete trackings from to asOf }
    groups(first: 10) {
      key { courierSlug }
      count
      delivered
      transitDays { p50 p90 max }
      onTimeRate
      eddAccuracy
      exceptions { subtag count }
      failedAttempts
      slowestStretches(first: 2) { fromSubtag toSubtag meanHours }
    }
  }
}
`;
