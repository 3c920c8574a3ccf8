/**
 * Entry point: loadConfig() → startApp() → drain on SIGTERM/SIGINT (a second signal exits at once).
 * A failed start prints one line (a taken port names the variable that sets it) and exits non-zero.
 */
import { ConfigError, isSandboxMode, loadConfig, type Config } from './config.js';
import { startApp } from './app.js';

/** Exit codes of a process killed by the signal (128 + its number), for the second signal. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** One line for a port that cannot be had, naming the variable that sets it. */
function listenProblem(e: unknown, config: Config): string | undefined {
  const { code, port } = e as NodeJS.ErrnoException & { port?: number };
  if (code !== 'EADDRINUSE' && code !== 'EACCES') return undefined;
  const variable = port === config.port ? 'PORT' : isSandboxMode(config) && port === config.sandbox.port ? 'SANDBOX_PORT' : 'PORT';
  const problem = code === 'EADDRINUSE' ? 'is already in use by another program' : 'may not be opened by this user';
  return `Failed to start: port ${port ?? '?'} ${problem} (${code}); set ${variable} to a free port (${variable}=0 picks any)`;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  let app;
  try {
    app = await startApp(config);
  } catch (e) {
    const line = listenProblem(e, config);
    if (!line) throw e;
    process.stderr.write(`${line}\n`);
    process.exit(1);
  }
  const started = app;
  let draining = false;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT): void => {
    if (draining) {
      started.logger.warn({ signal }, `Received ${signal} again: exiting now`);
      process.exit(SIGNAL_EXIT[signal]);
    }
    draining = true;
    started.logger.info({ signal }, `Received ${signal}: draining (send it again to exit at once)`);
    // Should closing Redis or the sandbox hang past the deadline, do not hang with them.
    setTimeout(() => {
      started.logger.error('Shutdown did not complete in time: exiting');
      process.exit(1);
    }, config.drainTimeoutMs + 5000).unref();
    started.drain().then(
      () => process.exit(0),
      (e: unknown) => {
        started.logger.error({ err: e }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`Failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
