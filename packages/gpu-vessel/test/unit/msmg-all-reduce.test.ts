import { foldGradients } from '@aic/model-vessel';
import { describe, expect, it } from 'vitest';
import { chainAllReduce, type RankLinks } from '../../src/msmg/chain-all-reduce.ts';
import { decodeFrame, encodeFrame, type Frame } from '../../src/msmg/frames.ts';
import { workerShares } from '../../src/msmg/worker-shares.ts';

/** N ranks' links in memory: each frame goes through the wire encoding, queued per (sender, receiver). */
function memoryLinks(workers: number) {
  const queues = new Map<string, { frames: Frame[]; waiters: ((f: Frame) => void)[] }>();
  const q = (from: number, to: number) => {
    const key = `${from}>${to}`;
    let v = queues.get(key);
    if (!v) {
      v = { frames: [], waiters: [] };
      queues.set(key, v);
    }
    return v;
  };
  const sentFloats = new Array<number>(workers).fill(0);
  const links = Array.from(
    { length: workers },
    (_, rank): RankLinks => ({
      async send(to, frame) {
        sentFloats[rank] = (sentFloats[rank] ?? 0) + frame.floats.length;
        const decoded = decodeFrame(encodeFrame(frame));
        const box = q(rank, to);
        const waiter = box.waiters.shift();
        if (waiter) waiter(decoded);
        else box.frames.push(decoded);
      },
      receive(from) {
        const box = q(from, rank);
        const ready = box.frames.shift();
        return ready ? Promise.resolve(ready) : new Promise((resolve) => box.waiters.push(resolve));
      },
    }),
  );
  return { links, sentFloats };
}

const vector = (length: number, seed: number) =>
  Float32Array.from({ length }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 10 ** ((i % 9) - 4));

describe('the chain all-reduce', () => {
  for (const workers of [1, 2, 3, 4]) {
    it(`gives all ${workers} ranks the one-process fold bit for bit, within the byte bound`, async () => {
      const length = 1_001;
      const m = 6;
      const grads = Array.from({ length: m }, (_, j) => vector(length, j));
      const expected = foldGradients(grads, length);
      const { links, sentFloats } = memoryLinks(workers);
      const chunk = 64;
      const sums = await Promise.all(
        links.map((l, rank) => {
          const mine = grads.slice(Math.floor((rank * m) / workers), Math.floor(((rank + 1) * m) / workers));
          return chainAllReduce(l, rank, workers, chunk).reduce(7, mine, length);
        }),
      );
      for (const sum of sums) expect(Buffer.from(sum.buffer)).toEqual(Buffer.from(expected.buffer));
      if (workers > 1) {
        const minimum = (2 * (workers - 1) * length) / workers;
        expect(Math.max(...sentFloats) / minimum).toBeLessThanOrEqual(1.2);
      }
    });
  }

  it('refuses a frame out of order', async () => {
    const { links } = memoryLinks(2);
    await links[0]?.send(1, { step: 3, phase: 0, offset: 0, floats: new Float32Array(4) });
    await expect(chainAllReduce(links[1] as RankLinks, 1, 2).reduce(4, [], 4)).rejects.toMatchObject({
      code: 'MSMG_PROTOCOL_ERROR',
    });
  });

  it('rejects malformed frames', () => {
    expect(() => decodeFrame(new Uint8Array(5))).toThrow(expect.objectContaining({ code: 'MSMG_PROTOCOL_ERROR' }));
    expect(() => decodeFrame(new Uint8Array(11))).toThrow(expect.objectContaining({ code: 'MSMG_PROTOCOL_ERROR' }));
  });
});

describe('worker shares', () => {
  const a = '0x00000000000000000000000000000000000000aa' as const;
  const b = '0x00000000000000000000000000000000000000bb' as const;
  const c = '0x00000000000000000000000000000000000000cc' as const;
  it('pays microbatch-steps kept in the final chain, summing exactly to the amount', () => {
    // rank 1 (b) lost after step 8 of 20 was verified; c replaced it from step 8
    const work = [
      { attempt: 0, rank: 0, account: a, fromStep: 0, toStep: 8 },
      { attempt: 0, rank: 1, account: b, fromStep: 0, toStep: 8 },
      { attempt: 1, rank: 0, account: a, fromStep: 8, toStep: 20 },
      { attempt: 1, rank: 1, account: c, fromStep: 8, toStep: 20 },
    ];
    const shares = workerShares(work, { microbatches: 4, workers: 2 }, 1_000n);
    expect(shares).toEqual([
      { account: a, units: 40n, wei: 500n },
      { account: b, units: 16n, wei: 200n },
      { account: c, units: 24n, wei: 300n },
    ]);
    const odd = workerShares(work, { microbatches: 4, workers: 2 }, 1_001n);
    expect(odd.reduce((s, x) => s + x.wei, 0n)).toBe(1_001n);
  });
});
