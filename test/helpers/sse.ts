/**
 * A GraphQL-over-SSE consumer as a browser's EventSource is one: GET with the operation in the
 * URL, `Accept: text/event-stream`, and on a reconnect the `Last-Event-ID` header. Collects the
 * parsed events (`id`, `event`, JSON `data`) as they arrive.
 */
export interface SseEvent {
  id?: string;
  event?: string;
  data: Record<string, unknown> | null;
}

export interface SseStream {
  readonly res: Response;
  readonly got: SseEvent[];
  /** Resolves when the server ended the stream (or it was closed). */
  readonly ended: Promise<void>;
  /** Drops the connection. */
  close(): Promise<void>;
}

export async function openSse(baseUrl: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const url = `${baseUrl}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables))}`;
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const got: SseEvent[] = [];
  const ended = (async () => {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const i = line.indexOf(':');
            fields[line.slice(0, i)] = line.slice(i + 1).trimStart();
          }
          if (fields.event) got.push({ id: fields.id, event: fields.event, data: fields.data ? (JSON.parse(fields.data) as Record<string, unknown>) : null });
        }
      }
    } catch {
      // aborted, or the server went away
    }
  })();
  return {
    res,
    got,
    ended,
    async close() {
      abort.abort();
      await ended;
    },
  };
}
