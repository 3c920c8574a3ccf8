/**
 * Enums shared by several families. Tag values keep AfterShip's spelling (frontends and AfterShip
 * docs both use it); other enums are SCREAMING_CASE with AfterShip's wire value behind each.
 */
import { TAGS, type TagName } from '../aftership/wire-types.js';
import { builder } from './builder.js';

const TAG_DESCRIPTIONS: Record<TagName, string> = {
  Pending: 'Added, but the carrier has reported nothing yet.',
  InfoReceived: 'The carrier has the shipping information but has not picked the parcel up yet.',
  InTransit: 'On its way: accepted by the carrier or moving through its network.',
  OutForDelivery: 'Out for delivery today.',
  AttemptFail: 'A delivery attempt failed; the carrier will usually try again.',
  Delivered: 'Delivered (or picked up by the recipient).',
  AvailableForPickup: 'Waiting at a pickup point or locker for the recipient.',
  Exception: 'A problem: held, returned, damaged, lost, refused... see `subtag`.',
  Expired: 'No tracking information for 30 days since it was added.',
};

export const TagEnum = builder.enumType('Tag', {
  description: 'The main status of a tracking or checkpoint (AfterShip\'s 9 tags). `subtag` refines it.',
  values: Object.fromEntries(TAGS.map((tag) => [tag, { value: tag, description: TAG_DESCRIPTIONS[tag] }])) as Record<
    TagName,
    { value: TagName; description: string }
  >,
});

export function tagOrNull(value: string | undefined | null): TagName | null {
  return value && (TAGS as readonly string[]).includes(value) ? (value as TagName) : null;
}

/** Builds an enum whose GraphQL names are SCREAMING_CASE of AfterShip's wire values. */
function wireEnum<const V extends string>(name: string, description: string, values: Record<V, string>) {
  const entries = Object.entries(values) as [V, string][];
  const ref = builder.enumType(name, {
    description,
    values: Object.fromEntries(
      entries.map(([wire, desc]) => [wire.toUpperCase().replace(/[^A-Z0-9]+/g, '_'), { value: wire, description: desc }]),
    ) as Record<string, { value: V; description: string }>,
  });
  const known = new Set<string>(entries.map(([wire]) => wire));
  /** Upstream values outside the known vocabulary become null rather than failing the query. */
  const orNull = (value: string | null | undefined): V | null => (value && known.has(value) ? (value as V) : null);
  return { ref, orNull };
}

export const MarkCompletedReason = wireEnum('MarkCompletedReason', 'Why a tracking is marked completed by hand.', {
  DELIVERED: 'It was delivered (tag becomes Delivered / Delivered_001).',
  LOST: 'It was lost (tag becomes Exception / Exception_013).',
  RETURNED_TO_SENDER: 'It went back to the sender (tag becomes Exception / Exception_011).',
});

export const DeliveryType = wireEnum('DeliveryType', 'How the parcel reaches the recipient.', {
  pickup_at_store: 'The recipient collects it at the merchant\'s store.',
  door_to_door: 'Delivered to the recipient\'s address.',
  pickup_at_courier: 'The recipient collects it at a carrier location.',
});

export const ShipmentDirection = wireEnum('ShipmentDirection', 'Whether a shipment goes to the customer or comes back from them.', {
  forward: 'From the merchant to the customer.',
  return: 'A return, from the customer back to the merchant.',
});

export const CheckpointSource = wireEnum('CheckpointSource', 'Who reported a checkpoint.', {
  carrier: 'The carrier\'s own tracking data.',
  user: 'Added by the merchant, e.g. by marking the tracking completed.',
});

export const SignatureRequirement = wireEnum('SignatureRequirement', 'The signature the carrier needs on delivery.', {
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
  'Carrier EDD': 'The carrier.',
  'AfterShip EDD': 'AfterShip\'s AI prediction.',
  'Custom EDD': 'The merchant\'s custom EDD rules.',
  'Order EDD': 'The delivery date promised when the order was placed.',
});
