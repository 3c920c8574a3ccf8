/**
 * The schema as a published artifact: every type, field, argument and enum value is described
 * (GraphiQL is the frontend developer's documentation), and schema.graphql matches the code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import codegenConfig from '../codegen.js';
import { fileURLToPath } from 'node:url';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  isScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';
import { printSchemaSdl } from '../src/schema/sdl.js';

function undescribed(): string[] {
  const missing: string[] = [];
  const has = (d: string | null | undefined) => typeof d === 'string' && d.trim().length > 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!has(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!has(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!has(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!has(field.description)) missing.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (!has(value.description)) missing.push(`${type.name}.${value.name}`);
    } else if (isUnionType(type) || isScalarType(type)) {
      // the type description (checked above) is all they have
    }
  }
  return missing;
}

describe('schema artifacts', () => {
  it('describes every type, field, argument and enum value', () => {
    expect(undescribed()).toEqual([]);
  });

  it('keeps the public field names of Tracking', () => {
    const tracking = schema.getType('Tracking');
    expect(isObjectType(tracking)).toBe(true);
    if (!isObjectType(tracking)) return;
    const fields = Object.keys(tracking.getFields());
    for (const name of ['id', 'aftershipId', 'trackingNumber', 'slug', 'tag', 'subtag', 'subtagMessage', 'title', 'courier', 'checkpoints', 'latestCheckpoint', 'estimatedDelivery']) {
      expect(fields).toContain(name);
    }
  });

  it('schema.graphql is up to date (run `npm run schema`)', () => {
    const file = readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8');
    expect(file === printSchemaSdl(schema), 'schema.graphql is stale: run `npm run schema`').toBe(true);
  });

  it('test/generated matches codegen over schema.graphql and test/operations (run `npm run codegen`)', async () => {
    const outputs = await generate({ ...codegenConfig, silent: true, verbose: false }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const { filename, content } of outputs) {
      const path = resolve(filename);
      expect(existsSync(path), `${filename} missing: run \`npm run codegen\``).toBe(true);
      expect(readFileSync(path, 'utf8') === content, `${filename} is stale: run \`npm run codegen\``).toBe(true);
    }
  }, 60_000);
});
