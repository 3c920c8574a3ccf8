/**
 * Multiplexed subscriptions: subscribers whose operation, variables and access are the same share
 * one GraphQL execution per event (Hasura's approach). The first subscriber of a key starts the
 * execution (yoga's `subscribe`, with its context); later ones only join its member set. Each
 * result is serialized once and handed to every member synchronously: a WebSocket member writes
 * its `next` frame at once (websocket.ts), an SSE member queues the shared bytes (use-event-ids.ts).
 * An idle member is one small object in a Set: no context, loaders, execution or queue of its own.
 */
import type { ExecutionResult } from 'graphql';

/** Told how many subscribers beyond a group's first exist and receive (the pubsub counts the first). */
export interface SharedRecorder {
  sharers(delta: number): void;
  sharedDeliveries(n: number): void;
}

/** One event's result, serialized once; the transports derive (and keep here) their framing of it once too. */
export interface SharedPayload {
  readonly json: string;
  /** The cursor of the event, when the transport wants it outside the JSON (SSE's `id:`). */
  readonly cursor?: string;
  /** graphql-ws: `json` + the closing brace of the `next` message, encoded once by the first member to write it. */
  wsTail?: Buffer;
  /** SSE: the whole `event: next` block, encoded once. */
  sse?: Uint8Array;
}

/** A subscriber of a group: receives each result, and is told when the execution ends. */
export interface HubMember {
  push(payload: SharedPayload): void;
  /** The shared execution ended (its stream finished or failed): the member completes. */
  end(): void;
  /** Set by the hub while the member is in a group. */
  group?: object;
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
export type StartShared = () => Promise<{ result: Started; recorder?: SharedRecorder }>;

interface Group {
  key: string;
  members: Set<HubMember>;
  ready: Promise<Started>;
  source?: AsyncIterator<ExecutionResult>;
  recorder?: SharedRecorder;
  /** Whatever the starter wants joiners to reuse (websocket.ts keeps the parsed document). */
  shared?: unknown;
}

export interface SubscriptionHub {
  /**
   * Adds `member` to the execution running for `key`, or starts it with `start` (yoga's subscribe
   * result and, when known, who counts the sharers). Resolves undefined once the member is in;
   * a result that is not a stream (the operation failed to start) is returned to every waiting joiner.
   * `start` undefined: join only a running execution; resolves null when there is none.
   */
  join(key: string, member: HubMember, start: StartShared | undefined, shared?: unknown): Promise<ExecutionResult | null | undefined>;
  /** What the running execution's starter left for joiners (undefined when none runs). */
  sharedOf(key: string): unknown;
  /** Takes the member out of its group; the last one out stops the execution. */
  leave(member: HubMember): void;
  stats(): SubscriptionHubStats;
}

const isStream = (r: Started): r is AsyncIterable<ExecutionResult> => typeof (r as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

export function createSubscriptionHub(options: { serialize?: (result: ExecutionResult) => SharedPayload } = {}): SubscriptionHub {
  const serialize = options.serialize ?? ((r: ExecutionResult): SharedPayload => ({ json: JSON.stringify(r) }));
  const groups = new Map<string, Group>();
  let executions = 0;
  let subscribers = 0;

  const pump = async (g: Group, source: AsyncIterator<ExecutionResult>): Promise<void> => {
    try {
      for (;;) {
        const step = await source.next();
        if (step.done) break;
        executions++;
        const payload = serialize(step.value);
        // Synchronous, no promise per member: a member writes (or queues) and returns.
        for (const m of g.members) m.push(payload);
        if (g.members.size > 1) g.recorder?.sharedDeliveries(g.members.size - 1);
      }
    } catch {
      // The stream failed (a bug: resolvers' errors are in results): its subscribers complete.
    } finally {
      if (groups.get(g.key) === g) groups.delete(g.key);
      const members = [...g.members];
      g.members.clear();
      subscribers -= members.length;
      if (members.length > 1) g.recorder?.sharers(1 - members.length);
      for (const m of members) {
        m.group = undefined;
        m.end();
      }
    }
  };

  const leave = (member: HubMember): void => {
    const g = member.group as Group | undefined;
    member.group = undefined;
    if (!g || !g.members.delete(member)) return;
    subscribers--;
    if (g.members.size > 0) {
      g.recorder?.sharers(-1);
      return;
    }
    // The last one left: stop the execution (its pubsub subscription ends with it).
    if (groups.get(g.key) === g) groups.delete(g.key);
    void g.source?.return?.();
  };

  const join: SubscriptionHub['join'] = async (key, member, start, shared) => {
    let g = groups.get(key);
    if (!g) {
      if (!start) return null;
      const group: Group = { key, members: new Set(), ready: Promise.resolve({}), shared };
      group.ready = start().then(
        ({ result, recorder }) => {
          group.recorder = recorder;
          if (!isStream(result)) {
            if (groups.get(key) === group) groups.delete(key);
            return result;
          }
          const source = result[Symbol.asyncIterator]();
          group.source = source;
          void pump(group, source);
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
    if (groups.get(key) !== g) return join(key, member, start, shared);
    g.members.add(member);
    member.group = g;
    subscribers++;
    if (g.members.size > 1) g.recorder?.sharers(1);
    return undefined;
  };

  return {
    join,
    sharedOf: (key) => groups.get(key)?.shared,
    leave,
    stats: () => ({ groups: groups.size, subscribers, executions }),
  };
}
