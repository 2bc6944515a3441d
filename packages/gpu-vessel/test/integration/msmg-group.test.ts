import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensorFromArray, writeSafetensors } from '@aic/core/safetensors';
import { createDevClients, deployDevnet, devAccountKey, startEmbeddedChain } from '@aic/ledger/devchain';
import { irisTemplate, type JobSpec, trainJob } from '@aic/model-vessel';
import { addressFromPrivateKey } from '@aic/network';
import { type Address, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMsmgGroup } from '../../src/msmg/group-supervisor.ts';
import { payWorkerShares } from '../../src/msmg/pay-workers.ts';
import { workerShares } from '../../src/msmg/worker-shares.ts';

const spec: JobSpec = {
  manifest: irisTemplate.manifest,
  backend: 'cpu',
  seed: 11,
  commitEverySteps: 8,
  hyperparameters: { epochs: 30, batchSize: 16 },
  microbatches: 6,
};
const jobKey = `0x${'ab'.repeat(32)}` as const;
const key = (i: number) => toHex(devAccountKey(i));

let dir: string;
let dataPath: string;
let reference: { root: `0x${string}`; weightsHash: `0x${string}`; steps: number };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aic-msmg-'));
  const { train } = await irisTemplate.loadData();
  dataPath = join(dir, 'train.safetensors');
  await writeFile(
    dataPath,
    writeSafetensors({
      features: tensorFromArray(train.features, [train.count, ...train.featureShape]),
      labels: tensorFromArray(train.labels, [train.count, 1]),
    }),
  );
  const one = await trainJob(spec, train);
  one.model.dispose();
  reference = { root: one.commitmentRoot, weightsHash: one.weightsHash, steps: one.steps };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Done-when 1 (MSMG): real worker processes on 127.0.0.1, the all-reduce over libp2p streams between them.
describe('an MSMG job on worker processes', () => {
  for (const workers of [2, 3]) {
    it(`trains on ${workers} processes to the one-worker commitment root`, async () => {
      const result = await runMsmgGroup({
        jobKey,
        spec,
        dataPath,
        keys: Array.from({ length: workers }, (_, r) => key(14 + r)),
        dir: join(dir, `run-${workers}`),
      });
      expect(result.attempts).toBe(1);
      expect(result.steps).toBe(reference.steps);
      expect(result.commitmentRoot).toBe(reference.root);
      expect(result.weightsHash).toBe(reference.weightsHash);
      for (const done of result.done) expect(done.bytesSent).toBeGreaterThan(0);
    });
  }

  it('replaces a killed worker from the last verified checkpoint, ends on the same root and pays every worker its share', async () => {
    let killedAt: number | undefined;
    const result = await runMsmgGroup({
      jobKey,
      spec,
      dataPath,
      keys: [key(14), key(15), key(16)],
      spareKeys: [key(17)],
      dir: join(dir, 'run-killed'),
      onEvent: (event, worker) => {
        if (
          event.event === 'checkpoint' &&
          worker.attempt === 0 &&
          worker.rank === 1 &&
          event.step >= 16 &&
          !killedAt
        ) {
          killedAt = event.step;
          worker.process.kill('SIGKILL');
        }
      },
    });
    expect(killedAt).toBeDefined();
    expect(result.attempts).toBe(2);
    expect(result.commitmentRoot).toBe(reference.root);
    expect(result.weightsHash).toBe(reference.weightsHash);
    const resumedAt = result.work.find((w) => w.attempt === 1)?.fromStep ?? 0;
    expect(resumedAt).toBeGreaterThanOrEqual(16);
    // the replacement (account 17) holds rank 1 after the loss
    expect(result.work.filter((w) => w.attempt === 1 && w.rank === 1).map((w) => w.account)).toEqual([
      addressFromPrivateKey(key(17)),
    ]);

    // pay: the lead (rank 0, account 14) got the job's pay from the market; it passes each worker its share
    const chain = await startEmbeddedChain();
    try {
      const dev = await deployDevnet(chain.provider, chain.accounts);
      const { as } = createDevClients(chain, dev.deployment);
      const lead = as(chain.accounts[14] as Address);
      const amount = 9_000_000_000_000_000_000n; // 9 AIC
      const shares = workerShares(result.work, { microbatches: 6, workers: 3 }, amount);
      expect(shares.map((s) => s.account.toLowerCase()).sort()).toEqual(
        [14, 15, 16, 17].map((i) => (chain.accounts[i] as string).toLowerCase()).sort(),
      );
      expect(shares.reduce((s, x) => s + x.wei, 0n)).toBe(amount);
      const before = await Promise.all(shares.map((s) => lead.balanceOf(s.account)));
      const leadBefore = await lead.balanceOf(lead.account());
      const paid = await payWorkerShares(lead, shares);
      expect(paid.filter((p) => p.tx).length).toBe(3);
      for (const [i, share] of shares.entries()) {
        const after = await lead.balanceOf(share.account);
        const isLead = share.account.toLowerCase() === lead.account().toLowerCase();
        expect(share.wei).toBeGreaterThan(0n);
        if (!isLead) expect(after - (before[i] as bigint)).toBe(share.wei);
      }
      const leadShare = shares.find((s) => s.account.toLowerCase() === lead.account().toLowerCase())?.wei ?? 0n;
      expect(leadBefore - (await lead.balanceOf(lead.account()))).toBe(amount - leadShare);
      // the killed worker is paid for the steps up to the checkpoint the group resumed from, and no more
      const killed = shares.find((s) => s.account.toLowerCase() === (chain.accounts[15] as string).toLowerCase());
      expect(killed?.units).toBe(2n * BigInt(resumedAt));
    } finally {
      await chain.close();
    }
  });
});
