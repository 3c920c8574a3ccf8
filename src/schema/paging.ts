/**
 * Relay connections over AfterShip's forward-only cursor pagination.
 *
 * AfterShip hands out one cursor per page (`next_cursor`). The last edge of a page gets that
 * cursor verbatim, so `endCursor` is AfterShip's own cursor. Other edges get `gw1:<page
 * cursor>,<offset>`: resuming there re-reads the same AfterShip page from its start with a
 * larger limit and skips `offset` items — still one call.
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

export function decodeAfter(after: string | null | undefined): { pageCursor: string; skip: number } {
  if (!after) return { pageCursor: '', skip: 0 };
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
    const cursor = isLast && lastOfFetched && page.hasNextPage && page.nextCursor ? page.nextCursor : encodeEdgeCursor(pageCursor, skip + i + 1);
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
