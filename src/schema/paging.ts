/**
 * Relay connections over AfterShip's forward-only cursor pagination.
 *
 * AfterShip hands out one cursor per page (`next_cursor`). Every edge's cursor has one form,
 * `gw1:<base64url of [page cursor, offset, ...key]>`: "resume at item `offset` of the AfterShip page
 * that starts at `page cursor`" — one call (the page is re-read with a larger limit and `offset`
 * items skipped). The last edge of a page that has a next one is `[next_cursor, 0]`. The form depends
 * only on AfterShip's cursors, not on the instance or its memory, so any replica resumes it.
 *
 * Lists ordered by a keyset (trackings: created_at, then id; `KeyedPaging`) add the edge's key
 * `[created ms, id, index]` to every cursor, so the next page may come from another source: the warm
 * replica resumes after the key with no call; a cursor handed out by the replica carries no AfterShip
 * position (`null`), and AfterShip resumes it after the key (`afterKey`: `created_at_max` at the
 * key's second, items up to the key dropped). Pages continue each other whichever source served them.
 *
 * Cursors of the old form (the last edge carried AfterShip's raw cursor) are still accepted for one
 * release so clients holding one keep paging; they are bounded like any cursor and will be refused
 * with BAD_USER_INPUT once dropped (see decodeAfter).
 */
import { InvalidInputError } from './error-mapping.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface FetchedPage<T> {
  items: T[];
  total: number;
  nextCursor: string;
  hasNextPage: boolean;
}

export interface ConnectionResult<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** An item's place in the list's own order (trackings: created_at, then id), and its index among all matches when known. */
export interface PageKey {
  createdMs: number;
  id: string;
  index?: number;
}

export interface DecodedAfter {
  /** AfterShip's page cursor to resume from ('' = the first page), or null: no AfterShip position (resume after `key`). */
  pageCursor: string | null;
  skip: number;
  key?: PageKey;
}

/** A page not read from AfterShip's cursor chain: the replica's, or AfterShip's answer after a key. */
export interface KeyedPage<T> {
  items: T[];
  /** Index of items[0] among all matches, when known. */
  index?: number;
  total: number;
  hasNextPage: boolean;
}

/**
 * Lists whose order is a keyset (trackings): every edge cursor also carries its item's key, so a page
 * can continue from another source — the replica (`local`) or AfterShip asked after the key
 * (`afterKey`, for a cursor whose page came from the replica and carries no AfterShip position).
 */
export interface KeyedPaging<T> {
  keyOf(item: T): { createdMs: number; id: string } | undefined;
  /** The page from the replica, or undefined: AfterShip is asked. */
  local?(from: { after?: PageKey; skip?: number }, limit: number): Promise<KeyedPage<T> | undefined>;
  afterKey(key: PageKey, limit: number): Promise<KeyedPage<T>>;
}

const PREFIX = 'gw1:';

export function encodeEdgeCursor(pageCursor: string | null, offset: number, key?: PageKey): string {
  const payload: unknown[] = key ? [pageCursor, offset, key.createdMs, key.id, ...(key.index !== undefined ? [key.index] : [])] : [pageCursor, offset];
  return PREFIX + Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** Longer than any cursor handed out (AfterShip's are well under 200 characters): refused before decoding. */
export const MAX_CURSOR_LENGTH = 1024;

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
/** The latest instant a Date holds: a key past it is no tracking's. */
const MAX_DATE_MS = 8.64e15;

export function decodeAfter(after: string | null | undefined): DecodedAfter {
  if (!after) return { pageCursor: '', skip: 0 };
  if (after.length > MAX_CURSOR_LENGTH) throw new InvalidInputError('`after` is not a cursor this API returned.', 'after');
  // Deprecated old form (AfterShip's raw cursor, once the last edge's): accepted until the next release.
  if (!after.startsWith(PREFIX)) return { pageCursor: after, skip: 0 };
  try {
    const d: unknown = JSON.parse(Buffer.from(after.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (Array.isArray(d) && (typeof d[0] === 'string' || d[0] === null) && isCount(d[1])) {
      if (d.length === 2 && d[0] !== null) return { pageCursor: d[0], skip: d[1] };
      if ((d.length === 4 || (d.length === 5 && isCount(d[4]))) && isCount(d[2]) && (d[2] as number) <= MAX_DATE_MS && typeof d[3] === 'string' && d[3] !== '') {
        const key: PageKey = { createdMs: d[2] as number, id: d[3], ...(d.length === 5 ? { index: d[4] as number } : {}) };
        return { pageCursor: d[0] as string | null, skip: d[1], key };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('`after` is not a cursor this API returned.', 'after');
}

function keyedResult<T>(args: PageArgs, page: KeyedPage<T>, keyOf: KeyedPaging<T>['keyOf']): ConnectionResult<T> {
  const edges = page.items.map((node, i) => {
    const k = keyOf(node);
    if (!k) throw new Error('A listed item has no list key (created_at and id)');
    return { cursor: encodeEdgeCursor(null, 0, { ...k, ...(page.index !== undefined ? { index: page.index + i } : {}) }), node };
  });
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(args.after), startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: page.total,
  };
}

export async function resolvePage<T>(
  args: PageArgs,
  defaultSize: number,
  maxSize: number,
  fetch: (cursor: string, limit: number) => Promise<FetchedPage<T>>,
  keyed?: KeyedPaging<T>,
): Promise<ConnectionResult<T>> {
  const first = args.first ?? defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > maxSize) {
    throw new InvalidInputError(`\`first\` must be between 1 and ${maxSize}; got ${first}.`, 'first');
  }
  const { pageCursor, skip, key } = decodeAfter(args.after);
  if (key && !keyed) throw new InvalidInputError('`after` is not a cursor of this list.', 'after');
  if (keyed) {
    // The replica resumes any key, or a position counted from the start; AfterShip's own cursors only AfterShip.
    if (keyed.local && (key || pageCursor === '')) {
      const page = await keyed.local(key ? { after: key } : { skip }, first);
      if (page) return keyedResult(args, page, keyed.keyOf);
    }
    if (pageCursor === null) return keyedResult(args, await keyed.afterKey(key!, first), keyed.keyOf);
  }
  const cursor = pageCursor ?? '';
  const limit = Math.min(maxSize, skip + first);
  const page = await fetch(cursor, limit);
  const items = page.items.slice(skip, skip + first);
  const lastOfFetched = skip + items.length === page.items.length;
  // Index among all matches of the page's first item, when the chain of cursors knows it.
  const base = key?.index !== undefined ? key.index + 1 : cursor === '' && !key ? skip : undefined;
  const edges = items.map((node, i) => {
    const isLast = i === items.length - 1;
    const k = keyed?.keyOf(node);
    const withKey = k ? { ...k, ...(base !== undefined ? { index: base + i } : {}) } : undefined;
    const edgeCursor = isLast && lastOfFetched && page.hasNextPage && page.nextCursor ? encodeEdgeCursor(page.nextCursor, 0, withKey) : encodeEdgeCursor(cursor, skip + i + 1, withKey);
    return { cursor: edgeCursor, node };
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage || skip + items.length < page.items.length,
      hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: page.total,
  };
}
