/**
 * Proof of Value on the devnet: after `npm start`'s demo job the rater posts the epoch's scores; `aic rewards status`
 * on the data owner's node shows its new score, which is what the rating formula gives for the dataset and model fees
 * read from the chain's raw events (computed in the test, not by the rating engine).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createLedgerClient, parseDeployment } from '@aic/ledger';
import { createPublicClient, getAddress, http } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { computeScoresFromChain } from '../../src/post-scores.ts';
import { assetUsage, settledJobs } from '../helpers/chain-facts.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const TREASURY = getAddress('0x976EA74026E726554dB657fA54763abd0C3a0aa9'); // dev account 6

function aic(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), ...args],
      { cwd: ROOT },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('Proof-of-Value rewards on the devnet', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('posts the scores the rating formula gives for the job’s fees, shows them in aic rewards status, and pays the claim', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-pov-'));
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'apps/devnet/src/main.ts', '--port', '0', '--data-dir', dataDir],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        // The devnet's RPC refuses evm_* from other processes; this test alone may close the epoch early.
        env: { ...process.env, AIC_DEVNET_RPC_ALLOW: 'evm_increaseTime' },
      },
    );
    const lines: string[] = [];
    const posted = new Promise<void>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).on('line', (line) => {
        lines.push(line);
        if (/rewards: epoch 0 score \d+ for data owner/.test(line)) resolve();
        if (/demo job failed/.test(line)) reject(new Error(lines.join('\n')));
      });
      child!.on('exit', (code) => reject(new Error(`devnet exited (${code}):\n${lines.join('\n')}`)));
    });
    await posted;
    const output = lines.join('\n');
    // `npm start` showed the verified job across its nodes: assigned by the coordinator, verified, settled, minted.
    expect(output).toMatch(/node 4 \(coordinator\) job assigned/);
    expect(output).toMatch(/verdict submitted/);
    expect(output).toMatch(/job: TrainedAI #3 minted, lineage #1 30 %, #2 20 %/);
    const rpcUrl = /ready in .* RPC (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
    const dataOwnerApi = /node 3 \(data-owner\) ready: api (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
    // The data owner's node directory: `aic` sends writes with the API token it finds there (<dir>/node/api-token).
    const ownerDir = join(dataDir, 'node-3-data-owner');

    const status = await aic(['--data-dir', ownerDir, '--api', dataOwnerApi, '--json', 'rewards', 'status']);
    expect(status.code, status.stderr).toBe(0);
    const standing = JSON.parse(status.stdout) as { score: string; scoreEpoch: number; address: string };
    expect(BigInt(standing.score)).toBeGreaterThan(0n);
    expect(standing.scoreEpoch).toBe(0);

    // Recompute from the chain's events (up to the block before the posting) and compare with what was posted.
    const deployment = parseDeployment(JSON.parse(await readFile(join(dataDir, 'deployment.json'), 'utf8')));
    const ledger = createLedgerClient({ publicClient: createPublicClient({ transport: http(rpcUrl) }), deployment });
    const recorded = await ledger.publicClient.getContractEvents({
      address: deployment.contracts.RewardsPool,
      abi: ledger.rewards.abi,
      eventName: 'ScoreRecorded',
      fromBlock: 0n,
    });
    expect(recorded.length).toBeGreaterThan(0);
    const postBlock = recorded[0]!.blockNumber;
    const recomputed = await computeScoresFromChain(ledger, TREASURY, postBlock - 1n);
    const postedScores = new Map(recorded.map((e) => [e.args.contributor!.toLowerCase(), e.args.score!]));
    const nonZero = new Map([...recomputed.scores].filter(([, s]) => s > 0n));
    // A consistency check only (the rater ran the same code on the same logs): the posting covers the whole epoch.
    expect(postedScores).toEqual(nonZero);
    expect(postedScores.get(standing.address.toLowerCase())).toBe(BigInt(standing.score));
    // The independent check: each asset owner's score from the raw fee events, by the formula of
    // packages/rating/src/score.ts (usage weight 50 %, neutral quality, no work units for assets, unit 1 gwei).
    const expected = new Map<string, bigint>();
    for (const { owner, usageWei } of (await assetUsage(ledger, await settledJobs(ledger, postBlock - 1n))).values()) {
      expected.set(owner, (expected.get(owner) ?? 0n) + (usageWei * 5_000n) / 10_000n / 10n ** 9n);
    }
    expect(expected.get(standing.address.toLowerCase())).toBeGreaterThan(0n);
    for (const [owner, score] of expected) expect(postedScores.get(owner), owner).toBe(score);

    // Nothing is claimable until the epoch closes; then `aic rewards claim` pays the node account.
    const early = await aic(['--data-dir', ownerDir, '--api', dataOwnerApi, 'rewards', 'claim']);
    expect(early.code).toBe(1);
    expect(early.stderr.trim()).toMatch(/^REWARDS_CONFLICT: nothing to claim yet/);
    await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_increaseTime', params: [3_600] }),
    });
    const before = await ledger.balanceOf(getAddress(standing.address));
    const claimed = await aic(['--data-dir', ownerDir, '--api', dataOwnerApi, '--json', 'rewards', 'claim']);
    expect(claimed.code, claimed.stderr).toBe(0);
    const paid = BigInt((JSON.parse(claimed.stdout) as { claimedWei: string }).claimedWei);
    expect(paid).toBeGreaterThan(0n);
    expect((await ledger.balanceOf(getAddress(standing.address))) - before).toBe(paid);
  });
});
