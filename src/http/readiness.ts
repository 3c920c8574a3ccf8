/**
 * `GET /readyz`: should the load balancer send this instance work? It is about this instance only:
 * started (the listener answers 503 until the app is wired), Redis reachable when configured (the
 * instance shares budget, dedup and events through it), not draining. AfterShip's health is reported
 * beside it but does not make the instance unready: AfterShip is the same for every replica, and
 * taking them all out of the load balancer in an outage would turn cached answers into errors.
 */
import type { AfterShipHealth, AfterShipHealthMonitor } from '../aftership/health.js';
import type { RedisHealth } from '../redis/index.js';

export interface ReadinessResult {
  ready: boolean;
  /** Why not ready: `draining` or `redis unreachable`. */
  reason?: string;
  draining: boolean;
  /** Absent when REDIS_URL is not set. */
  redis?: 'up' | 'down';
  aftership: AfterShipHealth;
  /**
   * The default account's warm replica, when on: `warming` until its first full list pass ends
   * (the instance is ready meanwhile: lookups of trackings not yet listed take the normal path).
   */
  replica?: ReplicaReadiness;
}

export interface ReplicaReadiness {
  state: 'warming' | 'ready' | 'stopped';
  /** Trackings held. */
  trackings: number;
  /** Listed by the current (or last) full pass, of about `total`. */
  loaded: number;
  total?: number;
  /** Holds every tracking of its window. */
  complete: boolean;
  /** List calls made so far. */
  calls: number;
  /** Where it came from: the copy shared in Redis (loaded, then what changed since listed) or this instance's own warm-up. Absent until known. */
  source?: 'redis' | 'warm-up';
}

export interface Readiness {
  check(): ReadinessResult;
  /** From now on unready: the instance is shutting down. */
  drain(): void;
  readonly draining: boolean;
}

export function createReadiness(options: { aftership: AfterShipHealthMonitor; redis?: RedisHealth; replica?: () => ReplicaReadiness | undefined }): Readiness {
  let draining = false;
  return {
    check() {
      const redis = options.redis ? (options.redis.up() ? 'up' : 'down') : undefined;
      const reason = draining ? 'draining' : redis === 'down' ? 'redis unreachable' : undefined;
      const replica = options.replica?.();
      return { ready: reason === undefined, ...(reason && { reason }), draining, ...(redis && { redis }), aftership: options.aftership.read(), ...(replica && { replica }) };
    },
    drain() {
      draining = true;
    },
    get draining() {
      return draining;
    },
  };
}
