/**
 * Stand-in GPUs for the GPU Vessels of a job network: a script named nvidia-smi on a provider's PATH answers the
 * vessel's hardware query as the real one would, so each provider announces a different machine and a job's exact
 * hardware requirement steers it to one provider (the coordinator's allocator places by it).
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What each stand-in prints: name, memory MiB, count — one line per GPU. */
export const T4_X4 = Array(4).fill('Tesla T4, 15360, 4');
export const H100_X2 = Array(2).fill('NVIDIA H100 80GB HBM3, 81559, 2');

async function fakeNvidiaSmi(dir: string, lines: string[]): Promise<string> {
  await writeFile(join(dir, 'nvidia-smi'), `#!/bin/sh\nprintf '${lines.map((l) => `${l}\\n`).join('')}'\n`);
  await chmod(join(dir, 'nvidia-smi'), 0o755);
  return dir;
}

/**
 * Writes one stand-in per node index and returns `envOf` for startJobNetwork (that node's PATH starts with its
 * stand-in's folder) and `remove` for afterAll.
 */
export async function fakeGpus(byIndex: Record<number, string[]>): Promise<{
  envOf: (index: number) => Record<string, string>;
  remove: () => Promise<void>;
}> {
  const bin = await mkdtemp(join(tmpdir(), 'aic-fake-smi-'));
  const pathOf: Record<number, string> = {};
  for (const [index, lines] of Object.entries(byIndex)) {
    pathOf[Number(index)] = await fakeNvidiaSmi(await mkdtemp(join(bin, `node-${index}-`)), lines);
  }
  return {
    envOf: (i) => (pathOf[i] ? { PATH: `${pathOf[i]}:${process.env.PATH ?? ''}` } : {}),
    remove: () => rm(bin, { recursive: true, force: true }),
  };
}
