/** A minimal keep-alive HTTP client for load generation (node:http is lighter than fetch). */
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  text: string;
}

export function createAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

export function send(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const h = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = http.request(
      { agent, hostname: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: h },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What a GraphQL answer amounts to: "ok", or the first error's extensions.code (or "ERROR", "NULL", "HTTP_<status>"). */
export function classifyGraphQL(a: HttpAnswer): string {
  if (a.status !== 200) return `HTTP_${a.status}`;
  try {
    const body = JSON.parse(a.text) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
    if (body.errors?.length) return body.errors[0].extensions?.code ?? 'ERROR';
    if (!body.data || Object.values(body.data).some((v) => v === null)) return 'NULL';
    return 'ok';
  } catch {
    return 'BAD_JSON';
  }
}

/** A webhook ack: "accepted", "stale", "duplicate", or the refusal's error code. */
export function classifyWebhook(a: HttpAnswer): string {
  try {
    const body = JSON.parse(a.text) as { status?: string; error?: { code?: string } };
    if (a.status === 200) return body.status ?? 'ok';
    return body.error?.code ?? `HTTP_${a.status}`;
  } catch {
    return `HTTP_${a.status}`;
  }
}

export function classifyStatus(a: HttpAnswer): string {
  return a.status >= 200 && a.status < 300 ? 'ok' : `HTTP_${a.status}`;
}
