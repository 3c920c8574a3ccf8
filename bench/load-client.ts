/**
 * Child-process entry of the load generator: answers IPC calls so the server under test never
 * shares an event loop with its clients. Started by bench/lib/load-runner.ts.
 */
import { emit, serveIpc } from './lib/ipc.js';
import { closedLoop, openLoop, type ClosedLoopJob, type OpenLoopJob } from './load/core.js';
import { createSwarm, type FireJob, type Swarm, type SwarmJob } from './load/swarm.js';

let swarm: Swarm | undefined;

serveIpc({
  closedLoop: (arg) => closedLoop(arg as ClosedLoopJob),
  openLoop: (arg) => openLoop(arg as OpenLoopJob),
  swarmConnect: async (arg) => {
    await swarm?.close();
    swarm = createSwarm(arg as SwarmJob);
    return swarm.connect();
  },
  swarmFire: (arg) => {
    if (!swarm) throw new Error('swarmConnect first');
    return swarm.fire(arg as FireJob);
  },
  swarmClose: async () => {
    await swarm?.close();
    swarm = undefined;
    return true;
  },
});
process.on('SIGTERM', () => {
  void (swarm?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
// The orchestrator went away (crashed or killed): do not linger as an orphan.
process.on('disconnect', () => process.exit(0));
emit('ready', { pid: process.pid });
