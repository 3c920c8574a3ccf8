/**
 * Measures which fields actually call AfterShip, to hold the declared costs to account.
 *
 * `attributeResolvers` wraps every resolver and subscribe function of a schema so that the work
 * it starts runs under its field coordinate (AsyncLocalStorage follows promises, timers, the
 * loaders' batch functions and the client's batcher). `attributedFetch` is a `fetch` for the
 * AfterShip client that records, for every HTTP call, the coordinate it was made under.
 * `auditOperation` runs one operation cold (fresh cache, loaders and client) and compares what
 * happened with the cost guard's estimate and the fields' declared costs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  defaultFieldResolver,
  execute,
  getOperationAST,
  isObjectType,
  subscribe,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { costOf } from '../../src/schema/cost-plugin.js';
import { estimateCost, type CostEstimate } from '../../src/schema/cost-guard.js';

const currentField = new AsyncLocalStorage<string>();
const instrumented = new WeakMap<GraphQLSchema, Set<string>>();

/** Outside any field: work the operation started that no resolver is responsible for. */
export const OUTSIDE = '(outside any field)';

/**
 * Wraps (in place, once) every field's resolve and subscribe of `schema`; returns the set of
 * coordinates that have resolved since, which grows across operations.
 */
export function attributeResolvers(schema: GraphQLSchema): Set<string> {
  const existing = instrumented.get(schema);
  if (existing) return existing;
  const resolved = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        resolved.add(coordinate);
        return currentField.run(coordinate, () => resolve(source, args, context, info));
      };
      const subscribeFn = field.subscribe;
      if (subscribeFn) {
        field.subscribe = (source, args, context, info) => {
          resolved.add(coordinate);
          return currentField.run(coordinate, () => subscribeFn(source, args, context, info));
        };
      }
    }
  }
  instrumented.set(schema, resolved);
  return resolved;
}

export interface AttributedCall {
  coordinate: string;
  method: string;
  url: string;
}

export interface AttributedFetch {
  fetch: typeof fetch;
  calls: AttributedCall[];
  /**
   * Wraps an AfterShip client so its calls count as work in progress from the moment they are
   * made: a call still waiting for rate budget has not reached `fetch` yet.
   */
  track<T extends object>(client: T): T;
  /** Resolves once no client call or fetch is in progress (background work included). */
  settled(): Promise<void>;
}

export function attributedFetch(inner: typeof fetch = globalThis.fetch): AttributedFetch {
  const calls: AttributedCall[] = [];
  let inFlight = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push({ coordinate: currentField.getStore() ?? OUTSIDE, method: init?.method ?? 'GET', url });
    inFlight++;
    try {
      return await inner(input, init);
    } finally {
      inFlight--;
    }
  };
  const track = <T extends object>(client: T): T =>
    new Proxy(client, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const out: unknown = Reflect.apply(value, target, args);
          if (!(out instanceof Promise)) return out;
          inFlight++;
          return out.finally(() => inFlight--);
        };
      },
    });
  return {
    fetch: wrapped,
    calls,
    track,
    async settled() {
      // Background work (a subscription's baseline fetch) may start a tick later: wait until quiet.
      for (let quiet = 0; quiet < 5; ) {
        await new Promise((r) => setTimeout(r, 10));
        quiet = inFlight === 0 ? quiet + 1 : 0;
      }
    },
  };
}

export interface AuditRun {
  /** Execution result of a query/mutation, or the first event of a subscription. */
  result: ExecutionResult;
  estimate: CostEstimate;
  calls: AttributedCall[];
  /** Coordinates that called AfterShip without declaring a cost (or declaring `calls: 0`). */
  uncosted: string[];
  /** Calls beyond the guard's estimate (cost + background cost); 0 when the estimate held. */
  overEstimate: number;
}

export interface AuditSetup {
  /** Where AfterShip calls go (e.g. the sandbox's in-process handler). */
  upstream: typeof globalThis.fetch;
  /** Context for one operation; its AfterShip client must use `fetch` and be wrapped with `track`. */
  context(fetch: typeof globalThis.fetch, track: AttributedFetch['track']): { contextValue: unknown; close(): Promise<void> };
  /** For subscriptions: makes one event happen once the subscription is set up. */
  trigger?(contextValue: unknown): Promise<void>;
}

/** Runs one operation (a subscription: up to its first event) and audits its AfterShip calls. */
export async function auditOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  setup: AuditSetup,
): Promise<AuditRun> {
  attributeResolvers(schema);
  const log = attributedFetch(setup.upstream);
  const { contextValue, close } = setup.context(log.fetch, log.track);
  const estimate = estimateCost(schema, document, { variables });
  let result: ExecutionResult;
  try {
    if (getOperationAST(document)?.operation === 'subscription') {
      const stream = await subscribe({ schema, document, variableValues: variables, contextValue });
      if (!(Symbol.asyncIterator in stream)) {
        result = stream;
      } else {
        await log.settled();
        await setup.trigger?.(contextValue);
        const first = await Promise.race([
          stream.next(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no subscription event within 5 s')), 5000)),
        ]);
        await stream.return?.();
        result = first.value as ExecutionResult;
      }
    } else {
      result = await execute({ schema, document, variableValues: variables, contextValue });
    }
    await log.settled();
  } finally {
    await close();
  }
  const byCoordinate = new Map<string, number>();
  for (const c of log.calls) byCoordinate.set(c.coordinate, (byCoordinate.get(c.coordinate) ?? 0) + 1);
  const uncosted = [...byCoordinate.keys()].filter((coordinate) => {
    const [typeName, fieldName] = coordinate.split('.');
    const type = schema.getType(typeName);
    const cost = isObjectType(type) ? costOf(type.getFields()[fieldName] ?? {}) : undefined;
    return !cost || ('calls' in cost && cost.calls === 0);
  });
  const allowed = estimate.cost + estimate.backgroundCost;
  return { result, estimate, calls: log.calls, uncosted, overEstimate: Math.max(0, log.calls.length - allowed) };
}
