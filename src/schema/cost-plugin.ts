/**
 * A tiny Pothos plugin: fields declare what they may cost in AfterShip calls next to their
 * resolver, the way scope-auth's `authScopes` declares who may call them:
 *
 *   tracking: t.field({ cost: { calls: 1 }, authScopes: {...}, resolve: ... })
 *
 * The option is stored in the field's `extensions.cost`, where the cost guard (cost-guard.ts)
 * reads it; a field without one costs nothing. A list field may also declare how long it can be
 * (`listSize`, in `extensions.listSize`): the guard bounds the answer's size with it. test/schema-cost-audit.test.ts runs every
 * operation against the sandbox and fails when a field calls AfterShip without declaring a cost
 * or makes more calls than the guard estimated.
 */
import SchemaBuilder, {
  BasePlugin,
  type FieldNullability,
  type InputFieldMap,
  type PothosOutputFieldConfig,
  type SchemaTypes,
  type TypeParam,
} from '@pothos/core';
import type { GraphQLField } from 'graphql';

/** The AfterShip calls one resolution of a field may make, worst case (nothing cached). */
export type FieldCalls =
  /** That many calls each time the field resolves (`calls: 0` states it makes none). */
  | { calls: number }
  /** One call per item of a list argument, given as a path into the arguments (e.g. `ids`). */
  | { callsPerItem: string }
  /**
   * Keys that the loaders/client merge into shared calls of `size` keys: the keys of one `batch`
   * group are summed over the operation, then `ceil(keys / size)` calls. One key per resolution,
   * or one per item of the list argument `keysPerItem`.
   */
  | { batch: string; size: number; keysPerItem?: string }
  /** A call made at most once per operation, however many fields of the group it has. */
  | { once: string };

export type FieldCost = FieldCalls & {
  /**
   * The calls wait in the client's background lane (a subscription's baseline fetch of the
   * trackings it watches): estimated and reported, not held against the operation's maximum.
   */
  background?: boolean;
  /** The most a list (its length) or number argument may be, by path; larger is refused before running. */
  limits?: Readonly<Record<string, number>>;
  /** A connection: its subtree repeats once per item of the page, `first` or else this many. */
  pageSize?: number;
};

/**
 * The most items a list field can hold: a number, or a number an Int argument may lower (e.g.
 * `checkpoints(last:)`). Undeclared lists count as the guard's `defaultListSize`.
 */
export type ListSize = number | { max: number; arg: string };

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      cost: PothosCostPlugin<Types>;
    }
    interface FieldOptions<
      Types extends SchemaTypes = SchemaTypes,
      ParentShape = unknown,
      Type extends TypeParam<Types> = TypeParam<Types>,
      Nullable extends FieldNullability<Type> = FieldNullability<Type>,
      Args extends InputFieldMap = InputFieldMap,
      ResolveShape = unknown,
      ResolveReturnShape = unknown,
    > {
      /** AfterShip calls resolving this field may make (see cost-plugin.ts). Omit for fields that read only their parent. */
      cost?: FieldCost;
      /** For a list field: the most items it can hold (see ListSize); bounds the answer's size before running. */
      listSize?: ListSize;
    }
  }
}

/** The argument paths a cost names: each must start at an argument of the field. */
function argPaths(cost: FieldCost): string[] {
  const paths = Object.keys(cost.limits ?? {});
  if ('callsPerItem' in cost) paths.push(cost.callsPerItem);
  if ('batch' in cost && cost.keysPerItem) paths.push(cost.keysPerItem);
  return paths;
}

function checkCost(cost: FieldCost, field: PothosOutputFieldConfig<SchemaTypes>): void {
  const where = `${field.parentType}.${field.name}`;
  const bad = (why: string) => new Error(`cost of ${where}: ${why}`);
  if ('calls' in cost && !(Number.isInteger(cost.calls) && cost.calls >= 0)) throw bad('calls must be a whole number ≥ 0');
  if ('batch' in cost && !(Number.isInteger(cost.size) && cost.size >= 1)) throw bad('batch size must be a whole number ≥ 1');
  if (cost.pageSize !== undefined && !(Number.isInteger(cost.pageSize) && cost.pageSize >= 1)) throw bad('pageSize must be ≥ 1');
  for (const path of argPaths(cost)) {
    if (!(path.split('.')[0] in field.args)) throw bad(`${path} does not start with an argument of the field`);
  }
  for (const [path, max] of Object.entries(cost.limits ?? {})) {
    if (!(Number.isInteger(max) && max >= 0)) throw bad(`limit of ${path} must be a whole number ≥ 0`);
  }
}

function checkListSize(size: ListSize, field: PothosOutputFieldConfig<SchemaTypes>): void {
  const where = `${field.parentType}.${field.name}`;
  const max = typeof size === 'number' ? size : size.max;
  if (!(Number.isInteger(max) && max >= 0)) throw new Error(`listSize of ${where} must be a whole number ≥ 0`);
  if (typeof size === 'object' && !(size.arg in field.args)) throw new Error(`listSize of ${where}: ${size.arg} is not an argument of the field`);
  if (field.type.kind !== 'List') throw new Error(`listSize of ${where}: the field is not a list`);
}

export class PothosCostPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const { cost, listSize } = fieldConfig.pothosOptions;
    if (cost === undefined && listSize === undefined) return fieldConfig;
    if (cost !== undefined) checkCost(cost, fieldConfig as PothosOutputFieldConfig<SchemaTypes>);
    if (listSize !== undefined) checkListSize(listSize, fieldConfig as PothosOutputFieldConfig<SchemaTypes>);
    return { ...fieldConfig, extensions: { ...fieldConfig.extensions, ...(cost && { cost }), ...(listSize !== undefined && { listSize }) } };
  }
}

SchemaBuilder.registerPlugin('cost', PothosCostPlugin);

/** The list size a field declared, if any. */
export function listSizeOf(field: Pick<GraphQLField<unknown, unknown>, 'extensions'>): ListSize | undefined {
  return (field.extensions as { listSize?: ListSize } | undefined)?.listSize;
}

/** The cost a field declared, if any. */
export function costOf(field: Pick<GraphQLField<unknown, unknown>, 'extensions'>): FieldCost | undefined {
  return (field.extensions as { cost?: FieldCost } | undefined)?.cost;
}

export default 'cost' as const;
