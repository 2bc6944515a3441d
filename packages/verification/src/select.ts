import { AicError, seededUniforms } from '@aic/core';

/**
 * The segments a verifier re-runs: `samples` distinct indices in [0, segments), drawn from the seed (the hash of the
 * block after the commitment) by a partial Fisher–Yates shuffle; sorted. The provider cannot know them in advance.
 */
export function sampleSegments(seed: bigint, jobId: string, segments: number, samples: number): number[] {
  if (samples > segments || samples < 0) {
    throw new AicError('VERIFY_INVALID_QUOTE', 'cannot sample more segments than exist', {
      details: { segments, samples },
    });
  }
  const u = seededUniforms(seed, `verify:${jobId}`);
  const picked = new Map<number, number>(); // sparse Fisher–Yates: position → value
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const j = i + Math.floor(u() * (segments - i));
    const vj = picked.get(j) ?? j;
    picked.set(j, picked.get(i) ?? i);
    out.push(vj);
  }
  return out.sort((a, b) => a - b);
}
