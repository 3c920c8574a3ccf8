/**
 * A start that fails half-way (here: the embedded sandbox's port is taken) closes everything it had
 * opened, the gateway's own HTTP port first of all, and `npm start` exits non-zero with one line.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/lib/logger.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function listen(port = 0): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

const portOf = (s: Server): number => (s.address() as { port: number }).port;

async function freePort(): Promise<number> {
  const s = await listen();
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

describe('a start that fails', () => {
  let busy: Server;
  beforeAll(async () => {
    busy = await listen();
  });
  afterAll(async () => {
    await new Promise((r) => busy.close(r));
  });

  it('closes the HTTP server it had opened, so the port is free again', async () => {
    const port = await freePort();
    const config = loadConfig({ PORT: String(port), HOST: '127.0.0.1', SANDBOX_PORT: String(portOf(busy)), LOG_LEVEL: 'silent' });
    await expect(startApp(config, { logger: silentLogger })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    // Nothing answers on the gateway's port any more (before, it answered 503 "starting" for ever)...
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    // ...and it can be taken again.
    const again = await listen(port);
    await new Promise((r) => again.close(r));
  });

  it('npm start exits non-zero with one clear line', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', SANDBOX_PORT: String(portOf(busy)) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    // It names the variable that sets the port taken.
    expect(lines[0]).toBe(`Failed to start: port ${portOf(busy)} is already in use by another program (EADDRINUSE); set SANDBOX_PORT to a free port (SANDBOX_PORT=0 picks any)`);
  }, 30_000);

  it('npm start names PORT when the gateway\'s own port is taken', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: String(portOf(busy)), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise<number | null>((resolve) => child.on('exit', resolve))).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([`Failed to start: port ${portOf(busy)} is already in use by another program (EADDRINUSE); set PORT to a free port (PORT=0 picks any)`]);
  }, 30_000);
});
