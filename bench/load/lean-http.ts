/**
 * A lean HTTP/1.1 keep-alive connection for closed-loop load: one request in flight, written in one
 * write, its answer read by Content-Length. node:http's client costs about as much per request as the
 * webhook route it measures (~100 µs on the bench machine, a ClientRequest, header checks, the agent),
 * so on 2 shared cores the load process took CPU the server under test needed; this one parses a status
 * line and two headers. Only what a closed loop needs: answers with a Content-Length (others fail), a
 * `connection: close` answer (or a closed socket) means a new connection for the next request.
 */
import net from 'node:net';
import type { HttpAnswer } from './http.js';

export interface LeanConnection {
  send(method: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer>;
  close(): void;
}

interface Head {
  status: number;
  bodyStart: number;
  length: number;
  close: boolean;
}

export function leanConnection(url: URL): LeanConnection {
  const port = Number(url.port || 80);
  const path = url.pathname + url.search;
  const host = `host: ${url.host}\r\n`;
  let socket: net.Socket | undefined;
  let pending: { resolve: (a: HttpAnswer) => void; reject: (e: Error) => void } | undefined;
  let buffered: Buffer | undefined;
  let head: Head | undefined;

  const settle = (): typeof pending => {
    const p = pending;
    pending = undefined;
    buffered = undefined;
    head = undefined;
    return p;
  };
  const drop = (s: net.Socket): void => {
    if (socket === s) socket = undefined;
    s.destroy();
  };

  const onData = (s: net.Socket, chunk: Buffer): void => {
    const all = (buffered = buffered ? Buffer.concat([buffered, chunk]) : chunk);
    if (!head) {
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      const text = all.toString('latin1', 0, end);
      const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(text);
      if (!length) {
        drop(s);
        settle()?.reject(new Error('lean-http: an answer without Content-Length'));
        return;
      }
      head = { status: Number(text.slice(9, 12)), bodyStart: end + 4, length: Number(length[1]), close: /\r\nconnection:[ \t]*close/i.test(text) };
    }
    if (all.byteLength < head.bodyStart + head.length) return;
    const { status, bodyStart, length, close } = head;
    const text = all.toString('utf8', bodyStart, bodyStart + length);
    if (close) drop(s);
    settle()?.resolve({ status, text });
  };

  const connect = (): net.Socket => {
    const s = net.connect(port, url.hostname);
    s.setNoDelay(true);
    s.on('data', (c: Buffer) => onData(s, c));
    s.on('error', () => undefined); // 'close' follows
    s.on('close', () => {
      // Only this connection's request fails: a later one is on a new socket.
      if (socket !== s && socket !== undefined) return;
      socket = undefined;
      settle()?.reject(new Error('lean-http: connection closed'));
    });
    return s;
  };

  return {
    send(method, headers, body) {
      if (pending) return Promise.reject(new Error('lean-http: one request at a time'));
      const s = (socket ??= connect());
      let text = `${method} ${path} HTTP/1.1\r\n${host}`;
      for (const name in headers) text += `${name}: ${headers[name]}\r\n`;
      if (body !== undefined) text += `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      else text += '\r\n';
      return new Promise<HttpAnswer>((resolve, reject) => {
        pending = { resolve, reject };
        s.write(text);
      });
    },
    close() {
      if (socket) drop(socket);
    },
  };
}
