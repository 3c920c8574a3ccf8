/**
 * Relay connections over AfterShip's forward-only cursor pagination.
 *
 * AfterShip hands out one cursor per page (`next_cursor`). Every edge's cursor has one form,
 * `gw1:<base64url of [page cursor, offset]>`: "resume at item `offset` of the AfterShip page that
 * starts at `page cursor`" — one call (the page is re-read with a larger limit and `offset` items
 * skipped). The last edge of a page that has a next one is `[next_cursor, 0]`. The form depends
 * only on AfterShip's cursors, not on the instance or its memory, so any replica resumes it.
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

const PREFIX = 'gw1:';

export function encodeEdgeCursor(pageCursor: string, offset: number): string {
  return PREFIX + Buffer.from(JSON.stringify([pageCursor, offset])).toString('base64url');
}

/** Longer than any cursor handed out (AfterShip's are well under 200 characters): refused before decoding. */
export const MAX_CURSOR_LENGTH = 1024;

export function decodeAfter(after: string | null | undefined): { pageCursor: string; skip: number } {
  if (!after) return { pageCursor: '', skip: 0 };
  if (after.length > MAX_CURSOR_LENGTH) throw new InvalidInputError('`after` is not a cursor this API returned.', 'after');
  // Deprecated old form (AfterShip's raw cursor, once the last edge's): accepted until the next release.
  if (!after.startsWith(PREFIX)) return { pageCursor: after, skip: 0 };
  try {
    const decoded: unknown = JSON.parse(Buffer.from(after.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && typeof decoded[0] === 'string' && Number.isInteger(decoded[1]) && decoded[1] >= 0) {
      return { pageCursor: decoded[0], skip: decoded[1] as number };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('`after` is not a cursor this API returned.', 'after');
}

export async function resolvePage<T>(
  args: PageArgs,
  defaultSize: number,
  maxSize: number,
  fetch: (cursor: string, limit: number) => Promise<FetchedPage<T>>,
): Promise<ConnectionResult<T>> {
  const first = args.first ?? defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > maxSize) {
    throw new InvalidInputError(`\`first\` must be between 1 and ${maxSize}; got ${first}.`, 'first');
  }
  const { pageCursor, skip } = decodeAfter(args.after);
  const limit = Math.min(maxSize, skip + first);
  const page = await fetch(pageCursor, limit);
  const items = page.items.slice(skip, skip + first);
  const lastOfFetched = skip + items.length === page.items.length;
  const edges = items.map((node, i) => {
    const isLast = i === items.length - 1;
    const cursor = isLast && lastOfFetched && page.hasNextPage && page.nextCursor ? encodeEdgeCursor(page.nextCursor, 0) : encodeEdgeCursor(pageCursor, skip + i + 1);
    return { cursor, node };
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
