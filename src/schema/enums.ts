/**
 * Enums shared by several families. Every enum value is SCREAMING_SNAKE_CASE, with AfterShip's
 * wire value behind it (`IN_TRANSIT` is AfterShip's `InTransit`): resolvers and filters work with
 * AfterShip's values, GraphQL clients see one casing.
 */
import { TAGS, type TagName } from '../aftership/wire-types.js';
import { builder } from './builder.js';

const TAG_DESCRIPTIONS: Record<TagName, string> = {
  Pending: 'Added, but the courier has reported nothing yet.',
  InfoReceived: 'The courier has the shipping information but has not picked the parcel up yet.',
  InTransit: 'On its way: accepted by the courier or moving through its network.',
  OutForDelivery: 'Out for delivery today.',
  AttemptFail: 'A delivery attempt failed; the courier will usually try again.',
  Delivered: 'Delivered (or picked up by the recipient).',
  AvailableForPickup: 'Waiting at a pickup point or locker for the recipient.',
  Exception: 'A problem: held, returned, damaged, lost, refused... see `subtag`.',
  Expired: 'No tracking information for 30 days since it was added.',
};

/** `InTransit` → `IN_TRANSIT`: AfterShip's PascalCase tags as GraphQL enum names. */
export const tagName = (tag: string): string => tag.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

export const TagEnum = builder.enumType('Tag', {
  description:
    'The main status of a tracking or checkpoint (AfterShip\'s 9 tags, e.g. `IN_TRANSIT` for AfterShip\'s `InTransit`). `subtag` refines it, in AfterShip\'s spelling (e.g. `InTransit_003`).',
  values: Object.fromEntries(TAGS.map((tag) => [tagName(tag), { value: tag, description: TAG_DESCRIPTIONS[tag] }])) as Record<
    string,
    { value: TagName; description: string }
  >,
});

export function tagOrNull(value: string | undefined | null): TagName | null {
  return value && (TAGS as readonly string[]).includes(value) ? (value as TagName) : null;
}

/** `pickup_at_store` → `PICKUP_AT_STORE`, `AfterShip EDD` → `AFTERSHIP_EDD`. */
const screamingCase = (wire: string): string => wire.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/**
 * Builds an enum over AfterShip's wire values: each GraphQL name is the SCREAMING_CASE of its wire
 * value, or the name given with it (`['COURIER', description]`, where AfterShip's word for the
 * company is "carrier": see the naming rule on `Courier`).
 */
function wireEnum<const V extends string>(name: string, description: string, values: Record<V, string | readonly [string, string]>) {
  const entries = Object.entries(values) as [V, string | readonly [string, string]][];
  const ref = builder.enumType(name, {
    description,
    values: Object.fromEntries(
      entries.map(([wire, d]) => (typeof d === 'string' ? [screamingCase(wire), { value: wire, description: d }] : [d[0], { value: wire, description: d[1] }])),
    ) as Record<string, { value: V; description: string }>,
  });
  const known = new Set<string>(entries.map(([wire]) => wire));
  /** Upstream values outside the known vocabulary become null rather than failing the query. */
  const orNull = (value: string | null | undefined): V | null => (value && known.has(value) ? (value as V) : null);
  return { ref, orNull };
}

export const MarkCompletedReason = wireEnum('MarkCompletedReason', 'Why a tracking is marked completed by hand.', {
  DELIVERED: 'It was delivered (tag becomes `DELIVERED`, subtag `Delivered_001`).',
  LOST: 'It was lost (tag becomes `EXCEPTION`, subtag `Exception_013`).',
  RETURNED_TO_SENDER: 'It went back to the sender (tag becomes `EXCEPTION`, subtag `Exception_011`).',
});

export const DeliveryType = wireEnum('DeliveryType', 'How the parcel reaches the recipient.', {
  pickup_at_store: 'The recipient collects it at the merchant\'s store.',
  door_to_door: 'Delivered to the recipient\'s address.',
  pickup_at_courier: 'The recipient collects it at a courier location.',
});

export const ShipmentDirection = wireEnum('ShipmentDirection', 'Whether a shipment goes to the customer or comes back from them.', {
  forward: 'From the merchant to the customer.',
  return: 'A return, from the customer back to the merchant.',
});

export const CheckpointSource = wireEnum('CheckpointSource', 'Who reported a checkpoint.', {
  carrier: ['COURIER', 'The courier\'s own tracking data.'],
  user: 'Added by the merchant, e.g. by marking the tracking completed.',
});

export const SignatureRequirement = wireEnum('SignatureRequirement', 'The signature the courier needs on delivery.', {
  signature_required: 'Any signature.',
  adult_signature_required: 'An adult\'s signature.',
  indirect_signature_required: 'A signature from the recipient, a neighbour or building staff.',
  no_signature_required: 'No signature needed.',
});

export const EstimatedDeliveryType = wireEnum('EstimatedDeliveryType', 'Whether an estimated delivery is one moment or a window.', {
  specific: 'One date or date-time (`datetime`).',
  range: 'A window (`datetimeMin` to `datetimeMax`).',
});

export const EstimatedDeliverySource = wireEnum('EstimatedDeliverySource', 'Who produced an estimated delivery date.', {
  'Carrier EDD': ['COURIER_EDD', 'The courier.'],
  'AfterShip EDD': 'AfterShip\'s AI prediction.',
  'Custom EDD': 'The merchant\'s custom EDD rules.',
  'Order EDD': 'The delivery date promised when the order was placed.',
});
