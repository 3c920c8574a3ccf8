/**
 * Custom scalars. AfterShip sends two kinds of time: instants it records itself (created_at,
 * updated_at: UTC with offset) → DateTime; and courier-local dates/times that may lack an offset
 * or even a time (checkpoint_time, pickup dates, EDDs) → LocalDateTime, passed through verbatim
 * because converting them to UTC would invent an offset the courier never gave.
 *
 * Parsers throw plain TypeErrors: graphql-js then wraps them with the location of the bad value.
 */
import { Kind, type ValueNode } from 'graphql';
import { builder } from './builder.js';

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    throw new TypeError(`DateTime must be an ISO 8601 date-time with offset, e.g. "2026-03-02T16:03:27Z"; got ${JSON.stringify(value)}.`);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime ${JSON.stringify(value)} is not a real date.`);
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant in time: ISO 8601 with a UTC offset (e.g. `2026-03-02T16:03:27Z`). Always returned in UTC.',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`Cannot serialise ${JSON.stringify(value)} as DateTime.`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

const LOCAL_DATE_TIME = /^\d{4}-?\d{2}-?\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseLocal(value: unknown): string {
  if (typeof value !== 'string' || !LOCAL_DATE_TIME.test(value)) {
    throw new TypeError(
      `LocalDateTime must be YYYY-MM-DD, YYYY-MM-DDTHH:mm:ss or YYYY-MM-DDTHH:mm:ss±HH:MM; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

builder.scalarType('LocalDateTime', {
  description:
    'A date or date-time as the courier or merchant gave it, in local time: `YYYY-MM-DD` (or `YYYYMMDD`), `YYYY-MM-DDTHH:mm:ss` (or with a space for the `T`), or with an offset `YYYY-MM-DDTHH:mm:ss±HH:MM`. Not converted to UTC. Inputs and outputs of the same AfterShip field use the same scalar.',
  serialize: (value) => String(value),
  parseValue: parseLocal,
  parseLiteral: (ast) => parseLocal(ast.kind === Kind.STRING ? ast.value : undefined),
});

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw new TypeError(`Unsupported JSON literal of kind ${ast.kind}.`);
  }
}

builder.scalarType('JSON', {
  description: 'Any JSON value (object, array, string, number, boolean or null).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});

/** AfterShip's list filters want `YYYY-MM-DDTHH:mm:ss+00:00` (no milliseconds, explicit offset). */
export function toAfterShipDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
