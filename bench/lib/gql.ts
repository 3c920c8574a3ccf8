/** One GraphQL request over HTTP, for the orchestrator (load goes through load/). */
import { AUTH_HEADER } from './env.js';

export interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function postGraphQL(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...AUTH_HEADER },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphQLAnswer;
  } catch {
    throw new Error(`gateway answered ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
}

/** Throws with the first error's message when the answer has errors or no data. */
export function dataOf(a: GraphQLAnswer, what: string): Record<string, unknown> {
  if (a.errors?.length || !a.data) {
    throw new Error(`${what}: ${a.errors?.[0]?.message ?? 'no data'} (${a.errors?.[0]?.extensions?.code ?? 'no code'})`);
  }
  return a.data;
}
