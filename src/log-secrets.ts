/**
 * Every secret value the configuration holds, for the logger's last-line-of-defence redaction:
 * the credentials of every AfterShip account (not only the default one), webhook secrets, the OAuth
 * client secret, the token encryption key, the JWT secret, gateway token hashes, Redis passwords, the metrics token and the OTLP exporter's headers.
 * (Plain gateway tokens are hashed at load and never held; request headers are redacted by path.)
 */
import { SANDBOX_API_KEY, type Config } from './config.js';

/** The password in a redis://user:password@host URL, if any. */
function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

export function configSecrets(config: Config, ...extra: (string | undefined)[]): string[] {
  const { aftership, auth, redis } = config;
  const all: (string | undefined)[] = [
    aftership.apiKey,
    aftership.apiSecret,
    aftership.webhookSecret,
    ...auth.accounts.flatMap((a) => (a.kind === 'api-key' ? [a.apiKey, a.apiSecret, a.webhookSecret] : [a.webhookSecret])),
    auth.oauth?.clientSecret,
    auth.tokenStore?.encryptionKey,
    urlPassword(auth.tokenStore?.redisUrl),
    auth.jwt?.secret,
    ...auth.tokens.map((t) => t.sha256),
    urlPassword(redis?.url),
    config.observability.metricsToken,
    // Collector API keys; short values (a dataset name) are not secrets and would redact common words.
    ...Object.values(config.observability.otlp?.headers ?? {}).filter((v) => v.length >= 8),
    ...extra,
  ];
  // The sandbox's key is public by design (the start-up lines print it).
  return [...new Set(all.filter((s): s is string => !!s && s !== SANDBOX_API_KEY))];
}
