import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  checkpointFromFiles,
  commitmentOfCheckpoint,
  irisTemplate,
  resolveJob,
  type TensorDataset,
  toleranceOf,
  trainJob,
  verificationBackendOf,
  verifySegmentTolerant,
} from '../../src/index.ts';
import { RECORDED_SPEC, RECORDED_TOLERANCE } from './fixtures/webgpu-iris/spec.ts';

// Checkpoints 5 and 10 of an Iris job trained on webgpu (fixtures/webgpu-iris/record.ts): their weights carry the
// float drift of a non-cpu summation order. The verifier re-runs the segment on cpu, as a verifier without a GPU does.
const fixtures = join(import.meta.dirname, 'fixtures', 'webgpu-iris');
const recorded = (step: number): Checkpoint =>
  checkpointFromFiles(
    readFileSync(join(fixtures, `step-${step}.json`), 'utf8'),
    readFileSync(join(fixtures, `step-${step}.safetensors`)),
  );
const spec = { ...RECORDED_SPEC, manifest: irisTemplate.manifest };
const tolerance = RECORDED_TOLERANCE;

/** A claimed checkpoint with other weights and optimizer state, hashed so that it matches its own commitment (the
 * provider commits to whatever it computed: only the re-run can tell). */
function forged(honest: Checkpoint, state: Pick<Checkpoint, 'weights' | 'optimizer'>): Checkpoint {
  const draft = { ...honest, ...state };
  const hash = commitmentOfCheckpoint(draft);
  return { ...draft, commitments: [...honest.commitments.slice(0, -1), { step: honest.step, hash }] };
}

/** What a provider that trained only steps 6–9 of segment 5 → 10 holds at step 9 (run on cpu: the skipped step's
 * effect is what matters, not the backend's drift). */
async function stateAfterNineSteps(data: TensorDataset, from: Checkpoint): Promise<Checkpoint> {
  const perStep = { ...spec, backend: 'cpu' as const, commitEverySteps: 1 };
  const digest = resolveJob(perStep, data).jobDigest;
  let at9: Checkpoint | undefined;
  const run = await trainJob(perStep, data, {
    resumeFrom: { ...from, jobDigest: digest, backend: 'cpu' },
    stopAfterStep: 9,
    onCheckpoint: (c) => {
      if (c.step === 9) at9 = c;
    },
  });
  run.model.dispose();
  return at9 as Checkpoint;
}

describe('tolerant verification of a webgpu segment (recorded GPU-like perturbations)', () => {
  it('accepts the recorded webgpu segment re-run on cpu: not bit-identical, within the declared bound', async () => {
    const data = (await irisTemplate.loadData()).train;
    const verdict = await verifySegmentTolerant({
      spec,
      data,
      from: recorded(5),
      claimed: recorded(10),
      backend: 'cpu',
      tolerance,
    });
    expect(verdict).toMatchObject({ match: true, reason: 'ok', backend: 'cpu', maxRelativeL2: 1e-3 });
    expect(verdict.weights.relativeL2).toBeGreaterThan(0); // the drift is real: exact mode would call it a cheat
    expect(verdict.weights.relativeL2).toBeLessThan(1e-3);
    expect(verdict.optimizer.relativeL2).toBeLessThan(1e-3);
  });

  it('rejects the same honest segment under a bound tighter than its drift', async () => {
    const data = (await irisTemplate.loadData()).train;
    const strict = { ...tolerance, maxRelativeL2: 1e-12 };
    const verdict = await verifySegmentTolerant({
      spec: { ...spec, tolerance: strict },
      data,
      from: { ...recorded(5), jobDigest: resolveJob({ ...spec, tolerance: strict }, data).jobDigest },
      claimed: { ...recorded(10), jobDigest: resolveJob({ ...spec, tolerance: strict }, data).jobDigest },
      backend: 'cpu',
      tolerance: strict,
    });
    expect(verdict).toMatchObject({ match: false, reason: 'weights-outside-bound' });
  });

  it('rejects a provider that skipped one of the five steps, though its batch order and rng state are exact', async () => {
    const data = (await irisTemplate.loadData()).train;
    const honest = recorded(10);
    const skipped = await stateAfterNineSteps(data, recorded(5));
    const claimed = forged(honest, { weights: skipped.weights, optimizer: skipped.optimizer });
    const verdict = await verifySegmentTolerant({ spec, data, from: recorded(5), claimed, backend: 'cpu', tolerance });
    expect(verdict.match).toBe(false);
    expect(verdict.reason).toBe('weights-outside-bound');
    expect(verdict.weights.relativeL2).toBeGreaterThan(10 * tolerance.maxRelativeL2);
  });

  it('rejects a provider that skipped the whole segment (claims the start state at the end step)', async () => {
    const data = (await irisTemplate.loadData()).train;
    const start = recorded(5);
    const claimed = forged(recorded(10), { weights: start.weights, optimizer: start.optimizer });
    const verdict = await verifySegmentTolerant({ spec, data, from: start, claimed, backend: 'cpu', tolerance });
    expect(verdict).toMatchObject({ match: false, reason: 'weights-outside-bound' });
  });

  it('refuses a checkpoint that does not hash to its commitment before re-running anything', async () => {
    const data = (await irisTemplate.loadData()).train;
    const honest = recorded(10);
    const tampered = { ...honest, weights: recorded(5).weights }; // commitment not updated
    await expect(
      verifySegmentTolerant({ spec, data, from: recorded(5), claimed: tampered, backend: 'cpu', tolerance }),
    ).rejects.toMatchObject({ code: 'VERIFY_CHECKPOINT_MISMATCH' });
  });

  it('picks the first verification backend the verifier has, and says which it lacks', () => {
    expect(verificationBackendOf(tolerance, ['cpu', 'wasm'])).toBe('cpu');
    expect(verificationBackendOf(tolerance, ['cpu', 'wasm', 'webgpu'])).toBe('webgpu');
    expect(() => verificationBackendOf({ ...tolerance, verifyBackends: ['webgpu'] }, ['cpu'])).toThrow(
      expect.objectContaining({ code: 'RUNTIME_BACKEND_UNAVAILABLE' }),
    );
    expect(toleranceOf({ backend: 'cpu' })).toBeUndefined(); // deterministic backends stay exact
    expect(toleranceOf({ backend: 'webgpu' })).toEqual({ maxRelativeL2: 1e-3, verifyBackends: ['webgpu', 'cpu'] });
  });
});
