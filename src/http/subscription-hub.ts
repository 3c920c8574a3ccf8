/**
 * Multiplexed subscriptions: subscribers whose operation, variables and access are the same share
 * one GraphQL execution per event (Hasura's approach). The first subscriber of a key starts the
 * execution (yoga's `subscribe`, with its context); later ones only join its list. Each result is
 * serialized once; graphql-ws writes it into every member's `next` message (`spliceShared`).
 * An idle member is a small queue in a Set: no context, loaders or execution of its own.
 */
import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { createBoundedIterator, type BoundedIterator } from '../realtime/bounded-iterator.js';

/** Told how many subscribers beyond a group's first exist and receive (the pubsub counts the first). */
export interface SharedRecorder {
  sharers(delta: number): void;
  sharedDeliveries(n: number): void;
}

/** One event's result, serialized once. Spread into graphql-ws's message, `toJSON` stays an own property. */
export interface SharedPayload {
  readonly json: string;
  toJSON(): string;
}

// JSON.stringify calls `toJSON` of the payload just before the socket's `send`: it leaves the JSON
// here and a placeholder in the message, and `spliceShared` puts the JSON in place of it.
const TOKEN = `\u0000shared:${randomUUID()}`;
const QUOTED_TOKEN = JSON.stringify(TOKEN);
let pendingJson: string | undefined;
function markShared(this: SharedPayload): string {
  pendingJson = this.json;
  return TOKEN;
}

/** The frame with the shared payload's JSON in place; the frame as is when it has none. */
export function spliceShared(frame: string): string {
  const json = pendingJson;
  if (json === undefined) return frame;
  pendingJson = undefined;
  // Last: the payload follows the client-chosen id (the token is random per process anyway).
  const at = frame.lastIndexOf(QUOTED_TOKEN);
  return at < 0 ? frame : frame.slice(0, at) + json + frame.slice(at + QUOTED_TOKEN.length);
}

export interface SubscriptionHubStats {
  /** Distinct subscriptions running (one execution per event each). */
  groups: number;
  /** Subscribers in all groups. */
  subscribers: number;
  /** Executions run for events (one per group per event). */
  executions: number;
}

type Started = AsyncIterable<ExecutionResult> | ExecutionResult;
type Member = BoundedIterator<SharedPayload>;

interface Group {
  members: Set<Member>;
  ready: Promise<Started>;
  source?: AsyncIterator<ExecutionResult>;
  recorder?: SharedRecorder;
}

export interface SubscriptionHub {
  /**
   * The subscriber's stream for `key`: joins the running execution, or starts it with `start`
   * (which returns yoga's subscribe result and, when known, who counts the sharers).
   * A result that is not a stream (the operation failed to start) is returned to every waiting joiner.
   */
  join(key: string, start: () => Promise<{ result: Started; recorder?: SharedRecorder }>): Promise<Member | ExecutionResult>;
  stats(): SubscriptionHubStats;
}

const isStream = (r: Started): r is AsyncIterable<ExecutionResult> => typeof (r as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

export function createSubscriptionHub(options: { maxBuffered?: number } = {}): SubscriptionHub {
  const maxBuffered = options.maxBuffered ?? 100;
  const groups = new Map<string, Group>();
  let executions = 0;
  let subscribers = 0;

  const pump = async (key: string, g: Group, source: AsyncIterator<ExecutionResult>): Promise<void> => {
    try {
      for (;;) {
        const step = await source.next();
        if (step.done) break;
        executions++;
        const payload: SharedPayload = { json: JSON.stringify(step.value), toJSON: markShared };
        for (const m of g.members) m.push(payload);
        if (g.members.size > 1) g.recorder?.sharedDeliveries(g.members.size - 1);
      }
    } catch {
      // The stream failed (a bug: resolvers' errors are in results): its subscribers complete.
    } finally {
      if (groups.get(key) === g) groups.delete(key);
      for (const m of [...g.members]) m.end();
    }
  };

  const leave = (key: string, g: Group, member: Member): void => {
    if (!g.members.delete(member)) return;
    subscribers--;
    if (g.members.size > 0) {
      g.recorder?.sharers(-1);
      return;
    }
    // The last one left: stop the execution (its pubsub subscription ends with it).
    if (groups.get(key) === g) groups.delete(key);
    void g.source?.return?.();
  };

  const join: SubscriptionHub['join'] = async (key, start) => {
    let g = groups.get(key);
    if (!g) {
      const group: Group = { members: new Set(), ready: Promise.resolve({}) };
      group.ready = start().then(
        ({ result, recorder }) => {
          group.recorder = recorder;
          if (!isStream(result)) {
            if (groups.get(key) === group) groups.delete(key);
            return result;
          }
          const source = result[Symbol.asyncIterator]();
          group.source = source;
          void pump(key, group, source);
          return result;
        },
        (e: unknown) => {
          if (groups.get(key) === group) groups.delete(key);
          throw e;
        },
      );
      groups.set(key, (g = group));
    }
    const started = await g.ready;
    if (!isStream(started)) return started;
    // Ended while we waited (its last member left, or its stream ended): start afresh.
    if (groups.get(key) !== g) return join(key, start);
    const group = g;
    const member: Member = createBoundedIterator<SharedPayload>(maxBuffered, () => leave(key, group, member));
    group.members.add(member);
    subscribers++;
    if (group.members.size > 1) group.recorder?.sharers(1);
    return member;
  };

  return {
    join,
    stats: () => ({ groups: groups.size, subscribers, executions }),
  };
}
