/**
 * Is AfterShip answering this gateway, and if not, what is wrong, in words an operator can act on:
 * `unauthorized` for a refused key is not `unreachable`. Probed with the cheapest call (the courier
 * list) in the background lane, at most once per `intervalMs`, so readiness checks never eat the
 * users' rate budget. Reported by `/readyz` (and readable for metrics), but never what makes an
 * instance unready: an AfterShip outage would otherwise take every replica out of the load balancer.
 * Each change of finding is logged once (the first one at start-up), not every probe.
 */
import { GatewayError } from '../lib/errors.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { AfterShipError, ErrorCode } from './errors.js';
import type { AfterShipClient } from './types.js';

export type AfterShipStatus = 'unknown' | 'reachable' | 'unauthorized' | 'forbidden' | 'unreachable';

export interface AfterShipHealth {
  /** The gateway account probed. */
  account: string;
  /** `unknown` until the first probe answers. */
  status: AfterShipStatus;
  /** When the finding was made (ISO 8601). */
  checkedAt?: string;
  /** What went wrong, as the gateway's error code (and AfterShip's HTTP status); no foreign text, as /readyz is public. */
  reason?: string;
}

export interface AfterShipHealthMonitor {
  /** The latest finding, at once; starts a probe in the background when it is older than `intervalMs`. */
  read(): AfterShipHealth;
  /** Probes unless a probe ran within `intervalMs` (joins one in flight), and resolves with the finding. */
  refresh(): Promise<AfterShipHealth>;
  /** No more probes or log lines. */
  stop(): void;
}

export interface AfterShipHealthOptions {
  client: AfterShipClient;
  accountId: string;
  clock: Clock;
  logger: Logger;
  /** @default 15000 */
  intervalMs?: number;
}

interface Finding {
  status: AfterShipStatus;
  reason?: string;
  /** The full story, for the log only. */
  detail?: string;
  /** An OAuth account with no usable grant: where a person connects it. */
  connectUrl?: string;
}

function findingOf(e: unknown): Finding {
  if (!(e instanceof GatewayError)) return { status: 'unreachable', reason: 'NO_ANSWER', detail: e instanceof Error ? e.message : String(e) };
  const http = e instanceof AfterShipError && e.httpStatus !== undefined ? ` (HTTP ${e.httpStatus})` : '';
  const reason = `${e.code}${http}`;
  // An OAuth account not (or no longer) connected: nothing was sent, a person has to connect it.
  const connectUrl = e.extensions.connectUrl;
  if (typeof connectUrl === 'string') return { status: 'unauthorized', reason: `${e.code} (OAuth connection needed)`, detail: e.message, connectUrl };
  switch (e.code) {
    case ErrorCode.Unauthenticated:
      return { status: 'unauthorized', reason, detail: e.message };
    case ErrorCode.Forbidden:
      return { status: 'forbidden', reason, detail: e.message };
    case ErrorCode.UpstreamUnavailable:
      return { status: 'unreachable', reason, detail: e.message };
    default:
      // Rate limiting or any other answer proves AfterShip answers with these credentials.
      return { status: 'reachable' };
  }
}

export function createAfterShipHealth(options: AfterShipHealthOptions): AfterShipHealthMonitor {
  const { client, accountId, clock, logger } = options;
  const intervalMs = options.intervalMs ?? 15_000;
  let health: AfterShipHealth = { account: accountId, status: 'unknown' };
  let lastAt: number | undefined;
  let inFlight: Promise<AfterShipHealth> | undefined;
  let stopped = false;

  const report = (finding: Finding, previous: AfterShipStatus): void => {
    if (finding.status === previous || stopped) return;
    const fields = { account: accountId, aftership: finding.status, reason: finding.reason, detail: finding.detail };
    switch (finding.status) {
      case 'reachable':
        logger.info(fields, previous === 'unknown' ? 'AfterShip answers with the configured credentials' : 'AfterShip answers again');
        break;
      case 'unauthorized':
        if (finding.connectUrl) {
          logger.warn(fields, `AfterShip account "${accountId}" has no OAuth connection: its calls fail with UPSTREAM_UNAUTHENTICATED until a person connects it at ${finding.connectUrl}`);
          break;
        }
        logger.error(
          fields,
          `AfterShip refuses the credentials of account "${accountId}" (unauthorized): every call fails with UPSTREAM_UNAUTHENTICATED until its API key (AFTERSHIP_API_KEY or AFTERSHIP_ACCOUNTS) or OAuth grant is fixed`,
        );
        break;
      case 'forbidden':
        logger.error(fields, `AfterShip refuses account "${accountId}" the courier list (forbidden): check the key's or the OAuth grant's scopes`);
        break;
      default:
        logger.warn(fields, 'AfterShip is unreachable: this instance stays ready and serves what it has cached; calls fail with UPSTREAM_UNAVAILABLE');
    }
  };

  const probe = async (): Promise<AfterShipHealth> => {
    let finding: Finding;
    try {
      await client.listCouriers({}, { priority: 'background' });
      finding = { status: 'reachable' };
    } catch (e) {
      finding = findingOf(e);
    }
    const previous = health.status;
    lastAt = clock.now();
    health = { account: accountId, status: finding.status, checkedAt: new Date(lastAt).toISOString(), ...(finding.reason && { reason: finding.reason }) };
    report(finding, previous);
    return health;
  };

  const refresh = (): Promise<AfterShipHealth> => {
    if (stopped || (lastAt !== undefined && clock.now() - lastAt < intervalMs)) return Promise.resolve(health);
    inFlight ??= probe().finally(() => (inFlight = undefined));
    return inFlight;
  };

  return {
    read() {
      void refresh();
      return health;
    },
    refresh,
    stop() {
      stopped = true;
    },
  };
}
