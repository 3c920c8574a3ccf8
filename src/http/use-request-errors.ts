/**
 * yoga answers a request it cannot read (invalid JSON, a body that is not an object) with a 400 whose
 * `extensions.originalError` carries the JSON parser's own message, a piece of the caller's body
 * included. This keeps yoga's status, code and sentence, and drops that echo.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useRequestErrors(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      const parse = requestParser;
      setRequestParser(async (request) => {
        try {
          return await parse(request);
        } catch (e) {
          if (!(e instanceof GraphQLError) || e.extensions.originalError === undefined) throw e;
          // 400 whatever the Accept header: the request itself could not be read.
          throw new GraphQLError(e.message, { extensions: { code: e.extensions.code, http: { status: 400 } } });
        }
      });
    },
  };
}
