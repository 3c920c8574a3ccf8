/**
 * A small validator for AfterShip's 2026-07 OpenAPI response schemas (copied into the repo as
 * src/sandbox/fixtures/openapi/*.json, examples stripped). Supports what those documents use:
 * $ref, type (incl. lists and 'null'), nullable, properties, required, additionalProperties,
 * items, enum, pattern, min/max length, minimum/maximum, maxItems.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Schema = Record<string, unknown>;
interface Doc {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

const DOCS = ['tracking', 'courier', 'courier-connection', 'estimated-delivery-date'].map((name) => JSON.parse(
  readFileSync(fileURLToPath(new URL(`../../src/sandbox/fixtures/openapi/${name}.json`, import.meta.url)), 'utf8'),
) as Doc);

/** The response schema for `METHOD /path/{id}` and a status, with the document it belongs to. */
export function responseSchema(method: string, path: string, status: number): { schema: Schema; doc: Doc } {
  for (const doc of DOCS) {
    const op = doc.paths[path]?.[method.toLowerCase()];
    const schema = op?.responses?.[String(status)]?.content?.['application/json']?.schema;
    if (schema) return { schema, doc };
  }
  throw new Error(`no schema for ${method} ${path} ${status}`);
}

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'null': return v === null;
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'integer': return Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    default: return true;
  }
}

export function validate(schemaIn: Schema, value: unknown, doc: Doc, path = '$', errors: string[] = []): string[] {
  let schema = schemaIn;
  while (typeof schema.$ref === 'string') schema = doc.components.schemas[(schema.$ref as string).split('/').pop()!];
  if (value === null && (schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null')))) return errors;
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (types.length && !types.some((t) => typeOk(t, value))) {
    errors.push(`${path}: expected ${types.join('|')}, got ${JSON.stringify(value)?.slice(0, 60)}`);
    return errors;
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: "${value}" does not match ${schema.pattern}`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((v, i) => validate(schema.items as Schema, v, doc, `${path}[${i}]`, errors));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) errors.push(`${path}.${r}: required`);
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) validate(props[k], v, doc, `${path}.${k}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}.${k}: not allowed`);
      else if (typeof schema.additionalProperties === 'object') validate(schema.additionalProperties as Schema, v, doc, `${path}.${k}`, errors);
    }
  }
  return errors;
}
