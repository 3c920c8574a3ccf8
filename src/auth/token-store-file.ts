/**
 * The embedded token store: one encrypted JSON file in the data directory.
 * The whole document (account ids included) is sealed with AES-256-GCM; writes go to a temp
 * file that is fsync'd and renamed over the old one, so a crash never leaves half a file.
 * One process owns the file (it is cached in memory after the first read); several gateway
 * instances should share Redis instead.
 */
import { mkdir, open, readFile, rename, chmod, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TokenCipher } from './token-cipher.js';
import { checkTokens, serializeTokens, type OAuthTokens, type TokenStore } from './token-store.js';

export const TOKEN_FILE_NAME = 'aftership-oauth-tokens.json';
const FORMAT = 'aftership-graphql-gateway/oauth-tokens';
/** AAD for the file's single sealed blob. */
const CONTEXT = 'token-file';

export interface FileTokenStoreOptions {
  /** Directory holding the file (created with mode 0700 when missing). */
  dir: string;
  cipher: TokenCipher;
  /** @default "aftership-oauth-tokens.json" */
  fileName?: string;
}

type Doc = Record<string, OAuthTokens>;

export function createFileTokenStore(options: FileTokenStoreOptions): TokenStore & { readonly path: string } {
  const path = join(options.dir, options.fileName ?? TOKEN_FILE_NAME);
  const { cipher } = options;
  let cache: Promise<Doc> | undefined;
  // Serializes writes so two concurrent set() calls cannot interleave their renames.
  let queue: Promise<unknown> = Promise.resolve();

  const load = async (): Promise<Doc> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`Cannot read the OAuth token file ${path}: ${(e as Error).message}`);
    }
    let outer: { format?: unknown; sealed?: unknown };
    try {
      outer = JSON.parse(text) as typeof outer;
    } catch {
      throw new Error(`The OAuth token file ${path} is not valid JSON`);
    }
    if (outer.format !== FORMAT || typeof outer.sealed !== 'string') {
      throw new Error(`The OAuth token file ${path} has an unknown format`);
    }
    const inner = JSON.parse(cipher.open(outer.sealed, CONTEXT)) as Record<string, unknown>;
    const doc: Doc = {};
    for (const [id, raw] of Object.entries(inner)) doc[id] = checkTokens(raw, path);
    return doc;
  };

  const current = (): Promise<Doc> => {
    cache ??= load().catch((e: unknown) => {
      cache = undefined; // let a later call retry (e.g. after the key is fixed)
      throw e;
    });
    return cache;
  };

  const write = async (doc: Doc): Promise<void> => {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const plain = `{${Object.entries(doc)
      .map(([id, t]) => `${JSON.stringify(id)}:${serializeTokens(t)}`)
      .join(',')}}`;
    const body = JSON.stringify({ format: FORMAT, version: 1, sealed: cipher.seal(plain, CONTEXT) }) + '\n';
    const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(body, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await chmod(tmp, 0o600); // the umask may have narrowed it, never widened; be explicit anyway
      await rename(tmp, path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  };

  const mutate = (change: (doc: Doc) => void): Promise<void> => {
    const run = queue.then(async () => {
      const doc = { ...(await current()) };
      change(doc);
      await write(doc);
      cache = Promise.resolve(doc);
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    path,
    async get(accountId) {
      await queue;
      const doc = await current();
      return Object.hasOwn(doc, accountId) ? doc[accountId] : undefined;
    },
    set(accountId, tokens) {
      return mutate((doc) => {
        doc[accountId] = checkTokens(JSON.parse(serializeTokens(tokens)), 'memory');
      });
    },
    delete(accountId) {
      return mutate((doc) => {
        delete doc[accountId];
      });
    },
  };
}
