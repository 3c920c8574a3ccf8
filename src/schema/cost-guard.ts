/**
 * Rejects operations that could cost too many AfterShip calls, or whose answer could be too large
 * for the gateway to build, before they run.
 *
 * Cost model (worst case: nothing cached, every lookup misses), read from the schema: each field
 * declares its cost next to its resolver (`cost` option, cost-plugin.ts):
 * - `calls`: that many calls each time the field resolves (e.g. `Query.tracking`: 1);
 * - `callsPerItem`: one call per item of a list argument (e.g. `Query.nodes(ids)`);
 * - `batch`: keys that the loaders/client merge into shared calls of `size` keys
 *   (`trackingByNumber`: 50 numbers per GET /trackings; EDD inputs: 5 per predict-batch) —
 *   all keys of one batch group in the operation are summed, then `ceil(keys / size)`;
 * - `once`: a call made at most once per operation (the courier list, however many
 *   `courier` fields are selected);
 * - `background`: calls in the client's background lane (a subscription's baseline fetches),
 *   reported as `backgroundCost`, not held against `maxCost`;
 * - `limits`: the most a list (or number) argument may be; more is refused (BAD_USER_INPUT).
 * A field under a list counts once per possible item: connection fields (`pageSize`) multiply
 * their subtree by `first` (default `pageSize`), list arguments (`nodes(ids)`,
 * `predictEstimatedDeliveries(inputs)`) by their length, other lists by `defaultListSize`.
 * Fields without a cost (plain data: checkpoints, EDDs) cost nothing: they come inside their parent.
 * Depth counts nested selection sets (fragments expanded; introspection not counted).
 *
 * Answer size (what the gateway itself must do, even with everything cached): `fields` counts every
 * field resolution in the worst case (a field under lists counts once per possible item, aliases
 * count separately), `listItems` every list element, from the same multipliers; list fields declare
 * their longest length (`listSize`, cost-plugin.ts), others count as `defaultListSize`. Both are held
 * against their maximum (`maxFields`, `maxListItems`): one query of thousands of aliases over a
 * cached field costs no AfterShip call, yet its answer would block the event loop and fill memory.
 * Arguments given as variables are read from the request's variables.
 */
import {
  Kind,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isListType,
  isAbstractType,
  isObjectType,
  isInterfaceType,
  locatedError,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { costOf, listSizeOf, type FieldCost } from './cost-plugin.js';
import { GatewayError, type PublicExtensions } from '../lib/errors.js';
import { toGraphQLError } from './error-mapping.js';

/** Why the guard refused an operation before it ran; `node` locates the argument at fault. */
export class QueryRefusedError extends GatewayError {
  override readonly name = 'QueryRefusedError';
  constructor(
    readonly code: 'QUERY_TOO_EXPENSIVE' | 'QUERY_TOO_DEEP' | 'BAD_USER_INPUT',
    message: string,
    /** What the client may see beside the code: estimatedCost, maxCost, breakdown, depth, max... */
    readonly details: Readonly<Record<string, unknown>>,
    readonly node?: ASTNode,
  ) {
    super(message);
  }

  override get extensions(): PublicExtensions {
    return { code: this.code, ...this.details };
  }
}

export type { FieldCost } from './cost-plugin.js';

/** Defaults of `MAX_QUERY_COST`, `MAX_QUERY_DEPTH`, `MAX_QUERY_FIELDS` and `MAX_QUERY_LIST_ITEMS`. */
export const DEFAULT_MAX_COST = 50;
export const DEFAULT_MAX_DEPTH = 10;
export const DEFAULT_MAX_FIELDS = 200_000;
export const DEFAULT_MAX_LIST_ITEMS = 500_000;

export interface CostGuardOptions {
  /** Most AfterShip calls one operation may cost in the worst case. @default DEFAULT_MAX_COST */
  maxCost?: number;
  /** Deepest selection nesting allowed. @default DEFAULT_MAX_DEPTH */
  maxDepth?: number;
  /** Most field resolutions the answer may need, worst case. @default DEFAULT_MAX_FIELDS */
  maxFields?: number;
  /** Most list elements the answer may hold, worst case. @default DEFAULT_MAX_LIST_ITEMS */
  maxListItems?: number;
  /** Items assumed for lists whose size no argument tells. @default 100 */
  defaultListSize?: number;
  /**
   * Most selections walked once fragments are expanded. Fragments spread several times can make a
   * small document expand exponentially (a "fragment bomb"): past this the operation is refused
   * instead of blocking the event loop. @default 20000
   */
  maxSelections?: number;
}

export interface CostEstimate {
  /** Worst-case AfterShip calls the operation makes for its caller (held against `maxCost`). */
  cost: number;
  /** Worst-case calls it starts in the background lane (subscription baselines). */
  backgroundCost: number;
  depth: number;
  /** Worst-case field resolutions of the answer. */
  fields: number;
  /** Worst-case list elements of the answer. */
  listItems: number;
  /** Calls per cost source (field coordinate or batch/once group), for error messages and tests. */
  breakdown: Record<string, number>;
  /** Why the operation must not run (too expensive, too deep, list too long); empty when fine. */
  errors: QueryRefusedError[];
}

function argAt(args: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), args);
}

const lengthOf = (value: unknown): number => (Array.isArray(value) ? value.length : value === undefined || value === null ? 0 : 1);

export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  options: CostGuardOptions & { variables?: Record<string, unknown> | null; operationName?: string | null } = {},
): CostEstimate {
  const maxCost = options.maxCost ?? DEFAULT_MAX_COST;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const defaultListSize = options.defaultListSize ?? 100;
  const maxSelections = options.maxSelections ?? 20_000;
  const maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS;
  const maxListItems = options.maxListItems ?? DEFAULT_MAX_LIST_ITEMS;
  const errors: QueryRefusedError[] = [];
  const nothing: CostEstimate = { cost: 0, backgroundCost: 0, depth: 0, fields: 0, listItems: 0, breakdown: {}, errors };

  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = options.operationName ? operations.find((o) => o.name?.value === options.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return nothing;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], options.variables ?? {});
  // Invalid variables fail execution with a better message; estimate as if they were absent.
  const variables = coerced.coerced ?? {};
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return nothing;

  const breakdown: Record<string, number> = {};
  const batchKeys = new Map<string, { keys: number; size: number }>();
  const once = new Set<string>();
  let direct = 0;
  let background = 0;
  let maxSeenDepth = 0;
  let walked = 0;
  let fields = 0;
  let listItems = 0;
  /** Fields per root response key (alias or name): which part of the answer is large. */
  const parts = new Map<string, number>();

  const add = (key: string, n: number): void => {
    breakdown[key] = (breakdown[key] ?? 0) + n;
  };

  /** Adds what one selection of a field costs, `multiplier` times. */
  function count(coord: string, spec: FieldCost, args: Record<string, unknown>, multiplier: number): void {
    if ('batch' in spec) {
      const keys = (spec.keysPerItem ? lengthOf(argAt(args, spec.keysPerItem)) : 1) * multiplier;
      const group = batchKeys.get(spec.batch) ?? { keys: 0, size: spec.size };
      group.keys += keys;
      batchKeys.set(spec.batch, group);
      return;
    }
    if ('once' in spec) {
      once.add(spec.once);
      return;
    }
    const n = ('calls' in spec ? spec.calls : lengthOf(argAt(args, spec.callsPerItem))) * multiplier;
    if (n === 0) return;
    if (spec.background) background += n;
    else direct += n;
    add(coord, n);
  }

  /** How many items a list field holds (or a connection's page); undefined for a field that is no list. */
  function itemsOf(field: GraphQLField<unknown, unknown>, parentName: string, spec: FieldCost | undefined, args: Record<string, unknown>): number | undefined {
    if (spec?.pageSize !== undefined) {
      const first = args.first;
      return typeof first === 'number' && first > 0 ? first : spec.pageSize;
    }
    // A connection's edges and nodes are its page, counted at the connection field.
    if (parentName.endsWith('Connection') && (field.name === 'edges' || field.name === 'nodes')) return undefined;
    if (!isListType(getNullableType(field.type))) return undefined;
    const sizeArg = spec && 'callsPerItem' in spec ? spec.callsPerItem : spec && 'batch' in spec ? spec.keysPerItem : undefined;
    if (sizeArg) return Math.max(1, lengthOf(argAt(args, sizeArg)));
    const declared = listSizeOf(field);
    if (declared === undefined) return defaultListSize;
    if (typeof declared === 'number') return declared;
    const given = args[declared.arg];
    return typeof given === 'number' ? Math.max(0, Math.min(given, declared.max)) : declared.max;
  }

  function walk(set: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, depth: number, seen: ReadonlySet<string>, root?: string): void {
    for (const sel of set.selections) {
      if (++walked > maxSelections) return;
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (type && (isObjectType(type) || isInterfaceType(type) || isAbstractType(type))) walk(sel.selectionSet, type as GraphQLCompositeType, multiplier, depth, seen, root);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments.get(sel.name.value);
        if (!frag || seen.has(frag.name.value)) continue;
        const type = schema.getType(frag.typeCondition.name.value);
        if (type) walk(frag.selectionSet, type as GraphQLCompositeType, multiplier, depth, new Set([...seen, frag.name.value]), root);
        continue;
      }
      const name = sel.name.value;
      if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[name];
      if (!field) continue;
      const coord = `${parent.name}.${name}`;
      const key = root ?? sel.alias?.value ?? name;
      fields += multiplier;
      parts.set(key, (parts.get(key) ?? 0) + multiplier);
      let args: Record<string, unknown> = {};
      try {
        args = getArgumentValues(field, sel, variables);
      } catch {
        args = {};
      }
      const spec = costOf(field);
      for (const [path, max] of Object.entries(spec?.limits ?? {})) {
        const value = argAt(args, path);
        const size = typeof value === 'number' ? value : lengthOf(value);
        if (size > max) {
          errors.push(new QueryRefusedError('BAD_USER_INPUT', `\`${coord}(${path})\` allows at most ${max}; got ${size}.`, { field: path, max }, sel));
        }
      }
      if (spec) count(coord, spec, args, multiplier);
      const items = itemsOf(field, parent.name, spec, args);
      if (items !== undefined) listItems += multiplier * items;
      if (!sel.selectionSet) continue;
      if (depth + 1 > maxSeenDepth) maxSeenDepth = depth + 1;
      walk(sel.selectionSet, getNamedType(field.type) as GraphQLCompositeType, multiplier * (items ?? 1), depth + 1, seen, key);
    }
  }

  walk(operation.selectionSet, rootType, 1, 0, new Set());
  if (walked > maxSelections) {
    errors.push(
      new QueryRefusedError('QUERY_TOO_EXPENSIVE', `Query is too large: more than ${maxSelections} selections once its fragments are expanded.`, {
        exceeded: 'selections',
        maxSelections,
      }),
    );
    return { cost: Infinity, backgroundCost: background, depth: maxSeenDepth, fields, listItems, breakdown, errors };
  }

  let cost = direct;
  for (const [group, { keys, size }] of batchKeys) {
    const calls = Math.ceil(keys / size);
    breakdown[group] = calls;
    cost += calls;
  }
  for (const group of once) {
    breakdown[group] = 1;
    cost += 1;
  }
  if (maxSeenDepth > maxDepth) {
    errors.push(
      new QueryRefusedError('QUERY_TOO_DEEP', `Query is too deep: ${maxSeenDepth} levels of nesting, the maximum is ${maxDepth}.`, { depth: maxSeenDepth, maxDepth }),
    );
  }
  if (cost > maxCost) {
    errors.push(
      new QueryRefusedError(
        'QUERY_TOO_EXPENSIVE',
        `Query is too expensive: it could cost ${cost} AfterShip API calls in the worst case (nothing cached), the maximum is ${maxCost}. Split it into smaller operations or ask for smaller pages.`,
        { exceeded: 'aftershipCalls', estimatedCost: cost, maxCost, breakdown },
      ),
    );
  }
  // The largest parts of the answer, by root field (alias), so the caller knows what to shrink.
  const largest = () => Object.fromEntries([...parts].sort((a, b) => b[1] - a[1]).slice(0, 5));
  if (fields > maxFields) {
    errors.push(
      new QueryRefusedError(
        'QUERY_TOO_EXPENSIVE',
        `Query answer is too large: it could resolve ${fields} fields in the worst case (aliases and list items count), the maximum is ${maxFields}. Ask for fewer fields, aliases or items.`,
        { exceeded: 'fields', estimatedFields: fields, maxFields, largest: largest() },
      ),
    );
  }
  if (listItems > maxListItems) {
    errors.push(
      new QueryRefusedError(
        'QUERY_TOO_EXPENSIVE',
        `Query answer is too large: its lists could hold ${listItems} items in the worst case, the maximum is ${maxListItems}. Ask for smaller pages or fewer lists.`,
        { exceeded: 'listItems', estimatedListItems: listItems, maxListItems, largest: largest() },
      ),
    );
  }
  return { cost, backgroundCost: background, depth: maxSeenDepth, fields, listItems, breakdown, errors };
}

/**
 * graphql-yoga plugin: estimates every query and mutation (and subscription set-up) before it
 * runs and answers with the errors instead when it is too expensive, too deep or asks for too much.
 * `onEstimate` is told every estimate (the cost report shows it).
 */
export function useCostGuard(options: CostGuardOptions & { onEstimate?: (estimate: CostEstimate, context: unknown) => void } = {}): Plugin {
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; variableValues?: Record<string, unknown> | null; operationName?: string | null; contextValue?: unknown }) => {
    const estimate = estimateCost(args.schema, args.document, { ...options, variables: args.variableValues, operationName: args.operationName });
    options.onEstimate?.(estimate, args.contextValue);
    return estimate;
  };
  // A result set here skips yoga's masking (its hook is never reached): map with the same function.
  const refused = (errors: readonly QueryRefusedError[]) => ({ errors: errors.map((e) => toGraphQLError(locatedError(e, e.node))) });
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const { errors } = check(args);
      if (errors.length > 0) setResultAndStopExecution(refused(errors));
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const { errors } = check(args);
      if (errors.length > 0) setResultAndStopExecution(refused(errors));
    },
  };
}
