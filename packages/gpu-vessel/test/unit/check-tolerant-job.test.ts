/** The verifier's check of a webgpu job (tolerant mode): sampled segments are re-run on a backend of the job's
 * verification class and accepted within the ticket's bound; a skipped segment is still caught. */
import {
  type Checkpoint,
  commitmentOfCheckpoint,
  type JobSpec,
  resolveJob,
  type StateArray,
  trainJob,
} from '@aic/model-vessel';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCommittedJob } from '../../src/verify/index.ts';
import { templateSplit } from '../helpers/dataset-file.ts';
import { irisSpec } from '../helpers/iris-job.ts';

const cpuSpec = irisSpec({ seed: 5, commitEverySteps: 2, epochs: 2 });
const tolerance = { maxRelativeL2: 1e-3, verifyBackends: ['webgpu' as const, 'cpu' as const] };
const gpuSpec: JobSpec = { ...cpuSpec, backend: 'webgpu', tolerance };
let data: Awaited<ReturnType<typeof templateSplit>>;
let gpuRun: Checkpoint[] = [];

/** A GPU's float drift, recorded as seeded noise: every value times (1 + ε·u), u ∈ [-1, 1), ε = 1e-6. */
function drift(arrays: readonly StateArray[], salt: number): StateArray[] {
  let x = salt * 2654435761;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 31 - 1;
  };
  return arrays.map((a) => ({
    ...a,
    data: a.data instanceof Float32Array ? a.data.map((v) => v * (1 + 1e-6 * next())) : a.data,
  }));
}

/** The provider's checkpoints as a webgpu run would leave them: its job's name, drifted states, own commitments. */
function asGpuRun(cpu: readonly Checkpoint[], digest: `0x${string}`): Checkpoint[] {
  const out: Checkpoint[] = [];
  for (const [i, c] of cpu.entries()) {
    const state = i === 0 ? c : { ...c, weights: drift(c.weights, i), optimizer: drift(c.optimizer, 100 + i) };
    const draft = { ...state, jobDigest: digest, backend: 'webgpu' as const };
    const hash = commitmentOfCheckpoint(draft);
    out.push({ ...draft, commitments: [...(out.at(-1)?.commitments ?? []), { step: c.step, hash }] });
  }
  return out;
}

beforeAll(async () => {
  data = await templateSplit('iris');
  const cpu: Checkpoint[] = [];
  const run = await trainJob(cpuSpec, data, { onCheckpoint: (c) => void cpu.push(c) });
  run.model.dispose();
  gpuRun = asGpuRun(cpu, resolveJob(gpuSpec, data).jobDigest);
});

const check = (checkpoints: readonly Checkpoint[], backends: ('cpu' | 'wasm' | 'webgpu')[], spec = gpuSpec) =>
  checkCommittedJob({
    spec,
    data,
    commitments: checkpoints.at(-1)?.commitments ?? [],
    seed: 7n,
    jobKey: 'job-tolerant',
    samples: checkpoints.length - 1, // every segment
    loadCheckpoint: async (i) => checkpoints[i]!,
    backends,
  });

describe('checkCommittedJob on a webgpu job (tolerant mode)', () => {
  it('accepts a drifted run re-run on cpu, which exact mode could not', async () => {
    const verdict = await check(gpuRun, ['cpu', 'wasm']);
    expect(verdict).toMatchObject({ valid: true, initialStateValid: true, mismatches: [] });
    expect(verdict.checked).toHaveLength(gpuRun.length - 1);
  });

  it('rejects the segment a provider skipped (its end state is its start state)', async () => {
    const skipped = 3;
    const forged = gpuRun.map((c) => ({ ...c }));
    const start = forged[skipped]!;
    const end = { ...forged[skipped + 1]!, weights: start.weights, optimizer: start.optimizer };
    forged[skipped + 1] = end;
    // every later checkpoint commits to the forged chain
    const hashes = forged.map((c, i) => ({
      step: c.step,
      hash: i === skipped + 1 ? commitmentOfCheckpoint(end) : c.commitments.at(-1)!.hash,
    }));
    const chained = forged.map((c, i) => ({ ...c, commitments: hashes.slice(0, i + 1) }));
    const verdict = await check(chained, ['cpu']);
    expect(verdict.valid).toBe(false);
    // the next segment starts from the forged state, so it does not reach the committed end either
    expect(verdict.mismatches).toEqual([skipped, skipped + 1]);
  });

  it('refuses to judge when it has no backend of the verification class (no verdict against the provider)', async () => {
    const onlyGpu = { ...gpuSpec, tolerance: { ...tolerance, verifyBackends: ['webgpu' as const] } };
    await expect(check(gpuRun, ['cpu'], onlyGpu)).rejects.toMatchObject({ code: 'RUNTIME_BACKEND_UNAVAILABLE' });
  });
});
