/**
 * Parsing of the JSON lists in the auth configuration: gateway API tokens and AfterShip accounts.
 * Each problem is one message naming the variable and entry; secret values are never echoed.
 */
import { SCOPES, isScope, type Scope } from './scopes.js';
import { sha256Hex } from './secrets.js';
import type { AccountConfig } from './accounts.js';

export interface GatewayTokenEntry {
  name: string;
  /** Hex SHA-256 of the token; plain tokens from the config are hashed at load and dropped. */
  sha256: string;
  scopes: Scope[];
  account: string;
}

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const MIN_GATEWAY_TOKEN_LENGTH = 16;

type Problems = string[];
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses JSON without ever putting the text (which holds secrets) into the message. */
export function parseJsonList(text: string, source: string, problems: Problems): unknown[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const where = /position (\d+)/.exec((e as Error).message)?.[1];
    problems.push(`${source} is not valid JSON${where ? ` (error at character ${where})` : ''}`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push(`${source} must be a JSON array of objects`);
    return undefined;
  }
  return value;
}

export function parseTokenEntries(list: unknown[], source: string, defaultAccount: string, problems: Problems): GatewayTokenEntry[] {
  const out: GatewayTokenEntry[] = [];
  const names = new Set<string>();
  const hashes = new Set<string>();
  list.forEach((item, i) => {
    const at = `${source}[${i}]`;
    if (!isObj(item)) {
      problems.push(`${at} must be an object with "name", "token" or "sha256", "scopes" and "account"`);
      return;
    }
    const before = problems.length;
    const name = typeof item.name === 'string' ? item.name.trim() : '';
    if (!name) problems.push(`${at}.name must be a non-empty string`);
    else if (names.has(name)) problems.push(`${at}.name "${name}" is used twice`);
    names.add(name);

    let hash: string | undefined;
    if (item.token !== undefined && item.sha256 !== undefined) {
      problems.push(`${at} must have either "token" or "sha256", not both`);
    } else if (typeof item.token === 'string') {
      if (item.token.length < MIN_GATEWAY_TOKEN_LENGTH) {
        problems.push(`${at}.token is too short (at least ${MIN_GATEWAY_TOKEN_LENGTH} characters)`);
      } else hash = sha256Hex(item.token);
    } else if (typeof item.sha256 === 'string') {
      if (!/^[0-9a-fA-F]{64}$/.test(item.sha256)) problems.push(`${at}.sha256 must be 64 hexadecimal characters`);
      else hash = item.sha256.toLowerCase();
    } else {
      problems.push(`${at} needs "token" (a string) or "sha256" (hex SHA-256 of the token)`);
    }
    if (hash && hashes.has(hash)) problems.push(`${at} has the same token as an earlier entry`);
    if (hash) hashes.add(hash);

    const scopes: Scope[] = [];
    if (!Array.isArray(item.scopes)) {
      problems.push(`${at}.scopes must be a list of scopes (${SCOPES.join(', ')})`);
    } else {
      for (const s of item.scopes) {
        if (isScope(s)) scopes.push(s);
        else problems.push(`${at}.scopes has unknown scope ${JSON.stringify(s)} (known: ${SCOPES.join(', ')})`);
      }
    }
    let account = defaultAccount;
    if (item.account !== undefined) {
      if (typeof item.account !== 'string' || !ACCOUNT_ID_PATTERN.test(item.account)) {
        problems.push(`${at}.account must be an account id (letters, digits, "_", ".", "-")`);
      } else account = item.account;
    }
    if (problems.length === before && hash) out.push({ name, sha256: hash, scopes, account });
  });
  return out;
}

function optionalSecret(item: Obj, key: string, at: string, problems: Problems): string | undefined {
  const v = item[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length < 8) {
    problems.push(`${at}.${key} must be a string of at least 8 characters`);
    return undefined;
  }
  return v;
}

export function parseAccountEntries(list: unknown[], source: string, problems: Problems): AccountConfig[] {
  const out: AccountConfig[] = [];
  const ids = new Set<string>();
  list.forEach((item, i) => {
    const at = `${source}[${i}]`;
    if (!isObj(item)) {
      problems.push(`${at} must be an object with "id" and "kind" ("api-key" or "oauth")`);
      return;
    }
    const before = problems.length;
    const id = typeof item.id === 'string' ? item.id : '';
    if (!ACCOUNT_ID_PATTERN.test(id)) problems.push(`${at}.id must be 1-64 letters, digits, "_", "." or "-"`);
    else if (ids.has(id)) problems.push(`${at}.id "${id}" is used twice`);
    ids.add(id);
    const webhookSecret = optionalSecret(item, 'webhookSecret', at, problems);
    if (item.kind === 'api-key') {
      const apiKey = typeof item.apiKey === 'string' && item.apiKey.length >= 8 ? item.apiKey : undefined;
      if (!apiKey) problems.push(`${at}.apiKey must be a string of at least 8 characters`);
      const apiSecret = optionalSecret(item, 'apiSecret', at, problems);
      if (problems.length === before && apiKey) {
        out.push({ id, kind: 'api-key', apiKey, ...(apiSecret && { apiSecret }), ...(webhookSecret && { webhookSecret }) });
      }
    } else if (item.kind === 'oauth') {
      if (item.apiKey !== undefined) problems.push(`${at} is an "oauth" account and must not have "apiKey"`);
      if (problems.length === before) out.push({ id, kind: 'oauth', ...(webhookSecret && { webhookSecret }) });
    } else {
      problems.push(`${at}.kind must be "api-key" or "oauth"`);
    }
  });
  return out;
}
