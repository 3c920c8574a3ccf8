/**
 * zod schemas for environment variables, with the gateway's message conventions: a variable that
 * is unset or blank is absent (values are trimmed); a wrong one gets one message saying what it
 * must be, echoing the value except for secrets. `parseEnv` reports every wrong variable at once
 * and then treats it as unset, so the rules between variables still run on all the others.
 *
 * Nothing here reads `process.env`: src/config.ts does, once.
 */
import { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

const blankIsUnset = (v: unknown): unknown => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v);

/** `check` decides (with zod's own validators); a failure is one message, `message(raw)`. */
function withMessage<T>(check: z.ZodType<T, z.ZodTypeDef, string>, message: (raw: string) => string) {
  return z.string().transform((raw, ctx): T => {
    const result = check.safeParse(raw);
    if (result.success) return result.data;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: message(raw) });
    return z.NEVER;
  });
}

const wholeNumber = (min: number, max: number) =>
  withMessage(z.string().regex(/^-?\d+$/).pipe(z.coerce.number().int().min(min).max(max)), (raw) => `must be a whole number from ${min} to ${max} (got "${raw}")`);

const number = (min: number, max: number) =>
  withMessage(z.string().pipe(z.coerce.number().finite().min(min).max(max)), (raw) => `must be a number from ${min} to ${max} (got "${raw}")`);

const url = (protocols: readonly string[], trimTrailingSlash: boolean) =>
  withMessage(
    z
      .string()
      .url()
      .refine((v) => protocols.includes(new URL(v).protocol))
      .transform((v) => (trimTrailingSlash ? v.replace(/\/+$/, '') : v)),
    (raw) => `must be a ${protocols.join(' or ')} URL (got "${raw}")`,
  );

/** Never echoed, not even a wrong one. */
const secret = (minLength: number) => withMessage(z.string().min(minLength), () => `is too short (at least ${minLength} characters)`);

/** JSON text holding a list; its text (which holds secrets) is never put into a message. */
export const jsonList = z.string().transform((text, ctx): unknown[] => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // JSON.parse's SyntaxError has no position field; the number is all we take from its text.
    const where = /position (\d+)/.exec((e as Error).message)?.[1];
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not valid JSON${where ? ` (error at character ${where})` : ''}` });
    return z.NEVER;
  }
  if (Array.isArray(value)) return value;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a JSON array of objects' });
  return z.NEVER;
});

/**
 * The kinds of variable. Each is a zod schema of the (trimmed, non-blank) value; add `.optional()`
 * or `.default(…)`, as parseEnv gives `undefined` for an unset or blank variable.
 */
export const envVar = {
  int: wholeNumber,
  number,
  /** `trimSlash` for base URLs that paths are appended to; others are used exactly as given. */
  url: (protocols: readonly string[], { trimSlash = false } = {}) => url(protocols, trimSlash),
  /** Case-insensitive; `normalize` may map spellings first (e.g. "jwt,tokens" → "tokens,jwt"). */
  oneOf: <T extends string>(values: readonly [T, ...T[]], normalize: (v: string) => string = (v) => v.toLowerCase()) =>
    withMessage(z.string().transform(normalize).pipe(z.enum(values)), (raw) => `must be one of ${values.join(', ')} (got "${raw}")`),
  secret,
  /** A value `pattern` must match; the message ends with `mustBe` (no echo needed). */
  matching: (pattern: RegExp, mustBe: string) => withMessage(z.string().regex(pattern), () => `must be ${mustBe}`),
  jsonList,
};

/** `[0].token`, `.scopes`: where inside a variable's value an issue is. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

/** One line per issue: `<source><path> <message>`, e.g. `GATEWAY_TOKENS[0].token is too short (...)`. */
export function issueLines(source: string, issues: readonly z.ZodIssue[]): string[] {
  return issues.map((i) => `${source}${pathText(i.path)} ${i.message}`);
}

export interface ParsedEnv<T> {
  values: T;
  /** One line per problem, in the order of the schema. */
  problems: string[];
  /** Variables that were set but wrong (reported, then read as unset): rules about a variable being set skip them. */
  wrong: ReadonlySet<string>;
}

/**
 * Parses every variable of `schema` from `env`. A wrong variable is reported and then read as unset
 * (its default applies), so that one bad value does not hide the problems of the others, nor the
 * rules between them.
 */
export function parseEnv<S extends z.ZodRawShape>(schema: z.ZodObject<S>, env: Env): ParsedEnv<z.output<z.ZodObject<S>>> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const wrong = new Set<string>();
  for (const [name, field] of Object.entries(schema.shape)) {
    const result = field.safeParse(blankIsUnset(env[name]));
    if (result.success) {
      values[name] = result.data;
    } else {
      problems.push(...issueLines(name, result.error.issues));
      wrong.add(name);
      values[name] = field.parse(undefined);
    }
  }
  return { values: values as z.output<z.ZodObject<S>>, problems, wrong };
}
