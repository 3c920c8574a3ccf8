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

/**
 * The longest lists AfterShip's data holds, as the schema declares them (`listSize` on the list
 * fields): the cost guard bounds an answer's size with them before running. Generous: a real list
 * longer than its bound is still answered whole; only the estimate is off.
 */
export const LIST_SIZES = {
  /** Couriers AfterShip supports (about 1,300 in 2026), whole list or the account's active ones. */
  couriers: 2000,
  /** Couriers one detection can match. */
  detectedCouriers: 50,
  /** Checkpoints of one tracking. */
  checkpoints: 200,
  /** Events of one checkpoint. */
  checkpointEvents: 10,
  /** Order or shipment tags of a tracking (AfterShip takes at most 50 shipment tags). */
  tags: 50,
  /** Subscribed e-mails or phone numbers of a tracking. */
  subscribers: 10,
  /** Proofs of delivery of a tracking. */
  proofsOfDelivery: 10,
  /** Estimates one tracking carries (six fields, the first not a candidate). */
  estimates: 6,
  /** A courier's or a connection's fields: required, optional, credential fields and names. */
  courierFields: 10,
  /** Languages a courier supports. */
  languages: 20,
  /** Countries or regions a courier serves from (most serve one; a few global couriers many). */
  countries: 50,
  /** Weekdays of a business calendar. */
  weekdays: 7,
  /** Kinds of one tracking event. */
  eventKinds: 5,
} as const;
