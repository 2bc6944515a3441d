/**
 * xoshiro128** (Blackman & Vigna): a small, fast PRNG whose whole state is four uint32 words, so it can be saved in a
 * checkpoint and hashed into a commitment. Seeded through splitmix32 so nearby seeds give unrelated streams.
 */
export type PrngState = readonly [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** The initial state for a 32-bit seed. */
export function prngStateFromSeed(seed: number): PrngState {
  const next = splitmix32(seed);
  return [next(), next(), next(), next()];
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export class Prng {
  private s: [number, number, number, number];

  constructor(state: PrngState) {
    this.s = [...state];
  }

  /** A copy of the current state. */
  get state(): PrngState {
    return [...this.s];
  }

  /** The next uint32. */
  nextU32(): number {
    const [s0, s1, s2, s3] = this.s;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    let n2 = (s2 ^ s0) >>> 0;
    let n3 = (s3 ^ s1) >>> 0;
    const n1 = (s1 ^ n2) >>> 0;
    const n0 = (s0 ^ n3) >>> 0;
    n2 = (n2 ^ t) >>> 0;
    n3 = rotl(n3, 11);
    this.s = [n0, n1, n2, n3];
    return result;
  }

  /** A uniform integer in [0, bound), without modulo bias (rejection sampling). */
  nextBelow(bound: number): number {
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % bound;
    }
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextBelow(i + 1);
      const tmp = out[i] as number;
      out[i] = out[j] as number;
      out[j] = tmp;
    }
    return out;
  }
}
