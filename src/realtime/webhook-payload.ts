/**
 * What a webhook's tracking (`msg`) must look like before the gateway caches and publishes it: every
 * field the schema and the realtime diff read has the type they expect (a string where GraphQL
 * serialises a String, a 32-bit integer for an Int, a real date for a DateTime, lists of objects...).
 * A signed webhook that would make a later query of its tracking fail is refused (400) instead, and
 * changes nothing. Unknown fields pass: AfterShip may add some.
 *
 * Compiled once into a table of small checks (no generic schema walk): a webhook costs one property
 * read and one `typeof` per known field, plus one pass over its checkpoints.
 */
type Check = (v: unknown) => boolean;
/** A check and what it says when it fails ("must be ..."). */
type Rule = readonly [Check, string];
type Shape = Readonly<Record<string, Rule>>;

const INT32 = 2 ** 31 - 1;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Rule = [(v) => typeof v === 'string', 'a string'];
const bool: Rule = [(v) => typeof v === 'boolean', 'a boolean'];
const num: Rule = [(v) => typeof v === 'number' && Number.isFinite(v), 'a finite number'];
const int: Rule = [(v) => Number.isInteger(v) && Math.abs(v as number) <= INT32, 'a 32-bit integer'];
/** DateTime: serialised through `new Date(...)`, so it must be a date JavaScript can read. */
const instant: Rule = [(v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)), 'an ISO 8601 date-time'];
const strList: Rule = [(v) => Array.isArray(v) && v.every((x) => typeof x === 'string'), 'a list of strings'];
const anyObject: Rule = [isObject, 'an object'];

/** An object whose known fields follow `shape` (each may be absent or null). */
const object = (shape: Shape): Rule => [(v) => isObject(v) && firstProblem(v, shape) === undefined, 'an object of the documented shape'];
const listOf = (shape: Shape): Rule => [(v) => Array.isArray(v) && v.every((x) => isObject(x) && firstProblem(x, shape) === undefined), 'a list of objects of the documented shape'];

function firstProblem(value: Record<string, unknown>, shape: Shape): string | undefined {
  for (const key in shape) {
    const v = value[key];
    if (v === undefined || v === null) continue;
    const [check, mustBe] = shape[key]!;
    if (!check(v)) return `${key} must be ${mustBe}`;
  }
  return undefined;
}

const WEIGHT: Shape = { unit: str, value: num };
const LEG: Shape = { tracking_number: str, slug: str, transit_time: int, courier_tracking_link: str, courier_redirect_link: str, source: str };
const LINKED: Shape = { id: str, tracking_number: str, slug: str };
const DATETIME_EDD: Shape = { type: str, source: str, datetime: str, datetime_min: str, datetime_max: str, revise_reason: str };
const DATE_EDD: Shape = { estimated_delivery_date: str, estimated_delivery_date_min: str, estimated_delivery_date_max: str, confidence_code: int };
const PROMISED_EDD: Shape = { promised_delivery_date: str, promised_delivery_date_min: str, promised_delivery_date_max: str };

const CHECKPOINT: Shape = {
  ...{ message: str, tag: str, subtag: str, subtag_message: str, checkpoint_time: str, created_at: instant, location: str, city: str },
  ...{ state: str, postal_code: str, country_region: str, country_region_name: str, source: str, raw_tag: str, slug: str, hash: str },
  coordinate: object({ latitude: num, longitude: num }),
  events: listOf({ code: str, reason: object({ code: str }) }),
};

/** Every tracking field the schema (src/schema/tracking.ts and its neighbours) or the realtime diff reads. */
const TRACKING: Shape = {
  ...{ legacy_id: str, slug: str, tag: str, subtag: str, subtag_message: str, title: str, note: str, source: str, active: bool },
  ...{ tracked_count: int, language: str, created_at: instant, updated_at: instant, order_id: str, order_id_path: str, order_number: str },
  ...{ order_date: str, order_tags: strList, shipment_tags: strList, custom_fields: anyObject, courier_destination_country_region: str },
  ...{ shipment_type: str, shipment_package_count: int, shipment_pickup_date: str, shipment_delivery_date: str, first_attempted_at: str },
  ...{ signed_by: str, signature_requirement: str, delivery_type: str, delivery_location_type: str, pickup_location: str, pickup_note: str },
  ...{ transit_time: int, on_time_status: str, on_time_difference: num, return_to_sender: bool, failed_delivery_attempts: int },
  ...{ courier_tracking_link: str, courier_redirect_link: str, aftership_tracking_url: str, aftership_tracking_order_url: str },
  ...{ tracking_account_number: str, tracking_key: str, tracking_ship_date: str, location_id: str, shipping_method: str, shipment_direction: str },
  ...{ subscribed_emails: strList, subscribed_smses: strList },
  ...{ origin_country_region: str, origin_state: str, origin_city: str, origin_postal_code: str, origin_raw_location: str },
  ...{ destination_country_region: str, destination_state: str, destination_city: str, destination_postal_code: str, destination_raw_location: str },
  shipment_weight: object(WEIGHT),
  carbon_emissions: object(WEIGHT),
  shipment_dimensions: object({ unit: str, length: num, width: num, height: num }),
  first_mile: object(LEG),
  last_mile: object(LEG),
  return_shipment: object(LINKED),
  forward_shipment: object(LINKED),
  proof_of_delivery: listOf({ type: str, url: str }),
  customers: listOf({ id: str, role: str, name: str, email: str, phone_number: str, language: str }),
  latest_estimated_delivery: object(DATETIME_EDD),
  first_estimated_delivery: object(DATETIME_EDD),
  custom_estimated_delivery_date: object(DATETIME_EDD),
  aftership_estimated_delivery_date: object(DATE_EDD),
  courier_estimated_delivery_date: object(DATE_EDD),
  order_promised_delivery_date: object(PROMISED_EDD),
};

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim().length > 0;

/**
 * What is wrong with a webhook's `msg` (at most a few lines, each naming its field), or an empty list.
 * Required: `id`, `tracking_number` and `slug` (AfterShip always sends them; the graph cannot show a
 * tracking without them); every other known field may be absent or null, and must have its type.
 */
export function trackingPayloadProblems(msg: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const field of ['id', 'tracking_number', 'slug'] as const) {
    if (!nonEmpty(msg[field])) problems.push(`msg.${field} must be a non-empty string`);
  }
  const wrong = firstProblem(msg, TRACKING);
  if (wrong) problems.push(`msg.${wrong}`);
  const checkpoints = msg.checkpoints;
  if (checkpoints !== undefined && checkpoints !== null) {
    if (!Array.isArray(checkpoints)) problems.push('msg.checkpoints must be a list');
    else {
      for (let i = 0; i < checkpoints.length; i++) {
        const c: unknown = checkpoints[i];
        const bad = isObject(c) ? firstProblem(c, CHECKPOINT) : 'must be an object';
        if (bad) {
          problems.push(`msg.checkpoints[${i}]${isObject(c) ? '.' : ' '}${bad}`);
          break;
        }
      }
    }
  }
  return problems;
}

/** The last second of year 9999: a later `ts` is no date AfterShip sends (and past ±8.64e12 s, no JavaScript date at all). */
export const MAX_WEBHOOK_TS = 253_402_300_799;

/** A webhook `ts` (Unix seconds) that is a date: from 1970 to the end of year 9999. */
export function isWebhookTs(ts: unknown): ts is number {
  return typeof ts === 'number' && Number.isFinite(ts) && ts >= 0 && ts <= MAX_WEBHOOK_TS;
}
