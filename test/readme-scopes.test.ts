/**
 * The README's scope table (Access control) against the scopes the schema declares (`authScopes` on
 * each field, read from the built schema), both ways: every root field is in the table with exactly
 * the scopes it needs, every field inside another type that declares scopes is too, and the table
 * names no field the schema does not have. `node`/`nodes` decide per id: their scopes are those of
 * every Node type's id.
 */
import { readFileSync } from 'node:fs';
import { isInterfaceType, isObjectType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const HEADER = '| Scopes needed | Root fields | Fields inside other types |';

type ScopeMap = Record<string, string[]>;

/** Field coordinate (`Query.tracking`) → sorted scopes, from the README's table. */
function readmeScopes(): ScopeMap {
  const lines = readme.split('\n');
  const start = lines.indexOf(HEADER);
  expect(start, `README has no line "${HEADER}"`).toBeGreaterThan(-1);
  const roots = rootTypes();
  const out: ScopeMap = {};
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1);
    expect(cells, line).toHaveLength(3);
    const scopes = [...cells[0].matchAll(/`(aftership:[a-z_]+:[a-z]+|enumerateTrackings)`/g)].map((m) => m[1]).sort();
    const names = [...cells[1].matchAll(/`([A-Za-z_]\w*)`/g)].map((m) => m[1]);
    const inside = [...cells[2].matchAll(/`([A-Z]\w*\.\w+)`/g)].map((m) => m[1]);
    for (const name of names) {
      // A root field is named alone: it must be one field of exactly one root type.
      const owners = roots.filter((t) => name in t.getFields());
      expect(owners.map((t) => t.name), `README names "${name}" as a root field`).toHaveLength(1);
      add(out, `${owners[0].name}.${name}`, scopes);
    }
    for (const coordinate of inside) add(out, coordinate, scopes);
  }
  return out;
}

function add(map: ScopeMap, coordinate: string, scopes: string[]): void {
  expect(map[coordinate], `${coordinate} is in the README's table twice`).toBeUndefined();
  map[coordinate] = scopes;
}

const rootTypes = (): GraphQLObjectType[] => [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => !!t);

type AuthScopes = Record<string, unknown> | ((root: unknown, args: Record<string, unknown>) => unknown);

/** The scopes one `authScopes` value requires: keys set to true, `$all` nested; `$any` would need other words. */
function required(value: unknown): string[] {
  if (value === true) return [];
  if (typeof value !== 'object' || value === null) throw new Error(`unexpected authScopes ${JSON.stringify(value)}`);
  return Object.entries(value).flatMap(([key, v]) => {
    if (key === '$all') return required(v);
    if (key.startsWith('$')) throw new Error(`authScopes ${key}: say in the README how it combines, then teach this test`);
    expect(v, key).toBe(true);
    return [key];
  });
}

/** What a field declares; a function (node, nodes) is asked for an id of each Node type. */
function declared(field: GraphQLField<unknown, unknown>): string[] | undefined {
  const authScopes = (field.extensions?.pothosOptions as { authScopes?: AuthScopes } | undefined)?.authScopes;
  if (authScopes === undefined) return undefined;
  if (typeof authScopes !== 'function') return [...new Set(required(authScopes))].sort();
  const node = schema.getType('Node');
  expect(isInterfaceType(node)).toBe(true);
  if (!isInterfaceType(node)) return [];
  const scopes = schema.getPossibleTypes(node).flatMap((t) => {
    const id = encodeGlobalID(t.name, 'x1');
    return required(authScopes(undefined, { id, ids: [id] }));
  });
  return [...new Set(scopes)].sort();
}

/** Every root field (scopes or none) and every other field that declares scopes. */
function schemaScopes(): ScopeMap {
  const out: ScopeMap = {};
  const roots = new Set(rootTypes());
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const scopes = declared(field);
      if (roots.has(type) || scopes !== undefined) out[`${type.name}.${field.name}`] = scopes ?? [];
    }
  }
  return out;
}

describe("README's scope table", () => {
  it('lists every root field, and every field that declares scopes, with the scopes the schema declares, and nothing else', () => {
    const schemaSide = schemaScopes();
    const readmeSide = readmeScopes();
    expect(Object.keys(schemaSide).length).toBeGreaterThan(20);
    expect(readmeSide).toEqual(schemaSide);
  });

  it('matches the scopes AfterShip files its endpoints under (the examples the issue names)', () => {
    const readmeSide = readmeScopes();
    expect(readmeSide['Query.detectCouriers']).toEqual(['aftership:courier:write']);
    expect(readmeSide['Query.predictEstimatedDeliveries']).toEqual(['aftership:estimated_delivery_date:write']);
  });
});
