/**
 * GraphQL Code Generator: typed documents (TypedDocumentNode) for the operations the tests
 * (test/operations) and examples (examples/) use, against schema.graphql, and their trusted documents manifest
 * (test/generated/persisted-documents.json, for TRUSTED_DOCUMENTS), and the tracking page's own typed operations
 * (examples/tracking-page/src/generated/: document strings, so its bundle needs no GraphQL library).
 * `npm run codegen` regenerates both; test/schema-artifacts fails when either is stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const typesConfig = {
  useTypeImports: true,
  enumsAsTypes: true,
  avoidOptionals: false,
  scalars: {
    DateTime: 'string',
    LocalDateTime: 'string',
    JSON: 'unknown',
  },
};

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    'test/generated/': {
      documents: ['test/operations/**/*.graphql', 'examples/**/*.graphql'],
      preset: 'client',
      // persisted-documents.json: the trusted documents manifest (TRUSTED_DOCUMENTS), sha256 of each operation's text.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: typesConfig,
    },
    // The page sends each document's text (TypedDocumentString): no graphql-js in a browser bundle.
    'examples/tracking-page/src/generated/': {
      documents: ['examples/tracking-page/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...typesConfig, documentMode: 'string', onlyOperationTypes: true },
    },
  },
};

export default config;
