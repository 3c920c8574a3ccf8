import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTokenCipher, TokenCipherError } from '../src/auth/token-cipher.js';
import { createFileTokenStore } from '../src/auth/token-store-file.js';
import { createRedisTokenStore } from '../src/auth/token-store-redis.js';
import { protectTokens, type OAuthTokens } from '../src/auth/token-store.js';

const KEY = 'test-encryption-passphrase-1';
const cipher = createTokenCipher(KEY);

const tokens = (n: number): OAuthTokens => ({
  accessToken: `access-token-in-clear-${n}-${randomBytes(4).toString('hex')}`,
  refreshToken: `refresh-token-in-clear-${n}`,
  tokenType: 'Bearer',
  expiresAt: 1_800_000_000_000 + n,
  scopes: ['aftership:tracking:read'],
  obtainedAt: 1_700_000_000_000,
});

describe('token cipher', () => {
  it('round-trips, binds the context and detects tampering or another key', () => {
    const sealed = cipher.seal('hello', 'acct-a');
    expect(sealed).not.toContain('hello');
    expect(cipher.open(sealed, 'acct-a')).toBe('hello');
    expect(cipher.seal('hello', 'acct-a')).not.toBe(sealed); // fresh IV each time
    expect(() => cipher.open(sealed, 'acct-b')).toThrow(TokenCipherError);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('jello').toString('base64url');
    expect(() => cipher.open(parts.join('.'), 'acct-a')).toThrow(/TOKEN_ENCRYPTION_KEY differs|modified/);
    expect(() => createTokenCipher('another-passphrase-22').open(sealed, 'acct-a')).toThrow(TokenCipherError);
    expect(() => createTokenCipher('short')).toThrow(/at least 16/);
  });

  it('refuses a truncated authentication tag (GCM would accept a 4-byte prefix of the real one)', () => {
    const parts = cipher.seal('hello', 'acct-a').split('.');
    parts[2] = Buffer.from(parts[2], 'base64url').subarray(0, 4).toString('base64url');
    expect(() => cipher.open(parts.join('.'), 'acct-a')).toThrow(TokenCipherError);
  });

  it('redacts tokens in printed forms', () => {
    const t = protectTokens(tokens(1));
    expect(JSON.stringify(t)).not.toContain('in-clear');
    expect(inspect(t)).not.toContain('in-clear');
    expect(JSON.stringify(t)).toContain('[redacted]');
    expect(t.accessToken).toMatch(/^access-token-in-clear/);
  });
});

describe('encrypted file token store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'asgw-tokens-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes an encrypted file with mode 0600 and survives a restart', async () => {
    const a = tokens(1);
    const b = tokens(2);
    const store = createFileTokenStore({ dir: join(dir, 'data'), cipher });
    expect(await store.get('shop-eu')).toBeUndefined();
    await Promise.all([store.set('shop-eu', a), store.set('shop-us', b)]);
    const text = await readFile(store.path, 'utf8');
    expect(text).not.toContain('in-clear');
    expect(text).not.toContain('shop-eu');
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'data'))).toEqual(['aftership-oauth-tokens.json']); // no temp files left

    const restarted = createFileTokenStore({ dir: join(dir, 'data'), cipher: createTokenCipher(KEY) });
    expect(await restarted.get('shop-eu')).toEqual({ ...a });
    expect((await restarted.get('shop-us'))?.accessToken).toBe(b.accessToken);
    await restarted.delete('shop-eu');
    expect(await createFileTokenStore({ dir: join(dir, 'data'), cipher }).get('shop-eu')).toBeUndefined();
  });

  it('refuses to read (and never overwrites) a file sealed with another key', async () => {
    const store = createFileTokenStore({ dir: join(dir, 'data'), cipher });
    await store.set('x', tokens(3));
    const before = await readFile(store.path, 'utf8');
    const wrong = createFileTokenStore({ dir: join(dir, 'data'), cipher: createTokenCipher('a-different-passphrase') });
    await expect(wrong.get('x')).rejects.toThrow(/TOKEN_ENCRYPTION_KEY differs/);
    await expect(wrong.set('y', tokens(4))).rejects.toThrow(TokenCipherError);
    expect(await readFile(store.path, 'utf8')).toBe(before);
  });

  it('says clearly when the file is not a token file', async () => {
    await writeFile(join(dir, 'bad.json'), '{"hello":1}');
    const store = createFileTokenStore({ dir, cipher, fileName: 'bad.json' });
    await expect(store.get('a')).rejects.toThrow(/has an unknown format/);
  });
});

describe('Redis token store (local Redis)', () => {
  const prefix = `asgw-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  });
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  });
  afterAll(() => redis.quit());

  it('stores sealed values under the prefix, readable by another instance', async () => {
    const store = createRedisTokenStore({ redis, cipher, prefix });
    const t = tokens(5);
    await store.set('shop-eu', t);
    const raw = await redis.get(`${prefix}oauth-tokens:shop-eu`);
    expect(raw).toMatch(/^v1\./);
    expect(raw).not.toContain('in-clear');
    const other = createRedisTokenStore({ redis: 'redis://127.0.0.1:6379', cipher: createTokenCipher(KEY), prefix });
    try {
      expect(await other.get('shop-eu')).toEqual({ ...t });
      expect(await other.get('shop-us')).toBeUndefined();
      await other.delete('shop-eu');
      expect(await store.get('shop-eu')).toBeUndefined();
    } finally {
      await other.close?.();
    }
  });

  it('refuses a value moved to another account key', async () => {
    const store = createRedisTokenStore({ redis, cipher, prefix });
    await store.set('a', tokens(6));
    await redis.set(`${prefix}oauth-tokens:b`, (await redis.get(`${prefix}oauth-tokens:a`))!);
    await expect(store.get('b')).rejects.toThrow(TokenCipherError);
  });
});
