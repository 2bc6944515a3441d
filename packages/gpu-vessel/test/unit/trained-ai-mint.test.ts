/**
 * The requester mints one TrainedAI per settled job: a restart after the mint (its outcome lost) finds the job's token
 * instead of minting again, and a job with terms identical to an earlier one (deterministic training: the same result
 * CID and checkpoint root) still gets its own NFT, also when both run at once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetKind } from '@aic/ledger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobRecord } from '../../src/agent/job-record.ts';
import { TrainedAiMinter, type TrainedAiMintInput } from '../../src/agent/requester/trained-ai-mint.ts';
import { type FakeChain, fakeJobChain } from '../helpers/fake-job-chain.ts';

const RESULT: TrainedAiMintInput = {
  resultCid: 'bafkreiresultofidenticalterms',
  checkpointRoot: `0x${'ab'.repeat(32)}`,
  lineage: [{ parentId: 5n, shareBps: 3_000 }],
};

/** What settlement records once a token is the job's. */
const claimInto = (record: JobRecord) => (tokenId: bigint) =>
  record.update({
    step: 'minted',
    outcome: { trainedAssetId: String(tokenId), resultPath: join(record.dir, 'result.safetensors'), resultCid: '' },
  });

describe('TrainedAI mint: once per job', () => {
  let root: string;
  let chain: FakeChain;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-trained-mint-'));
    chain = fakeJobChain();
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const job = (jobId: bigint) => JobRecord.create(root, jobId, new TextEncoder().encode(`ticket ${jobId}`));

  it('a requester restarted after the mint, before recording it, takes the minted token instead of minting again', async () => {
    const record = await job(1n);
    const crashed = new TrainedAiMinter(chain.ctx).mintOnce(record, RESULT, async () => {
      throw new Error('killed before the outcome was written');
    });
    await expect(crashed).rejects.toThrow(/killed/);
    expect(chain.minted).toHaveLength(1);

    const reloaded = await JobRecord.load(root, 1n);
    expect(reloaded?.state.step).toBe('escrowed');
    if (!reloaded) throw new Error('record lost');
    const tokenId = await new TrainedAiMinter(chain.ctx).mintOnce(reloaded, RESULT, claimInto(reloaded));
    expect(tokenId).toBe(chain.minted[0]?.tokenId);
    expect(chain.minted).toHaveLength(1);
    expect((await JobRecord.load(root, 1n))?.state.outcome?.trainedAssetId).toBe(String(tokenId));
  });

  it('a second job with identical terms mints its own TrainedAI, and its restart does not mint a third', async () => {
    const minter = new TrainedAiMinter(chain.ctx);
    const first = await job(1n);
    const second = await job(2n);
    const firstToken = await minter.mintOnce(first, RESULT, claimInto(first));
    const secondToken = await minter.mintOnce(second, RESULT, claimInto(second));
    expect(secondToken).not.toBe(firstToken);
    expect(chain.minted.map((m) => m.tokenId)).toEqual([firstToken, secondToken]);
    expect(chain.minted.every((m) => m.kind === AssetKind.TrainedAI && m.manifestCid === RESULT.resultCid)).toBe(true);

    // the second job's outcome lost in a crash: a restarted requester gives it back its own token, not the first's
    const lost = await job(2n);
    const again = await new TrainedAiMinter(chain.ctx).mintOnce(lost, RESULT, claimInto(lost));
    expect(again).toBe(secondToken);
    expect(chain.minted).toHaveLength(2);
  });

  it('identical jobs settling at once get one TrainedAI each', async () => {
    const minter = new TrainedAiMinter(chain.ctx);
    const records = await Promise.all([job(1n), job(2n), job(3n)]);
    const tokens = await Promise.all(records.map((r) => minter.mintOnce(r, RESULT, claimInto(r))));
    expect(new Set(tokens).size).toBe(3);
    expect(chain.minted).toHaveLength(3);
  });

  it('a job that minted before a crash and an identical one that had not both end up with one token each', async () => {
    const crashedJob = await job(1n);
    await new TrainedAiMinter(chain.ctx)
      .mintOnce(crashedJob, RESULT, async () => {
        throw new Error('killed');
      })
      .catch(() => undefined);
    const minter = new TrainedAiMinter(chain.ctx);
    const other = await job(2n);
    const otherToken = await minter.mintOnce(other, RESULT, claimInto(other));
    const crashedToken = await minter.mintOnce(crashedJob, RESULT, claimInto(crashedJob));
    expect(new Set([otherToken, crashedToken]).size).toBe(2);
    expect(chain.minted).toHaveLength(2);
  });

  it('a different result is never taken for this job', async () => {
    const minter = new TrainedAiMinter(chain.ctx);
    const other = await job(1n);
    await minter.mintOnce(other, { ...RESULT, resultCid: 'bafkreiotherresult' }, async () => undefined);
    const record = await job(2n);
    const tokenId = await minter.mintOnce(record, RESULT, claimInto(record));
    expect(chain.minted).toHaveLength(2);
    expect(tokenId).toBe(chain.minted[1]?.tokenId);
  });
});
