/**
 * Global IDs (Relay) and raw AfterShip ids. Arguments typed `ID` accept either: a global ID of
 * the expected type is unwrapped, anything else is taken as AfterShip's own id.
 */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { InvalidInputError } from './error-mapping.js';

export const NODE_TYPES = ['Tracking', 'CarrierConnection'] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

/**
 * AfterShip ids are [0-9a-zA-Z-_] (custom ids up to 128 chars); anything else cannot be one and is
 * refused rather than spliced into a URL path.
 */
const AFTERSHIP_ID = /^[0-9A-Za-z_-]{1,128}$/;

const decodeOrUndefined = (id: string): { typename: string; id: string } | undefined => {
  // Cheap pre-check: a global ID is base64 of "<Type>:<id>". Raw AfterShip ids (the common case on
  // hot paths) decode to no colon, so skip the decoder, which would throw and be caught.
  if (!Buffer.from(id, 'base64').toString('latin1').includes(':')) return undefined;
  try {
    return decodeGlobalID(id);
  } catch {
    return undefined;
  }
};

/** AfterShip's id behind `id` (a global ID of `typename` or a raw id); rejects other types' global IDs. */
export function rawId(typename: NodeTypeName, id: string, argName = 'id'): string {
  const trimmed = id.trim();
  if (!trimmed) throw new InvalidInputError(`\`${argName}\` must not be empty.`, argName);
  const decoded = decodeOrUndefined(trimmed);
  if (decoded && decoded.typename === typename && AFTERSHIP_ID.test(decoded.id)) return decoded.id;
  if (decoded && (NODE_TYPES as readonly string[]).includes(decoded.typename)) {
    const what = decoded.typename === typename ? `a ${typename} ID with an invalid AfterShip id` : `the ID of a ${decoded.typename}, expected a ${typename}`;
    throw new InvalidInputError(`\`${argName}\` is ${what}.`, argName);
  }
  if (!AFTERSHIP_ID.test(trimmed)) {
    throw new InvalidInputError(`\`${argName}\` is neither a global ID of a ${typename} nor an AfterShip id.`, argName);
  }
  return trimmed;
}

/**
 * The relay plugin's `decodeGlobalID` for `node`/`nodes`: a malformed ID, one of a type that has no
 * node, or one whose AfterShip id cannot exist is bad input (BAD_USER_INPUT), not an internal error.
 */
export function decodeNodeID(globalID: string): { typename: NodeTypeName; id: string } {
  const decoded = decodeOrUndefined(globalID);
  if (decoded && (NODE_TYPES as readonly string[]).includes(decoded.typename) && AFTERSHIP_ID.test(decoded.id)) {
    return { typename: decoded.typename as NodeTypeName, id: decoded.id };
  }
  const shown = globalID.length > 80 ? `${globalID.slice(0, 80)}…` : globalID;
  throw new InvalidInputError(`${JSON.stringify(shown)} is not the global ID of a ${NODE_TYPES.join(' or a ')}.`);
}
