/**
 * Issue 13 in the running system: a job whose ticket asks for CPU cores and memory on one machine is placed by the
 * coordinator's allocator (offers' machines from gossip, the requirement read from the ticket) and settles.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { runTestJob } from '../helpers/run-job.ts';

describe('job with an exact hardware requirement across real nodes', () => {
  let net: JobNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it('places a job asking for CPU cores and memory on a provider that has them, and it settles', async () => {
    net = await startJobNetwork();
    const run = await runTestJob(net, { template: 'iris', epochs: 1, hardware: { cpuCores: 1, memoryGiB: 0.5 } });
    expect(run.report.state, run.context()).toBe('Settled');
    const assigned = net.lines.filter((l) => l.includes('job assigned'));
    expect(assigned.length, run.context()).toBeGreaterThan(0);
  });
});
