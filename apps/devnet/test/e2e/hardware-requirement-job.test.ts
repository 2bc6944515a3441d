/**
 * Issue 13 in the running system: the GPU Vessels announce their machines (models from nvidia-smi, here a stand-in
 * script on the providers' PATH: one node has 4 × T4, the other 2 × H100), a job asking for "H100" is placed by the
 * coordinator's allocator on the H100 provider and settles; a job no offer can satisfy is refused at quote time with
 * ALLOCATOR_REQUIREMENT_UNSATISFIABLE and the reason, before anything is escrowed.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { nodeApi } from '../../src/node-api.ts';
import { runTestJob } from '../helpers/run-job.ts';

/** A stand-in for nvidia-smi printing `lines` (name, memory MiB, count), as the real one answers the vessel's query. */
async function fakeNvidiaSmi(dir: string, lines: string[]): Promise<string> {
  await writeFile(join(dir, 'nvidia-smi'), `#!/bin/sh\nprintf '${lines.map((l) => `${l}\\n`).join('')}'\n`);
  await chmod(join(dir, 'nvidia-smi'), 0o755);
  return dir;
}

describe('job with an exact hardware requirement across real nodes', () => {
  let net: JobNetwork | undefined;
  let bin: string | undefined;
  afterAll(async () => {
    await net?.close();
    if (bin) await rm(bin, { recursive: true, force: true });
  });

  it('places a job asking for an H100 on the provider that announced H100s, and refuses one no offer can run', async () => {
    bin = await mkdtemp(join(tmpdir(), 'aic-fake-smi-'));
    const t4 = await fakeNvidiaSmi(await mkdtemp(join(bin, 't4-')), Array(4).fill('Tesla T4, 15360, 4'));
    const h100 = await fakeNvidiaSmi(
      await mkdtemp(join(bin, 'h100-')),
      Array(2).fill('NVIDIA H100 80GB HBM3, 81559, 2'),
    );
    // Nodes 1 and 2 are the GPU Vessels (JOB_NODE_KEYS).
    const pathOf: Record<number, string> = { 1: t4, 2: h100 };
    net = await startJobNetwork({
      envOf: (i) => (pathOf[i] ? { PATH: `${pathOf[i]}:${process.env.PATH ?? ''}` } : {}),
    });
    const requester = net.nodes.find((n) => n.role === 'requester')!;
    const providers = net.nodes.filter((n) => n.role === 'gpu-provider');
    const h100Provider = providers.find((n) => n.index === 2)!;
    // Both machines announced and heard by the requester's node before it judges a requirement.
    const api = nodeApi(requester);
    const deadline = Date.now() + 120_000;
    let models: string[] = [];
    while (Date.now() < deadline) {
      const { offers } = await api.listOffers({ query: { source: 'received' } });
      models = offers.flatMap((o) => o.hardware.gpus.map((g) => g.model));
      if (models.includes('H100-80G') && models.includes('T4-16G')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(models).toContain('H100-80G');
    expect(models).toContain('T4-16G');

    const run = await runTestJob(net, { template: 'iris', epochs: 1, hardware: { gpus: 1, gpuModels: ['H100'] } });
    expect(run.report.state, run.context()).toBe('Settled');
    const assigned = net.lines.filter((l) => l.includes('job assigned'));
    expect(assigned.length, run.context()).toBeGreaterThan(0);
    expect(assigned.at(-1)!.toLowerCase(), run.context()).toContain(h100Provider.address.toLowerCase());

    // Four H100s on one machine: no offer has them. Refused at quote time, with the reason.
    const refused = await api
      .quoteJob({
        body: {
          datasetId: '1',
          modelId: '2',
          budgetAic: '5',
          hardware: { gpus: 4, gpuModels: ['H100'] },
        },
      })
      .then(
        () => undefined,
        (error: unknown) => error as { code?: string; message?: string },
      );
    expect(refused?.code).toBe('ALLOCATOR_REQUIREMENT_UNSATISFIABLE');
    expect(refused?.message).toContain('no offer has 4 such GPUs on one machine (most: 2)');
  }, 600_000);
});
