/** Every GraphQL example in the README is valid against the schema, so the docs cannot drift. */
import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';
import { EXAMPLE_QUERY } from '../src/http/example-query.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README examples', () => {
  it('has GraphQL examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples.map((e, i) => [i + 1, e]))('example %i is valid against the schema', (_i, source) => {
    expect(validate(schema, parse(source as string)).map((e) => e.message)).toEqual([]);
  });

  it("GraphiQL's example query is valid against the schema", () => {
    expect(validate(schema, parse(EXAMPLE_QUERY)).map((e) => e.message)).toEqual([]);
  });
});
