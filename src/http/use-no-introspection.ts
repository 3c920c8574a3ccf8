/**
 * GRAPHQL_INTROSPECTION=false: `__schema` and `__type` are refused at validation (graphql-js's own
 * NoSchemaIntrospectionCustomRule; `__typename` stays), over HTTP and graphql-ws alike, so a
 * production gateway does not hand its whole schema to anyone who asks.
 */
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
