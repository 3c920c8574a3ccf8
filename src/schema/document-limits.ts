/**
 * Limits on the GraphQL document itself, applied before it is fully parsed or validated, so that a
 * hostile document is refused in milliseconds whatever its size (the cost guard, cost-guard.ts, then
 * bounds what a valid operation may do when it runs):
 *
 * 1. `onParse`: the query's length, then one pass of graphql-js's lexer counting tokens and bracket
 *    nesting, stopping at the first limit crossed: the parser (recursive) only runs on documents it
 *    cannot overflow;
 * 2. `onValidate`: graphql-armor's alias, directive and depth rules, which count at the operation's
 *    start, before the (slower) standard rules visit its selections;
 * 3. `onExecute`/`onSubscribe`: the variables' nesting and text (a lone UTF-16 surrogate is no text
 *    AfterShip or JSON can carry), before any resolver runs.
 * These are envelop hooks: HTTP and graphql-ws (src/http/websocket.ts) alike.
 *
 * Every refusal is a GraphQL error with a code (`QUERY_TOO_EXPENSIVE` + `exceeded`, `QUERY_TOO_DEEP`
 * or `BAD_USER_INPUT`) and the limit; never a parser or runtime message.
 */
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, Lexer, parse, Source, TokenKind, type ParseOptions } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_MAX_DEPTH } from './cost-guard.js';

export interface DocumentLimits {
  /** Characters of the query text. @default 100000 */
  maxLength?: number;
  /** Lexical tokens of the document (names, punctuation, values). @default 10000 */
  maxTokens?: number;
  /** Aliased fields of the operation, fragments expanded. @default 200 */
  maxAliases?: number;
  /** Directives of the operation, fragments expanded. @default 50 */
  maxDirectives?: number;
  /** Deepest selection nesting (as the cost guard counts it: `{ a { b } }` is 1). @default DEFAULT_MAX_DEPTH */
  maxDepth?: number;
}

export const DEFAULT_DOCUMENT_LIMITS = { maxLength: 100_000, maxTokens: 10_000, maxAliases: 200, maxDirectives: 50 } as const;

/**
 * Deepest nesting of brackets (`{`, `[`, `(`) in the document and of arrays/objects in the variables:
 * enough for any selection `maxDepth` allows, far below what graphql-js's recursive parser (about a
 * thousand levels) or JSON.stringify can take.
 */
export function maxNestingFor(maxDepth: number): number {
  return Math.max(64, 2 * maxDepth + 16);
}

/** A refusal: coded, with its facts. */
function refusal(message: string, code: string, facts: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...facts } });
}

const tooExpensive = (part: string, max: number, what: string) =>
  refusal(`Query is too large: more than ${max} ${what}.`, 'QUERY_TOO_EXPENSIVE', { exceeded: part, max });

const OPEN = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSE = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/** Lexes `source` once, refusing past `maxTokens` tokens or `maxNesting` open brackets. Syntax errors surface as the parser's. */
export function checkTokens(source: string | Source, maxTokens: number, maxNesting: number): void {
  const lexer = new Lexer(typeof source === 'string' ? new Source(source) : source);
  let tokens = 0;
  let nesting = 0;
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    if (++tokens > maxTokens) throw tooExpensive('tokens', maxTokens, 'tokens');
    if (OPEN.has(token.kind)) {
      if (++nesting > maxNesting) {
        throw refusal(`Query is nested too deeply: more than ${maxNesting} levels of brackets.`, 'QUERY_TOO_DEEP', { maxNesting });
      }
    } else if (CLOSE.has(token.kind)) nesting--;
  }
}

/** Lone surrogates anywhere in a string (paired ones are one code point in a `u` pattern). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What is wrong with the variables: nested deeper than `maxNesting`, or a string (value or key) that
 * is not well-formed Unicode. Walked without recursion.
 */
export function variablesProblem(variables: unknown, maxNesting: number): GraphQLError | undefined {
  const stack: [unknown, number][] = [[variables, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return refusal('Variables must be well-formed Unicode text (a lone UTF-16 surrogate was sent).', 'BAD_USER_INPUT', {});
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxNesting) return refusal(`Variables are nested too deeply: more than ${maxNesting} levels.`, 'BAD_USER_INPUT', { maxNesting });
    if (Array.isArray(value)) for (const v of value) stack.push([v, depth + 1]);
    else {
      for (const [k, v] of Object.entries(value)) {
        if (LONE_SURROGATE.test(k)) return refusal('Variable names and keys must be well-formed Unicode text.', 'BAD_USER_INPUT', {});
        stack.push([v, depth + 1]);
      }
    }
  }
  return undefined;
}

export function useDocumentLimits(limits: DocumentLimits = {}): Plugin {
  const { maxLength, maxTokens, maxAliases, maxDirectives } = { ...DEFAULT_DOCUMENT_LIMITS, ...limits };
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxNesting = maxNestingFor(maxDepth);
  // graphql-armor's rules throw their own "Syntax Error: ..." text; ours says the same with a code.
  const reject = (error: () => GraphQLError) => [
    () => {
      throw error();
    },
  ];
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(maxAliasesPlugin({ n: maxAliases, propagateOnRejection: false, onReject: reject(() => tooExpensive('aliases', maxAliases, 'aliases')) }));
      addPlugin(maxDirectivesPlugin({ n: maxDirectives, propagateOnRejection: false, onReject: reject(() => tooExpensive('directives', maxDirectives, 'directives')) }));
      addPlugin(
        maxDepthPlugin({
          // armor counts `{ a }` as 1 where the cost guard (and MAX_QUERY_DEPTH) counts 0; fragments add no depth.
          n: maxDepth + 1,
          flattenFragments: true,
          propagateOnRejection: false,
          onReject: reject(() => refusal(`Query is too deep: more than ${maxDepth} levels of nesting.`, 'QUERY_TOO_DEEP', { maxDepth })),
        }),
      );
    },
    onParse({ setParseFn }) {
      setParseFn((source: string | Source, options?: ParseOptions) => {
        if ((typeof source === 'string' ? source : source.body).length > maxLength) throw tooExpensive('length', maxLength, 'characters');
        checkTokens(source, maxTokens, maxNesting);
        return parse(source, { ...options, maxTokens });
      });
    },
    onExecute({ args, setResultAndStopExecution }) {
      const problem = args.variableValues ? variablesProblem(args.variableValues, maxNesting) : undefined;
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const problem = args.variableValues ? variablesProblem(args.variableValues, maxNesting) : undefined;
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}
