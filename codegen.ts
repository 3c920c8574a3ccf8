/**
 * GraphQL Code Generator: typed documents (TypedDocumentNode) for the operations the tests
 * (test/operations) and examples (examples/) use, against schema.graphql. `npm run codegen` regenerates test/generated/;
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
      presetConfig: { fragmentMasking: false },
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
