/**
 * Trusted documents (persisted operations): with TRUSTED_DOCUMENTS set, the gateway runs only the
 * operations of a manifest, GraphQL Code Generator's `persisted-documents.json` (client preset with
 * `persistedDocuments`; `npm run codegen` writes one for test/operations and examples/):
 * `{ "sha256:<hex of the text>": "<document text>" }` (a bare hex key is read too). A client names a
 * document by its id, as GraphQL-over-HTTP's persisted documents appendix (`documentId:
 * "sha256:<hex>"`) or Apollo's (`extensions.persistedQuery.sha256Hash`, hex) say, with no query; or
 * sends the exact text of a trusted document. Anything else is refused before it is parsed, coded:
 *
 * - `PERSISTED_QUERY_NOT_FOUND`: no trusted document has this id;
 * - `PERSISTED_QUERY_NOT_IN_LIST`: a document that is not trusted, or none at all.
 *
 * Over HTTP this is yoga's own persisted-operations plugin; graphql-ws (websocket.ts) asks
 * `trustedQuery`, with the same id extraction, manifest and errors.
 */
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';

export const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';
export const PERSISTED_QUERY_NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';

/** A manifest's documents by hash, and the hash of each text (a client may send the text itself). */
export interface TrustedDocuments {
  readonly byHash: ReadonlyMap<string, string>;
  readonly hashByText: ReadonlyMap<string, string>;
}

/** `sha256:<hex>` (GraphQL-over-HTTP's document id) or the bare hex (Apollo's): the hex, lower case. */
const SHA256_ID = /^(?:sha256:)?([0-9a-fA-F]{64})$/;
const hexOf = (id: string): string | null => SHA256_ID.exec(id)?.[1]?.toLowerCase() ?? null;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Reads a manifest's JSON text. Returns the documents, or what is wrong with it (one line each, for
 * the start-up error; document text is never echoed).
 */
export function parseTrustedDocuments(text: string): { documents?: TrustedDocuments; problems: string[] } {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return { problems: ['is not valid JSON'] };
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return { problems: ["must be a JSON object of sha256 hash → document text (GraphQL Code Generator's persisted-documents.json)"] };
  }
  const problems: string[] = [];
  const byHash = new Map<string, string>();
  const hashByText = new Map<string, string>();
  for (const [hash, document] of Object.entries(manifest)) {
    const entry = `entry "${hash.slice(0, 80)}"`;
    if (typeof document !== 'string' || document.trim() === '') problems.push(`${entry} must be the document's text`);
    else if (hexOf(hash) !== sha256(document)) {
      problems.push(`${entry} is not the sha256 of its document (generate it with persistedDocuments: { hashAlgorithm: 'sha256' })`);
    } else {
      byHash.set(sha256(document), document);
      hashByText.set(document, sha256(document));
    }
  }
  if (problems.length === 0 && byHash.size === 0) problems.push('holds no document');
  return problems.length ? { problems } : { documents: { byHash, hashByText }, problems };
}

/** Over HTTP the whole request is refused: 400, as for a document that does not parse (graphql-ws has no status). */
type Status = { http?: { status: number } };
const HTTP_400: Status = { http: { status: 400 } };

const notFound = (status: Status = {}): GraphQLError =>
  new GraphQLError('No trusted document has this hash: this gateway runs only the operations of its manifest (TRUSTED_DOCUMENTS).', {
    extensions: { code: PERSISTED_QUERY_NOT_FOUND, ...status },
  });
const notInList = (status: Status = {}): GraphQLError =>
  new GraphQLError(
    'This gateway runs only trusted documents (TRUSTED_DOCUMENTS): send the sha256 hash of one in extensions.persistedQuery.sha256Hash, or its exact text.',
    { extensions: { code: PERSISTED_QUERY_NOT_IN_LIST, ...status } },
  );

/** Params as HTTP and graphql-ws carry them: `query`, `extensions`, and other body fields such as `documentId`. */
type RequestParams = { query?: string; extensions?: Record<string, unknown> | null; documentId?: unknown };

/**
 * The hex sha256 a request names: `documentId` ("sha256:<hex>", GraphQL over HTTP) or, version 1 of
 * Apollo's, `extensions.persistedQuery.sha256Hash`. Null when it names none; '' when the id is not a sha256.
 */
function requestedHash(params: RequestParams): string | null {
  if (typeof params.documentId === 'string') return hexOf(params.documentId) ?? '';
  const persisted: unknown = params.extensions?.persistedQuery;
  if (typeof persisted !== 'object' || persisted === null) return null;
  const { version, sha256Hash } = persisted as Record<string, unknown>;
  return version === 1 && typeof sha256Hash === 'string' ? (hexOf(sha256Hash) ?? '') : null;
}

/**
 * For graphql-ws (its `query` is always a string: '' with a hash): the text to run, or the refusal.
 * The hash is the request's own, or its text's when the text is a trusted document.
 */
export function trustedQuery(documents: TrustedDocuments, params: RequestParams): string | GraphQLError {
  const hash = params.query ? (documents.hashByText.get(params.query) ?? null) : requestedHash(params);
  if (hash === null) return notInList();
  return documents.byHash.get(hash) ?? notFound();
}

/** Over HTTP: yoga's persisted-operations plugin over the manifest; a trusted text is taken as its hash. */
export function useTrustedDocuments(documents: TrustedDocuments): Plugin {
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(
        usePersistedOperations({
          getPersistedOperation: (hash) => documents.byHash.get(hash) ?? null,
          extractPersistedOperationId: (params) => requestedHash(params as RequestParams),
          customErrors: { notFound: () => notFound(HTTP_400), keyNotFound: () => notInList(HTTP_400), persistedQueryOnly: () => notInList(HTTP_400) },
        }),
      );
    },
    // Runs before the plugin added above: a trusted text becomes its id, so the plugin only ever sees ids.
    onParams({ params, setParams }) {
      if (!params.query) return;
      const hash = documents.hashByText.get(params.query);
      if (hash) setParams({ ...params, query: undefined, extensions: { ...params.extensions, persistedQuery: { version: 1, sha256Hash: hash } } });
    },
  };
}
