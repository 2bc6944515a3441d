/** `/aic/checkpoint/1.0.0` between real peers on 127.0.0.1: the bytes arrive intact, the holder learns who asks
 * (Noise-authenticated), refusals and missing checkpoints are typed, and malformed requests only end their stream. */
import { AicError } from '@aic/core';
import { type Checkpoint, commitmentOfCheckpoint, trainJob } from '@aic/model-vessel';
import type { AicNetwork } from '@aic/network';
import { lpStream } from '@libp2p/utils';
import { getAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_PROTOCOL,
  fetchCheckpoint,
  packCheckpoint,
  serveCheckpoints,
  unpackCheckpointFiles,
} from '../../src/jobs/checkpoint-transfer.ts';
import { templateSplit } from '../helpers/dataset-file.ts';
import { irisSpec } from '../helpers/iris-job.ts';
import { startPeer } from '../helpers/peer.ts';

describe('checkpoint transfer between two real peers', () => {
  let holder: AicNetwork;
  let reader: AicNetwork;
  const checkpoints: Checkpoint[] = [];
  const askedBy: string[] = [];
  const failures: string[] = [];
  beforeAll(async () => {
    [holder, reader] = await Promise.all([startPeer(), startPeer()]);
    const spec = irisSpec({ seed: 5, commitEverySteps: 4, epochs: 1 });
    const job = await trainJob(spec, await templateSplit('iris'), {
      onCheckpoint: async (c) => void checkpoints.push(c),
    });
    job.model.dispose();
    const server = await serveCheckpoints(holder, (error, { jobId, index }) =>
      failures.push(`${jobId}/${index}: ${(error as Error).message}`),
    );
    server.addSource(async (jobId, index, sender) => {
      askedBy.push(sender);
      if (jobId === 13n) throw new AicError('JOB_ACCESS_DENIED', 'not yours');
      if (jobId === 14n) throw new Error('disk on fire');
      if (jobId === 8n && checkpoints[index]) return unpackCheckpointFiles(packCheckpoint(checkpoints[index])); // as stored
      return jobId === 7n ? checkpoints[index] : undefined;
    });
    await reader.connect(holder.multiaddrs()[0]!);
  });
  afterAll(async () => {
    await Promise.all([holder?.stop(), reader?.stop()]);
  });

  it('delivers a checkpoint that hashes to its commitment, and the holder knows the reader’s address', async () => {
    const fetched = await fetchCheckpoint(reader, holder.peerId.toString(), 7n, 1);
    expect(fetched.step).toBe(checkpoints[1]!.step);
    expect(commitmentOfCheckpoint(fetched)).toBe(commitmentOfCheckpoint(checkpoints[1]!));
    expect(askedBy.at(-1)).toBe(getAddress(reader.address));
    const fromFiles = await fetchCheckpoint(reader, holder.peerId.toString(), 8n, 2);
    expect(commitmentOfCheckpoint(fromFiles)).toBe(commitmentOfCheckpoint(checkpoints[2]!));
  });

  it('types a missing checkpoint, a refusal and a holder failure', async () => {
    await expect(fetchCheckpoint(reader, holder.peerId.toString(), 7n, 999)).rejects.toMatchObject({
      code: 'CHECKPOINT_NOT_FOUND',
    });
    await expect(fetchCheckpoint(reader, holder.peerId.toString(), 13n, 0)).rejects.toMatchObject({
      code: 'CHECKPOINT_ACCESS_DENIED',
    });
    await expect(fetchCheckpoint(reader, holder.peerId.toString(), 14n, 0)).rejects.toMatchObject({
      code: 'CHECKPOINT_FETCH_FAILED',
    });
    // The reader only learns "failed"; the holder is told why (the node logs it), refusals are not failures.
    expect(failures).toEqual(['14/0: disk on fire']);
  });

  it('answers a malformed request with a bad-request status and an oversized one by ending the stream, then keeps serving', async () => {
    const short = await reader.openStream(holder.peerId.toString(), CHECKPOINT_PROTOCOL);
    const lp = lpStream(short);
    await lp.write(new Uint8Array(5));
    expect([...(await lp.read()).subarray()]).toEqual([3]);
    const long = await reader.openStream(holder.peerId.toString(), CHECKPOINT_PROTOCOL);
    const lpLong = lpStream(long);
    await lpLong.write(new Uint8Array(10_000));
    await expect(lpLong.read()).rejects.toThrow();
    const fetched = await fetchCheckpoint(reader, holder.peerId.toString(), 7n, 0);
    expect(fetched.step).toBe(0);
  });

  it('cuts every Nth served stream mid-transfer with the test-only AIC_TEST_CHECKPOINT_CUT_EVERY (a typed fetch failure, not a timeout)', async () => {
    process.env.AIC_TEST_CHECKPOINT_CUT_EVERY = '2';
    try {
      const outcomes = [];
      for (const index of [0, 1, 2, 0]) {
        outcomes.push(
          await fetchCheckpoint(reader, holder.peerId.toString(), 7n, index).then(
            (c) => c.step,
            (e: AicError) => `${e.code} ${e.details?.timedOut}`,
          ),
        );
      }
      expect(outcomes.filter((o) => o === 'CHECKPOINT_FETCH_FAILED false')).toHaveLength(2);
      expect(outcomes.filter((o) => typeof o === 'number')).toHaveLength(2);
    } finally {
      delete process.env.AIC_TEST_CHECKPOINT_CUT_EVERY;
    }
    expect((await fetchCheckpoint(reader, holder.peerId.toString(), 7n, 1)).step).toBe(checkpoints[1]!.step);
  });
});
