/**
 * `npm start`'s demo job (`--nodes 0`: the parties act in the devnet process): escrow → allocation by the chain's
 * seed → deterministic training with commitments → verification of sampled segments → settlement → TrainedAI with
 * lineage. Checked on the chain the devnet serves (events and state read with viem), against amounts computed here
 * from the devnet preset and the assets' on-chain prices — not against the devnet's own log lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PRESETS } from '@aic/core/params';
import { createLedgerClient, jobStateName, parseDeployment } from '@aic/ledger';
import { createPublicClient, http } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { assetUsage, settledJobs } from '../helpers/chain-facts.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const BPS = 10_000n;

describe('devnet demo job', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('settles one job on chain with the preset’s fee, the assets’ prices and nothing lost, mints the TrainedAI, and posts the scores the rating formula gives', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-demo-'));
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'apps/devnet/src/main.ts', '--nodes', '0', '--port', '0', '--data-dir', dataDir],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    let rpcUrl = '';
    // The log is only the signal that the demo is over (scores posted); every check below reads the chain.
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).on('line', (line) => {
        lines.push(line);
        rpcUrl ||= /RPC (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? '';
        if (/rewards: (epoch \d+ score|nothing to score)/.test(line)) resolve();
        if (/demo job failed/.test(line)) reject(new Error(lines.join('\n')));
      });
      child!.stderr!.on('data', (d: Buffer) => lines.push(d.toString()));
      child!.on('exit', (code) => reject(new Error(`devnet exited (${code}):\n${lines.join('\n')}`)));
    });
    expect(rpcUrl).not.toBe('');
    const deployment = parseDeployment(JSON.parse(await readFile(join(dataDir, 'deployment.json'), 'utf8')));
    const ledger = createLedgerClient({ publicClient: createPublicClient({ transport: http(rpcUrl) }), deployment });

    // One job, settled, with the fee the devnet preset sets and the prices its assets carry on chain.
    const jobs = await settledJobs(ledger);
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(jobStateName((await ledger.market.read.jobOf([job.jobId])).state)).toBe('Settled');
    const feeBps = BigInt(PRESETS.devnet.contracts.protocolFeeBps);
    expect(job.protocolFee).toBe((job.providerPaid * feeBps) / BPS);
    expect(job.datasetFee).toBe((await ledger.registry.read.assetOf([job.datasetId])).pricePerUse);
    expect(job.modelFee).toBe((await ledger.registry.read.assetOf([job.modelId])).pricePerUse);
    expect(job.verifierFee).toBeGreaterThan(0n);
    // Conservation: the escrow is spent on exactly the payouts and the refund.
    const paidOut = job.providerPaid + job.protocolFee + job.datasetFee + job.modelFee + job.verifierFee;
    expect(job.escrowWei).toBe(paidOut + job.refund);

    // The trained model is an NFT of the requester.
    const minted = await ledger.publicClient.getContractEvents({
      address: deployment.contracts.AssetRegistry,
      abi: ledger.registry.abi,
      eventName: 'AssetMinted',
      fromBlock: 0n,
    });
    const trained = minted.at(-1)!.args as { tokenId: bigint };
    expect(trained.tokenId).toBeGreaterThan(job.modelId);
    expect((await ledger.registry.read.ownerOf([trained.tokenId])).toLowerCase()).toBe(job.requester);
    const lineage = await ledger.registry.read.lineageOf([trained.tokenId]);
    expect(lineage.map((l) => l.parentId)).toEqual([job.datasetId, job.modelId]);

    // Scores: per asset, score = ⌊⌊usage · 5,000 / 10,000⌋ / 1e9⌋ (usage weight 50 %, neutral quality, no work units,
    // score unit 1 gwei; packages/rating/src/score.ts), summed per owner — computed here from the raw fee events.
    const expected = new Map<string, bigint>();
    for (const { owner, usageWei } of (await assetUsage(ledger, jobs)).values()) {
      expected.set(owner, (expected.get(owner) ?? 0n) + (usageWei * 5_000n) / BPS / 10n ** 9n);
    }
    const recorded = await ledger.publicClient.getContractEvents({
      address: deployment.contracts.RewardsPool,
      abi: ledger.rewards.abi,
      eventName: 'ScoreRecorded',
      fromBlock: 0n,
    });
    const posted = new Map(recorded.map((e) => [e.args.contributor!.toLowerCase(), e.args.score!]));
    expect(expected.size).toBeGreaterThan(0);
    for (const [owner, score] of expected) expect(posted.get(owner), owner).toBe(score);
  });
});
