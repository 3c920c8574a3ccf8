/**
 * The gateway's own list limits, one constant each, imported wherever they are enforced (the
 * resolvers, the fields' declared costs the cost guard checks, the descriptions). AfterShip's
 * limits (page size, numbers per list call, predict-batch size) are in aftership/endpoints.ts.
 */

/** Page size of a connection when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 50;
/** Global IDs one `nodes` call takes. */
export const MAX_NODES = 100;
/** Inputs one `predictEstimatedDeliveries` call takes. */
export const MAX_EDD_INPUTS = 100;
/** Candidate slugs one `detectCouriers` call takes. */
export const MAX_DETECT_SLUGS = 50;
/** Trackings one `trackingEvents` subscription may name: each is watched (baseline fetch, polling). */
export const MAX_WATCHED_TRACKINGS = 100;
