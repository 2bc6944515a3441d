/**
 * Deterministic randomness from a chain seed (e.g. the hash of the block after an escrow or a commitment): nobody can
 * choose it and anyone can recompute every draw. SplitMix64 over BigInt, seeded per (seed, label). Used by the
 * Resource Allocator (who gets a job) and Verification (which segments are re-run).
 */
const MASK = (1n << 64n) - 1n;

/** A reproducible stream of uniform numbers in [0, 1) from a 256-bit seed and a label (e.g. the job id). */
export function seededUniforms(seed: bigint, label: string): () => number {
  let state = foldSeed(seed) ^ hashLabel(label);
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    z ^= z >> 31n;
    return Number(z >> 11n) / 2 ** 53;
  };
}

/** FNV-1a over the label's UTF-16 code units. */
function hashLabel(label: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < label.length; i++) {
    h ^= BigInt(label.charCodeAt(i));
    h = (h * 0x100000001b3n) & MASK;
  }
  return h;
}

/** Folds a 256-bit seed (e.g. from `assignmentSeed`) into 64 bits so every word counts. */
export function foldSeed(seed: bigint): bigint {
  let folded = 0n;
  for (let x = seed; x > 0n; x >>= 64n) folded ^= x & MASK;
  return folded;
}
