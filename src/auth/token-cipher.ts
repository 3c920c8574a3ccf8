/**
 * Encryption at rest for OAuth tokens: AES-256-GCM with a key derived from TOKEN_ENCRYPTION_KEY.
 * The key is derived once with scrypt (the variable may be a passphrase, not raw key bytes);
 * every value gets a fresh 96-bit IV, and `context` (e.g. the account id) is bound as AAD so
 * a sealed value copied to another account's slot fails to open.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const VERSION = 'v1';
/** Fixed, application-specific salt: one key per passphrase, derived once at start-up. */
const SALT = 'aftership-graphql-gateway/token-store/v1';
export const MIN_ENCRYPTION_KEY_LENGTH = 16;

export interface TokenCipher {
  seal(plaintext: string, context?: string): string;
  /** Throws TokenCipherError when the value was tampered with or sealed under another key. */
  open(sealed: string, context?: string): string;
}

export class TokenCipherError extends Error {
  override readonly name = 'TokenCipherError';
}

export function createTokenCipher(secret: string): TokenCipher {
  if (typeof secret !== 'string' || secret.length < MIN_ENCRYPTION_KEY_LENGTH) {
    throw new TokenCipherError(`TOKEN_ENCRYPTION_KEY must be at least ${MIN_ENCRYPTION_KEY_LENGTH} characters`);
  }
  const key = scryptSync(secret, SALT, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });

  return {
    seal(plaintext, context = '') {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.');
    },
    open(sealed, context = '') {
      const parts = typeof sealed === 'string' ? sealed.split('.') : [];
      if (parts.length !== 4 || parts[0] !== VERSION) {
        throw new TokenCipherError('Encrypted token data has an unknown format');
      }
      try {
        // Only full 16-byte tags: without authTagLength Node accepts a tag truncated to 4 bytes,
        // which makes forging a sealed value a 2^32 search.
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[1], 'base64url'), { authTagLength: 16 });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(parts[2], 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(parts[3], 'base64url')), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new TokenCipherError(
          'Cannot decrypt stored OAuth tokens: TOKEN_ENCRYPTION_KEY differs from the one they were written with, or the data was modified',
          { cause },
        );
      }
    },
  };
}
