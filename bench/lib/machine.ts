/** What the figures were measured on. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  os: string;
  loadAverage: string;
  date: string;
  commit: string;
  openFiles: string;
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' / '),
    date: new Date().toISOString(),
    commit: sh('git', ['rev-parse', '--short', 'HEAD']),
    openFiles: sh('sh', ['-c', 'ulimit -n']),
  };
}
