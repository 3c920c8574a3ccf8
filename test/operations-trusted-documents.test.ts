/**
 * Trusted documents (TRUSTED_DOCUMENTS) and GRAPHQL_INTROSPECTION, against a real gateway over HTTP
 * and graphql-ws. The manifest is the one `npm run codegen` writes for test/operations
 * (test/generated/persisted-documents.json, client preset `persistedDocuments`), and the ids clients
 * send are the ones the generated documents carry (`__meta__.hash`), as a frontend's would.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { print, type DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigError, loadConfig } from '../src/config.js';
import { PERSISTED_QUERY_NOT_FOUND, PERSISTED_QUERY_NOT_IN_LIST } from '../src/http/index.js';
import { TrackingDocument, TrackingUpdatedDocument } from './generated/graphql.js';
import { startGateway, type GraphQLResponse, type TestGateway } from './helpers/gateway.js';

const MANIFEST = fileURLToPath(new URL('./generated/persisted-documents.json', import.meta.url));
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
/** The id codegen embedded in a generated document, `sha256:<hex>`. */
const idOf = (doc: DocumentNode): string => (doc as unknown as { __meta__: { hash: string } }).__meta__.hash;
const hexOf = (doc: DocumentNode): string => idOf(doc).replace(/^sha256:/, '');
const UNKNOWN_ID = `sha256:${'0'.repeat(64)}`;

type Result = GraphQLResponse<{ tracking?: { aftershipId: string } | null }>;

async function post(gw: TestGateway, body: Record<string, unknown>): Promise<{ status: number; body: Result }> {
  const res = await fetch(gw.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Result };
}

const codes = (r: Result): unknown[] => (r.errors ?? []).map((e) => e.extensions?.code);

function wsClient(gw: TestGateway, cleanups: (() => Promise<void>)[]): Client {
  const client = createClient({ url: gw.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  cleanups.push(async () => void (await client.dispose()));
  return client;
}

/** The first result of one operation over graphql-ws (errors included), with its extensions. */
function firstResult(client: Client, payload: { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> }): Promise<Result> {
  return new Promise((resolve, reject) => {
    client.subscribe(payload, {
      next: (r) => resolve(r as Result),
      error: (e) => (Array.isArray(e) ? resolve({ errors: e }) : reject(e instanceof Error ? e : new Error(JSON.stringify(e)))),
      complete: () => undefined,
    });
  });
}

describe('trusted documents (TRUSTED_DOCUMENTS)', () => {
  let gw: TestGateway;
  let id: string;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    gw = await startGateway({ env: { TRUSTED_DOCUMENTS: MANIFEST }, sandbox: { seed: 3 } });
    id = gw.sandbox.store.list()[0].id!;
  });
  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await gw?.close();
  });

  it('the manifest is codegen\'s, and every generated document is in it', () => {
    expect(Object.keys(manifest).length).toBeGreaterThan(10);
    expect(manifest[idOf(TrackingDocument)]).toBeDefined();
    expect(manifest[idOf(TrackingUpdatedDocument)]).toBeDefined();
  });

  it('runs an operation of the manifest named by its id: documentId (GraphQL over HTTP) or Apollo\'s persistedQuery hash', async () => {
    const byDocumentId = await post(gw, { documentId: idOf(TrackingDocument), variables: { id } });
    expect(byDocumentId.body.errors).toBeUndefined();
    expect(byDocumentId.body.data?.tracking?.aftershipId).toBe(id);
    const byApolloHash = await post(gw, { extensions: { persistedQuery: { version: 1, sha256Hash: hexOf(TrackingDocument) } }, variables: { id } });
    expect(byApolloHash.body.errors).toBeUndefined();
    expect(byApolloHash.body.data?.tracking?.aftershipId).toBe(id);
  });

  it('a trusted document named by its id is answered from the response cache once its result is stored', async () => {
    const ask = async () => {
      const res = await fetch(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documentId: idOf(TrackingDocument), variables: { id } }) });
      return { cache: res.headers.get('x-response-cache'), body: (await res.json()) as Result };
    };
    const seen: (string | null)[] = [];
    for (let i = 0; i < 4 && seen.at(-1) !== 'hit'; i++) {
      const r = await ask();
      expect(r.body.data?.tracking?.aftershipId).toBe(id);
      seen.push(r.cache);
    }
    expect(seen.at(-1)).toBe('hit');
  });

  it('runs the exact text of a trusted document', async () => {
    const r = await post(gw, { query: manifest[idOf(TrackingDocument)], variables: { id } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.tracking?.aftershipId).toBe(id);
  });

  it('refuses any other document before running it, with PERSISTED_QUERY_NOT_IN_LIST; nothing reaches AfterShip', async () => {
    gw.sandbox.requests.reset();
    // The same operation, formatted otherwise: not the trusted text.
    const reformatted = await post(gw, { query: print(TrackingDocument), variables: { id } });
    expect(codes(reformatted.body)).toEqual([PERSISTED_QUERY_NOT_IN_LIST]);
    expect(reformatted.body.data ?? undefined).toBeUndefined();
    const other = await post(gw, { query: `{ tracking(id: "${id}") { aftershipId } }` });
    expect(codes(other.body)).toEqual([PERSISTED_QUERY_NOT_IN_LIST]);
    const introspection = await post(gw, { query: '{ __schema { types { name } } }' });
    expect(codes(introspection.body)).toEqual([PERSISTED_QUERY_NOT_IN_LIST]);
    const nothing = await post(gw, { variables: { id } });
    expect(codes(nothing.body)).toEqual([PERSISTED_QUERY_NOT_IN_LIST]);
    expect(gw.sandbox.requests.count()).toBe(0);
    for (const r of [reformatted, other, introspection, nothing]) expect(r.status).toBe(400);
  });

  it('refuses an id no trusted document has, with PERSISTED_QUERY_NOT_FOUND (a malformed id too)', async () => {
    const unknown = await post(gw, { documentId: UNKNOWN_ID, variables: { id } });
    expect(codes(unknown.body)).toEqual([PERSISTED_QUERY_NOT_FOUND]);
    const apollo = await post(gw, { extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } });
    expect(codes(apollo.body)).toEqual([PERSISTED_QUERY_NOT_FOUND]);
    const malformed = await post(gw, { documentId: 'sha1:abc' });
    expect(codes(malformed.body)).toEqual([PERSISTED_QUERY_NOT_FOUND]);
    for (const r of [unknown, apollo, malformed]) {
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0].extensions).toEqual({ code: PERSISTED_QUERY_NOT_FOUND });
    }
  });

  it('does not serve GraphiQL, whose documents are not trusted', async () => {
    const res = await fetch(gw.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toContain('<html');
  });

  it('over graphql-ws: a trusted query and subscription run by id or text; others are refused with the same codes, the socket stays open', async () => {
    const client = wsClient(gw, cleanups);
    const byId = await firstResult(client, { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: hexOf(TrackingDocument) } }, variables: { id } });
    expect(byId.errors).toBeUndefined();
    expect(byId.data?.tracking?.aftershipId).toBe(id);
    const byText = await firstResult(client, { query: manifest[idOf(TrackingDocument)], variables: { id } });
    expect(byText.data?.tracking?.aftershipId).toBe(id);

    expect(codes(await firstResult(client, { query: `{ tracking(id: "${id}") { aftershipId } }` }))).toEqual([PERSISTED_QUERY_NOT_IN_LIST]);
    expect(codes(await firstResult(client, { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }))).toEqual([
      PERSISTED_QUERY_NOT_FOUND,
    ]);

    // A trusted subscription is set up (it watches the tracking) on the same socket.
    const pubsub = gw.app.ops.account().realtime.pubsub;
    const unsubscribe = client.subscribe(
      { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: hexOf(TrackingUpdatedDocument) } }, variables: { id } },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    for (let i = 0; i < 300 && pubsub.watcherCount('default', id) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pubsub.watcherCount('default', id)).toBe(1);
    unsubscribe();
  });
});

describe('TRUSTED_DOCUMENTS at start-up', () => {
  const problems = (files: Record<string, string>): string[] => {
    try {
      loadConfig({ TRUSTED_DOCUMENTS: 'manifest.json' }, { readFile: (p) => files[p] ?? (() => { throw Object.assign(new Error('gone'), { code: 'ENOENT' }); })() });
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  };

  it('reads codegen\'s manifest', () => {
    const config = loadConfig({ TRUSTED_DOCUMENTS: MANIFEST });
    expect(config.trustedDocuments?.byHash.size).toBe(Object.keys(manifest).length);
  });

  it('refuses to start on a manifest it cannot use, saying why', () => {
    expect(problems({})).toEqual(['TRUSTED_DOCUMENTS "manifest.json" cannot be read (ENOENT)']);
    expect(problems({ 'manifest.json': '{' })).toEqual(['TRUSTED_DOCUMENTS "manifest.json" is not valid JSON']);
    expect(problems({ 'manifest.json': '["query { a }"]' })[0]).toMatch(/must be a JSON object of sha256 hash → document text/);
    expect(problems({ 'manifest.json': '{}' })).toEqual(['TRUSTED_DOCUMENTS "manifest.json" holds no document']);
    // A sha1 manifest (the client preset's other algorithm): its ids are not sha256.
    const sha1 = { a94a8fe5ccb19ba61c4c0873d391e987982fbbd3: 'query A { __typename }' };
    expect(problems({ 'manifest.json': JSON.stringify(sha1) })[0]).toMatch(/is not the sha256 of its document \(generate it with persistedDocuments: \{ hashAlgorithm: 'sha256' \}\)/);
    expect(problems({ 'manifest.json': JSON.stringify({ [idOf(TrackingDocument)]: 'query Other { __typename }' }) })[0]).toMatch(/is not the sha256/);
  });
});

describe('GRAPHQL_INTROSPECTION=false', () => {
  let gw: TestGateway;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    gw = await startGateway({ env: { GRAPHQL_INTROSPECTION: 'false' }, sandbox: { seed: 1 } });
  });
  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await gw?.close();
  });

  it('refuses __schema and __type over HTTP and graphql-ws, answers __typename and ordinary queries, and serves no GraphiQL', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Tracking") { name } }']) {
      const r = await post(gw, { query });
      // graphql-js's rule names each introspection field (`__schema`, then `queryType` of type __Type).
      expect(new Set(codes(r.body)), query).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
      expect(r.body.data ?? undefined).toBeUndefined();
      expect(r.body.errors?.[0].message).toMatch(/introspection has been disabled/);
    }
    expect((await post(gw, { query: '{ __typename }' })).body.data).toEqual({ __typename: 'Query' });
    const id = gw.sandbox.store.list()[0].id!;
    expect((await post(gw, { query: `{ tracking(id: "${id}") { aftershipId } }` })).body.data?.tracking?.aftershipId).toBe(id);

    const client = wsClient(gw, cleanups);
    expect(new Set(codes(await firstResult(client, { query: '{ __schema { queryType { name } } }' })))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));

    const page = await fetch(gw.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('<html');
  });

  it('is on by default (GraphiQL and tooling need it)', () => {
    expect(loadConfig({}).introspection).toBe(true);
    expect(() => loadConfig({ GRAPHQL_INTROSPECTION: 'no' })).toThrow(/GRAPHQL_INTROSPECTION must be one of true, false/);
  });
});
