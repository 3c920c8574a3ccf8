/**
 * GraphQL Code Generator: typed documents (TypedDocumentNode) for the operations the tests
 * (test/operations) and examples (examples/) use, against schema.graphql, and their trusted documents manifest
 * (test/generated/persisted-documents.json, for TRUSTED_DOCUMENTS). `npm run codegen` regenerates test/generated/;
 * test/schema-artifacts fails when it is stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/operations/**/*.graphql', 'examples/**/*.graphql'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    'test/generated/': {
      preset: 'client',
      // persisted-documents.json: the trusted documents manifest (TRUSTED_DOCUMENTS), sha256 of each operation's text.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: false,
        scalars: {
          DateTime: 'string',
          LocalDateTime: 'string',
          JSON: 'unknown',
        },
      },
    },
  },
};

export default config;
