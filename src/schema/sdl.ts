/**
 * The schema as SDL, the way `schema.graphql` is written: sorted, so the file diffs cleanly.
 */
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

export const SDL_HEADER = '# Generated from src/schema by `npm run schema`. Do not edit: change the code and regenerate.\n\n';

export function printSchemaSdl(schema: GraphQLSchema): string {
  return SDL_HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}
