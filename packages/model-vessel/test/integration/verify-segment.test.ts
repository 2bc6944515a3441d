import { verifyMerkleProof } from '@aic/core/merkle';
import { describe, expect, it } from 'vitest';
import { type Checkpoint, commitmentProof, irisTemplate, trainJob, verifySegment } from '../../src/index.ts';

describe('segment verification (verifier re-runs K steps)', () => {
  it('accepts an honest segment, rejects a forged result and a forged checkpoint', async () => {
    const { train } = await irisTemplate.loadData();
    const spec = {
      manifest: irisTemplate.manifest,
      backend: 'cpu' as const,
      seed: 3,
      commitEverySteps: 8,
      hyperparameters: { epochs: 4 },
    };
    const checkpoints: Checkpoint[] = [];
    const result = await trainJob(spec, train, { onCheckpoint: (c) => void checkpoints.push(c) });
    result.model.dispose();
    const i = 2;
    const start = checkpoints[i] as Checkpoint;
    const next = result.commitments[i + 1] as { step: number; hash: `0x${string}` };
    // the verifier first checks the claimed c_{i+1} is under the committed root
    expect(verifyMerkleProof(next.hash, commitmentProof(result.commitments, i + 1), result.commitmentRoot)).toBe(true);

    expect(await verifySegment(spec, train, start, next)).toMatchObject({ match: true, recomputed: next });
    const forgedResult = { ...next, hash: `0x${'00'.repeat(32)}` as `0x${string}` };
    expect((await verifySegment(spec, train, start, forgedResult)).match).toBe(false);

    const w = start.weights[0];
    const tampered = Float32Array.from(w?.data ?? []);
    tampered[0] = (tampered[0] as number) + 1e-3;
    const forgedStart = {
      ...start,
      weights: [{ ...(w as Checkpoint['weights'][number]), data: tampered }, ...start.weights.slice(1)],
    };
    await expect(verifySegment(spec, train, forgedStart, next)).rejects.toMatchObject({
      code: 'VERIFY_CHECKPOINT_MISMATCH',
    });
  });
});
