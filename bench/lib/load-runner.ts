/** Runs load jobs in a child process (isolate) or, for the smoke test, in this process. */
import { closedLoop, openLoop, type ClosedLoopJob, type ClosedLoopResult, type OpenLoopJob, type OpenLoopResult } from '../load/core.js';
import { createSwarm, type FanoutResult, type FireJob, type Swarm, type SwarmConnectResult, type SwarmJob } from '../load/swarm.js';
import { forkBenchChild } from './spawn.js';

export interface LoadRunner {
  /** Pid of the load process (this process when not isolated). */
  pid: number;
  closedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult>;
  openLoop(job: OpenLoopJob): Promise<OpenLoopResult>;
  swarmConnect(job: SwarmJob): Promise<SwarmConnectResult>;
  swarmFire(job: FireJob): Promise<FanoutResult>;
  swarmClose(): Promise<void>;
  stop(): Promise<void>;
}

const LONG = 15 * 60_000;

export async function startLoadRunner(isolate: boolean): Promise<LoadRunner> {
  if (isolate) {
    const c = await forkBenchChild('load-client.ts');
    return {
      pid: c.child.pid ?? -1,
      closedLoop: (job) => c.ipc.call('closedLoop', job, LONG),
      openLoop: (job) => c.ipc.call('openLoop', job, LONG),
      swarmConnect: (job) => c.ipc.call('swarmConnect', job, LONG),
      swarmFire: (job) => c.ipc.call('swarmFire', job, LONG),
      swarmClose: async () => void (await c.ipc.call('swarmClose', undefined, LONG)),
      stop: () => c.stop(),
    };
  }
  let swarm: Swarm | undefined;
  return {
    pid: process.pid,
    closedLoop,
    openLoop,
    async swarmConnect(job) {
      await swarm?.close();
      swarm = createSwarm(job);
      return swarm.connect();
    },
    swarmFire(job) {
      if (!swarm) throw new Error('swarmConnect first');
      return swarm.fire(job);
    },
    async swarmClose() {
      await swarm?.close();
      swarm = undefined;
    },
    async stop() {
      await swarm?.close();
    },
  };
}
