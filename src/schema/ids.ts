/**
 * Global IDs (Relay) and raw AfterShip ids. Arguments typed `ID` accept either: a global ID of
 * the expected type is unwrapped, anything else is taken as AfterShip's own id.
 */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { InvalidInputError } from './error-mapping.js';

export const NODE_TYPES = ['Tracking', 'CarrierConnection'] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

/** AfterShip's id behind `id` (a global ID of `typename` or a raw id); rejects other types' global IDs. */
export function rawId(typename: NodeTypeName, id: string, argName = 'id'): string {
  const trimmed = id.trim();
  if (!trimmed) throw new InvalidInputError(`\`${argName}\` must not be empty.`, argName);
  let decoded: { typename: string; id: string } | undefined;
  try {
    decoded = decodeGlobalID(trimmed);
  } catch {
    decoded = undefined;
  }
  if (decoded && decoded.typename === typename && decoded.id) return decoded.id;
  if (decoded && (NODE_TYPES as readonly string[]).includes(decoded.typename)) {
    throw new InvalidInputError(`\`${argName}\` is the ID of a ${decoded.typename}, expected a ${typename}.`, argName);
  }
  // AfterShip ids are [0-9a-zA-Z-_] (custom ids up to 128 chars); refuse anything that cannot be one
  // rather than splicing it into a URL path.
  if (!/^[0-9A-Za-z_-]{1,128}$/.test(trimmed)) {
    throw new InvalidInputError(`\`${argName}\` is neither a global ID of a ${typename} nor an AfterShip id.`, argName);
  }
  return trimmed;
}
