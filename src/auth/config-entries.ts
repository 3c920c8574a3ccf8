/**
 * The entries of the JSON lists in the auth configuration (gateway API tokens, AfterShip accounts)
 * as zod schemas. Each problem is one line naming the variable, the entry and the field; secret
 * values are never echoed. Valid entries are kept, so the rules between variables can still run.
 */
import { z } from 'zod';
import { issueLines } from '../lib/env-schema.js';
import type { AccountConfig } from './accounts.js';
import { SCOPES, isScope, type Scope } from './scopes.js';
import { sha256Hex } from './secrets.js';

export interface GatewayTokenEntry {
  name: string;
  /** Hex SHA-256 of the token; plain tokens from the config are hashed at load and dropped. */
  sha256: string;
  scopes: Scope[];
  account: string;
  /** A public page's token: trackings by number only, never lists (src/auth/scope-guard.ts). */
  lookupOnly: boolean;
}

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const MIN_GATEWAY_TOKEN_LENGTH = 16;
export const ACCOUNT_ID_RULE = 'must be an account id (letters, digits, "_", ".", "-")';

const custom = z.ZodIssueCode.custom;

/** Scopes by AfterShip's names; each unknown one is its own message. */
export const scopeList = z.array(z.unknown(), { message: `must be a list of scopes (${SCOPES.join(', ')})` }).transform((list, ctx) => {
  for (const s of list) {
    if (!isScope(s)) ctx.addIssue({ code: custom, message: `has unknown scope ${JSON.stringify(s)} (known: ${SCOPES.join(', ')})` });
  }
  return list.filter(isScope);
});

const tokenEntry = z
  .object(
    {
      name: z.string({ message: 'must be a non-empty string' }).trim().min(1, 'must be a non-empty string'),
      token: z
        .string({ message: 'must be a string' })
        .min(MIN_GATEWAY_TOKEN_LENGTH, `is too short (at least ${MIN_GATEWAY_TOKEN_LENGTH} characters)`)
        .optional(),
      sha256: z
        .string({ message: 'must be 64 hexadecimal characters' })
        .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters')
        .optional(),
      scopes: scopeList,
      account: z.string({ message: ACCOUNT_ID_RULE }).regex(ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE).optional(),
      lookupOnly: z.boolean({ message: 'must be true or false' }).optional(),
    },
    { message: 'must be an object with "name", "token" or "sha256", "scopes", "account" and "lookupOnly"' },
  )
  .superRefine((e, ctx) => {
    if (e.lookupOnly && e.scopes.some((s) => !s.endsWith(':read'))) {
      ctx.addIssue({ code: custom, path: ['scopes'], message: 'of a "lookupOnly" token may only hold read scopes (a public page must not write)' });
    }
    if (e.token !== undefined && e.sha256 !== undefined) ctx.addIssue({ code: custom, message: 'must have either "token" or "sha256", not both' });
    if (e.token === undefined && e.sha256 === undefined) ctx.addIssue({ code: custom, message: 'needs "token" (a string) or "sha256" (hex SHA-256 of the token)' });
  })
  // The plain token is hashed here and never kept.
  .transform((e) => ({ name: e.name, sha256: e.token !== undefined ? sha256Hex(e.token) : e.sha256!.toLowerCase(), scopes: e.scopes, account: e.account, lookupOnly: e.lookupOnly ?? false }));

const accountSecret = z.string({ message: 'must be a string of at least 8 characters' }).min(8, 'must be a string of at least 8 characters');

const accountEntry = z
  .object(
    {
      id: z.string({ message: 'must be 1-64 letters, digits, "_", "." or "-"' }).regex(ACCOUNT_ID_PATTERN, 'must be 1-64 letters, digits, "_", "." or "-"'),
      kind: z.enum(['api-key', 'oauth'], { message: 'must be "api-key" or "oauth"' }),
      apiKey: z.unknown(),
      apiSecret: accountSecret.optional(),
      webhookSecret: accountSecret.optional(),
    },
    { message: 'must be an object with "id" and "kind" ("api-key" or "oauth")' },
  )
  .superRefine((a, ctx) => {
    if (a.kind === 'api-key' && !accountSecret.safeParse(a.apiKey).success) ctx.addIssue({ code: custom, path: ['apiKey'], message: 'must be a string of at least 8 characters' });
    if (a.kind === 'oauth' && a.apiKey !== undefined) ctx.addIssue({ code: custom, message: 'is an "oauth" account and must not have "apiKey"' });
  })
  .transform(
    ({ id, kind, apiKey, apiSecret, webhookSecret }): AccountConfig =>
      kind === 'api-key'
        ? { id, kind, apiKey: apiKey as string, ...(apiSecret && { apiSecret }), ...(webhookSecret && { webhookSecret }) }
        : { id, kind, ...(webhookSecret && { webhookSecret }) },
  );

/** The valid entries of `list`, with their index; every problem of the others goes to `problems`. */
function validEntries<T>(list: readonly unknown[], source: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, problems: string[]): { at: string; entry: T }[] {
  const out: { at: string; entry: T }[] = [];
  list.forEach((item, i) => {
    const at = `${source}[${i}]`;
    const result = schema.safeParse(item);
    if (result.success) out.push({ at, entry: result.data });
    else problems.push(...issueLines(at, result.error.issues));
  });
  return out;
}

export function parseTokenEntries(list: readonly unknown[], source: string, defaultAccount: string, problems: string[]): GatewayTokenEntry[] {
  const names = new Set<string>();
  const hashes = new Set<string>();
  const out: GatewayTokenEntry[] = [];
  for (const { at, entry } of validEntries(list, source, tokenEntry, problems)) {
    if (names.has(entry.name)) problems.push(`${at}.name "${entry.name}" is used twice`);
    else if (hashes.has(entry.sha256)) problems.push(`${at} has the same token as an earlier entry`);
    else out.push({ ...entry, account: entry.account ?? defaultAccount });
    names.add(entry.name);
    hashes.add(entry.sha256);
  }
  return out;
}

export function parseAccountEntries(list: readonly unknown[], source: string, problems: string[]): AccountConfig[] {
  const ids = new Set<string>();
  const out: AccountConfig[] = [];
  for (const { at, entry } of validEntries(list, source, accountEntry, problems)) {
    if (ids.has(entry.id)) problems.push(`${at}.id "${entry.id}" is used twice`);
    else out.push(entry);
    ids.add(entry.id);
  }
  return out;
}
