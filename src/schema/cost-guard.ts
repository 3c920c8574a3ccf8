/**
 * Rejects operations that could cost too many AfterShip calls, before they run.
 *
 * Cost model (worst case: nothing cached, every lookup misses):
 * - Each field may cost AfterShip calls, per `FIELD_COSTS`:
 *   - `calls`: that many calls each time the field resolves (e.g. `Query.tracking`: 1);
 *   - `callsPerArgItem`: one call per item of a list argument (e.g. `Query.nodes(ids)`);
 *   - `batch`: keys that the loaders/client merge into shared calls of `size` keys
 *     (`trackingByNumber`: 50 numbers per GET /trackings; EDD inputs: 5 per predict-batch) —
 *     all keys of one batch group in the operation are summed, then `ceil(keys / size)`;
 *   - `once`: a call made at most once per operation (the courier list, however many
 *     `courier` fields are selected).
 * - A field under a list counts once per possible item: connection fields multiply their subtree
 *   by `first` (default page size), list arguments (`nodes(ids)`, `predictEstimatedDeliveries(inputs)`)
 *   by their length, other lists by `defaultListSize`. Fields of plain data (checkpoints, EDDs)
 *   cost nothing: they come inside the tracking.
 * - Depth counts nested selection sets (fragments expanded; introspection not counted).
 * Arguments given as variables are read from the request's variables.
 */
import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isListType,
  isAbstractType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { GatewayErrorCode } from './error-mapping.js';

export type FieldCost =
  | { calls: number }
  | { callsPerArgItem: string }
  | { batch: string; size: number; keysPerArgItem?: string }
  | { once: string };

/** AfterShip calls per field coordinate; see the module comment. */
export const FIELD_COSTS: Readonly<Record<string, FieldCost>> = {
  'Query.node': { calls: 1 },
  'Query.nodes': { callsPerArgItem: 'ids' },
  'Query.tracking': { calls: 1 },
  'Query.trackingByNumber': { batch: 'GET /trackings?tracking_numbers', size: 50 },
  'Query.trackings': { calls: 1 },
  'Query.couriers': { once: 'GET /couriers' },
  'Query.courier': { once: 'GET /couriers' },
  'Query.detectCouriers': { calls: 1 },
  'Query.predictEstimatedDeliveries': { batch: 'POST /estimated-delivery-date/predict-batch', size: 5, keysPerArgItem: 'inputs' },
  'Query.carrierConnections': { calls: 1 },
  'Query.carrierConnection': { calls: 1 },
  'Tracking.courier': { once: 'GET /couriers' },
  'CarrierConnection.courier': { once: 'GET /couriers' },
  'EstimatedDeliveryPrediction.courier': { once: 'GET /couriers' },
  'Mutation.createTracking': { calls: 1 },
  'Mutation.updateTracking': { calls: 1 },
  'Mutation.deleteTracking': { calls: 1 },
  'Mutation.retrackTracking': { calls: 1 },
  'Mutation.markTrackingCompleted': { calls: 1 },
  'Mutation.addNotificationReceivers': { calls: 2 },
  'Mutation.removeNotificationReceivers': { calls: 2 },
  'Mutation.createCarrierConnection': { calls: 1 },
  'Mutation.updateCarrierConnection': { calls: 1 },
  'Mutation.deleteCarrierConnection': { calls: 1 },
};

/** Upper bounds on list-like arguments, checked before execution: [coordinate, argument path, max]. */
export const LIST_LIMITS: readonly [string, string, number][] = [
  ['Query.trackings', 'first', 200],
  ['Query.carrierConnections', 'first', 200],
  ['Query.nodes', 'ids', 100],
  ['Query.predictEstimatedDeliveries', 'inputs', 100],
  ['Query.detectCouriers', 'input.slugs', 50],
  ['Query.trackings', 'filter.trackingNumbers', 50],
  // Each id is watched: fetched for a baseline and polled while webhooks are off or quiet.
  ['Subscription.trackingEvents', 'filter.trackingIds', 100],
];

/** Connection fields: their subtree repeats once per item of the page. */
const PAGE_SIZES: Readonly<Record<string, number>> = { 'Query.trackings': 50, 'Query.carrierConnections': 50 };

export interface CostGuardOptions {
  /** Most AfterShip calls one operation may cost in the worst case. @default 50 */
  maxCost?: number;
  /** Deepest selection nesting allowed. @default 10 */
  maxDepth?: number;
  /** Items assumed for lists whose size no argument tells. @default 100 */
  defaultListSize?: number;
  /** Extra or replacement field costs (e.g. for fields added by other modules). */
  costs?: Record<string, FieldCost>;
  /**
   * Most selections walked once fragments are expanded. Fragments spread several times can make a
   * small document expand exponentially (a "fragment bomb"): past this the operation is refused
   * instead of blocking the event loop. @default 20000
   */
  maxSelections?: number;
}

export interface CostEstimate {
  /** Worst-case AfterShip calls. */
  cost: number;
  depth: number;
  /** Calls per cost source (field coordinate or batch/once group), for error messages and tests. */
  breakdown: Record<string, number>;
  /** Why the operation must not run (too expensive, too deep, list too long); empty when fine. */
  errors: GraphQLError[];
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
  const maxCost = options.maxCost ?? 50;
  const maxDepth = options.maxDepth ?? 10;
  const defaultListSize = options.defaultListSize ?? 100;
  const maxSelections = options.maxSelections ?? 20_000;
  const costs: Record<string, FieldCost> = { ...FIELD_COSTS, ...options.costs };
  const errors: GraphQLError[] = [];

  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = options.operationName ? operations.find((o) => o.name?.value === options.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return { cost: 0, depth: 0, breakdown: {}, errors };
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], options.variables ?? {});
  // Invalid variables fail execution with a better message; estimate as if they were absent.
  const variables = coerced.coerced ?? {};
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return { cost: 0, depth: 0, breakdown: {}, errors };

  const breakdown: Record<string, number> = {};
  const batchKeys = new Map<string, { keys: number; size: number }>();
  const once = new Set<string>();
  let direct = 0;
  let maxSeenDepth = 0;
  let walked = 0;

  const add = (key: string, n: number): void => {
    breakdown[key] = (breakdown[key] ?? 0) + n;
  };

  function walk(set: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, depth: number, seen: ReadonlySet<string>): void {
    for (const sel of set.selections) {
      if (++walked > maxSelections) return;
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (type && (isObjectType(type) || isInterfaceType(type) || isAbstractType(type))) walk(sel.selectionSet, type as GraphQLCompositeType, multiplier, depth, seen);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments.get(sel.name.value);
        if (!frag || seen.has(frag.name.value)) continue;
        const type = schema.getType(frag.typeCondition.name.value);
        if (type) walk(frag.selectionSet, type as GraphQLCompositeType, multiplier, depth, new Set([...seen, frag.name.value]));
        continue;
      }
      const name = sel.name.value;
      if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[name];
      if (!field) continue;
      const coord = `${parent.name}.${name}`;
      let args: Record<string, unknown> = {};
      try {
        args = getArgumentValues(field, sel, variables);
      } catch {
        args = {};
      }
      for (const [limitCoord, path, max] of LIST_LIMITS) {
        if (limitCoord !== coord) continue;
        const value = argAt(args, path);
        const size = typeof value === 'number' ? value : lengthOf(value);
        if (size > max) {
          errors.push(
            new GraphQLError(`\`${coord}(${path})\` allows at most ${max}; got ${size}.`, {
              nodes: [sel],
              extensions: { code: GatewayErrorCode.BadUserInput, field: path, max },
            }),
          );
        }
      }
      const spec = costs[coord];
      if (spec) {
        if ('calls' in spec) {
          direct += spec.calls * multiplier;
          add(coord, spec.calls * multiplier);
        } else if ('callsPerArgItem' in spec) {
          const n = lengthOf(argAt(args, spec.callsPerArgItem)) * multiplier;
          direct += n;
          add(coord, n);
        } else if ('batch' in spec) {
          const keys = (spec.keysPerArgItem ? lengthOf(argAt(args, spec.keysPerArgItem)) : 1) * multiplier;
          const group = batchKeys.get(spec.batch) ?? { keys: 0, size: spec.size };
          group.keys += keys;
          batchKeys.set(spec.batch, group);
        } else {
          once.add(spec.once);
        }
      }
      if (!sel.selectionSet) continue;
      if (depth + 1 > maxSeenDepth) maxSeenDepth = depth + 1;
      let childMultiplier = multiplier;
      const pageSize = PAGE_SIZES[coord];
      const isConnectionList = parent.name.endsWith('Connection') && (name === 'edges' || name === 'nodes');
      if (pageSize !== undefined) {
        const first = args.first;
        childMultiplier *= typeof first === 'number' && first > 0 ? first : pageSize;
      } else if (!isConnectionList && isListType(getNullableType(field.type))) {
        const listArg = costs[coord] && 'callsPerArgItem' in costs[coord] ? (costs[coord] as { callsPerArgItem: string }).callsPerArgItem : undefined;
        const batchArg = costs[coord] && 'keysPerArgItem' in costs[coord] ? (costs[coord] as { keysPerArgItem?: string }).keysPerArgItem : undefined;
        const sizeArg = listArg ?? batchArg;
        childMultiplier *= sizeArg ? Math.max(1, lengthOf(argAt(args, sizeArg))) : defaultListSize;
      }
      walk(sel.selectionSet, getNamedType(field.type) as GraphQLCompositeType, childMultiplier, depth + 1, seen);
    }
  }

  walk(operation.selectionSet, rootType, 1, 0, new Set());
  if (walked > maxSelections) {
    errors.push(
      new GraphQLError(`Query is too large: more than ${maxSelections} selections once its fragments are expanded.`, {
        extensions: { code: GatewayErrorCode.QueryTooExpensive, maxSelections },
      }),
    );
    return { cost: Infinity, depth: maxSeenDepth, breakdown, errors };
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
      new GraphQLError(`Query is too deep: ${maxSeenDepth} levels of nesting, the maximum is ${maxDepth}.`, {
        extensions: { code: GatewayErrorCode.QueryTooDeep, depth: maxSeenDepth, maxDepth },
      }),
    );
  }
  if (cost > maxCost) {
    errors.push(
      new GraphQLError(
        `Query is too expensive: it could cost ${cost} AfterShip API calls in the worst case (nothing cached), the maximum is ${maxCost}. Split it into smaller operations or ask for smaller pages.`,
        { extensions: { code: GatewayErrorCode.QueryTooExpensive, estimatedCost: cost, maxCost, breakdown } },
      ),
    );
  }
  return { cost, depth: maxSeenDepth, breakdown, errors };
}

/**
 * graphql-yoga plugin: estimates every query and mutation (and subscription set-up) before it
 * runs and answers with the errors instead when it is too expensive, too deep or asks for too much.
 */
export function useCostGuard(options: CostGuardOptions = {}): Plugin {
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; variableValues?: Record<string, unknown> | null; operationName?: string | null }) =>
    estimateCost(args.schema, args.document, { ...options, variables: args.variableValues, operationName: args.operationName });
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const { errors } = check(args);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const { errors } = check(args);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}
