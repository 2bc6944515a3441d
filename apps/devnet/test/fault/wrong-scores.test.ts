/**
 * Issue 15, done-when 3: the rater is a node role, and a wrong score posting is challenged and corrected by other
 * nodes. Three real node processes run `--rater` on the devnet chain; one lies (fault injection: it proposes a set
 * that pays itself everything). It proposes first; the two honest raters, started after its proposal, recompute the
 * epoch from the chain, challenge with the set they computed and back it; when the window closes the honest set is
 * applied (the majority of rater stake), the dataset owner can claim its reward and the liar has lost half its stake.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetKind } from '@aic/ledger';
import { createDevClients } from '@aic/ledger/devchain';
import { type Address, getAddress, type Hex, keccak256, toHex } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { type DevnetChain, startDevnetChain } from '../../src/chain.ts';
import { type DevnetNodes, devAccountKey, startDevnetNodes } from '../../src/nodes.ts';

const AIC = 10n ** 18n;
const WINDOW_SEC = 60;

describe('the rater node role', () => {
  let chain: DevnetChain | undefined;
  const groups: DevnetNodes[] = [];
  afterAll(async () => {
    for (const g of groups) await g.stop();
    await chain?.close();
  });

  it('corrects a wrong score posting: honest raters challenge it, their set is applied, the liar is slashed', {
    timeout: 300_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-raters-'));
    const lines: string[] = [];
    chain = await startDevnetChain({
      port: 0,
      dataDir,
      blockIntervalMs: 1_000,
      log: (l) => lines.push(l),
      scoreChallengeWindowSec: WINDOW_SEC,
    });
    // This test moves the chain's time itself (to end the epoch and close the window): no catch-up mining.
    chain.clock.stop();
    const c = chain;
    const { as, testClient } = createDevClients(c.chain, c.dev.deployment);
    const [, , , owner, payer] = c.dev.roles.users as Address[];
    const pool = as(owner!).rewards;
    const travel = async (seconds: number) => {
      await testClient.increaseTime({ seconds });
      await testClient.mine({ blocks: 1 });
    };
    const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000): Promise<T> => {
      const deadline = Date.now() + ms;
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${lines.slice(-40).join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };

    // Epoch 0's usage: an unrelated payer buys 3 uses of the owner's dataset.
    const { tokenId } = await as(owner!).mintAsset({
      kind: AssetKind.Dataset,
      manifestCid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
      contentRoot: keccak256(toHex('rated by nodes')),
      pricePerUseWei: 2n * AIC,
    });
    const { paidWei } = await as(payer!).buyUses(tokenId, 3n);

    const start = (name: string, keys: number[], env: Record<string, string>) =>
      startDevnetNodes({
        count: keys.length,
        rpcUrl: c.rpcUrl,
        deploymentFile: c.deploymentFile,
        dataDir: join(dataDir, name),
        privateKeys: keys.map(devAccountKey),
        demoActivity: false,
        argsOf: () => ['--rater', '--log-level', 'info'],
        envOf: () => env,
        onEvent: (e) => lines.push(`${name}: ${JSON.stringify(e)}`),
      });
    const liarGroup = await start('liar', [12], { AIC_FAULT_WRONG_SCORES: '1' });
    groups.push(liarGroup);
    const liar = getAddress(liarGroup.nodes[0]!.address);
    await until('the liar to stake', async () => ((await pool.read.raterOf([liar])).stake > 0n ? true : undefined));

    // Epoch 0 ends: the liar proposes its wrong set first.
    await travel(3_600);
    const lie = await until('the wrong proposal', async () => {
      const [first] = await pool.getEvents.ScoresProposed({ epoch: 0n }, { fromBlock: 0n, toBlock: 'latest' });
      return first?.args;
    });
    expect(lie.rater).toBe(liar);
    expect(lie.set?.contributors).toEqual([liar]);

    const honestGroup = await start('honest', [13, 14], {});
    groups.push(honestGroup);
    const honest = honestGroup.nodes.map((n) => getAddress(n.address));
    // The honest set, worked out here from the one payment (usage weight 50 %, neutral quality, 1 gwei a unit).
    const truth = {
      contributors: [getAddress(owner!)],
      scores: [(paidWei * 5_000n) / 10_000n / 10n ** 9n],
      penalized: [] as Address[],
      penalties: [] as bigint[],
    };
    const truthHash: Hex = await pool.read.hashScoreSet([0n, truth]);
    await until('both honest raters to back the recomputed set', async () =>
      (await pool.read.backingOf([0n, truthHash])) === 2_000n * AIC ? true : undefined,
    );
    const challenge = (await pool.getEvents.ScoresProposed({ epoch: 0n }, { fromBlock: 0n, toBlock: 'latest' }))[1];
    expect(honest).toContain(challenge?.args.rater);
    expect(challenge?.args.setHash).toBe(truthHash);

    // The window closes; a rater applies the set the most stake backs.
    await travel(WINDOW_SEC);
    const applied = await until('the scores to be applied', async () => {
      const [event] = await pool.getEvents.ScoresApplied({ epoch: 0n }, { fromBlock: 0n, toBlock: 'latest' });
      return event?.args;
    });
    expect(applied.setHash).toBe(truthHash);
    expect(await pool.read.claimable([owner!])).toBeGreaterThan(0n);
    expect(await pool.read.claimable([liar])).toBe(0n);
    // The liar loses half its 1,000 AIC (raterSlashBps) on its next action (its node then tops its stake up again).
    const slashed = await until('the liar to be slashed', async () => {
      const [event] = await pool.getEvents.RaterSlashed({ rater: liar }, { fromBlock: 0n, toBlock: 'latest' });
      return event?.args;
    });
    expect(slashed).toMatchObject({ epoch: 0n, amount: 500n * AIC });
    for (const h of honest) expect((await pool.read.raterOf([h])).stake).toBe(1_000n * AIC);
    expect(lines.some((l) => l.includes('rater challenged a score set'))).toBe(true);
  });
});
