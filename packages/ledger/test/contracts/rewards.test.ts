import type { Abi, Address } from 'viem';
import { describe, expect, it } from 'vitest';
import { artifacts } from '../../src/artifacts/index.ts';
import { roleId } from '../../src/deploy.ts';
import { NO_PERMIT } from '../../src/types.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { eventsIn, expectEvent, expectRevert, mined, normalized } from './behaviors/chain-assertions.ts';
import { AIC, now, travel, users, watchBalances } from './behaviors/ledger-helpers.ts';
import { useScenario } from './behaviors/scenario.ts';

const EMISSION = 1_000_000n * AIC; // the minimal preset's emission per epoch

/** Moves the clock to the middle of epoch `epoch` (far from both boundaries, so the next transactions stay in it). */
async function goToEpoch(f: Fixture, epoch: bigint) {
  const [genesis, duration] = await f.as(f.roles.admin).rewards.read.schedule();
  const target = genesis + BigInt(duration) * epoch + BigInt(duration) / 2n;
  const at = await now(f);
  if (target <= at) throw new Error(`already past the middle of epoch ${epoch}`);
  await travel(f, target - at);
}

async function postScores(f: Fixture, contributors: Address[], scores: bigint[]) {
  return mined(f.publicClient, f.as(f.roles.rater).rewards.write.postScores([contributors, scores]));
}

async function claim(f: Fixture, contributor: Address): Promise<bigint> {
  const receipt = await mined(f.publicClient, f.as(contributor).rewards.write.claim());
  const [claimed] = eventsIn(receipt, f.as(contributor).rewards, 'RewardClaimed');
  return claimed?.amount as bigint;
}

describe('RewardsPool', () => {
  const scenario = useScenario(async () => {});

  describe('per-epoch emission', () => {
    it("splits an epoch's emission pro rata to the scores posted in it and pays it on claim", async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const pool = f.as(alice).rewards;
      expect(await pool.read.currentEpoch()).toBe(0n);
      const posted = await postScores(f, [alice, bob], [1n, 2n]);
      await postScores(f, [bob], [1n]); // scores add up within an epoch
      expectEvent(posted, pool, 'ScoreRecorded', { epoch: 0n, contributor: alice, score: 1n });
      await goToEpoch(f, 1n);
      const watch = await watchBalances(f, [alice, bob, pool.address]);
      const receipt = await mined(f.publicClient, pool.write.claim());
      expectEvent(receipt, pool, 'EpochFinalized', { epoch: 0n, totalScore: 4n, emission: EMISSION });
      expectEvent(receipt, pool, 'RewardClaimed', { contributor: alice, amount: EMISSION / 4n });
      expect(await pool.read.claimable([bob])).toBe((EMISSION * 3n) / 4n);
      expect(await claim(f, bob)).toBe((EMISSION * 3n) / 4n);
      expect(await watch.delta()).toEqual([EMISSION / 4n, (EMISSION * 3n) / 4n, -EMISSION]);
      expect(await pool.read.reserved()).toBe(0n);
    });

    it('pays an epoch its emission minus rounding dust below one wei per contributor', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      await mined(f.publicClient, f.as(f.roles.admin).rewards.write.setEmissionPerEpoch([1_000n]));
      await postScores(f, [alice, bob, carol], [3n, 5n, 7n]);
      await goToEpoch(f, 1n);
      await mined(f.publicClient, f.as(alice).rewards.write.finalizeEpochs([1n]));
      const { emission } = await f.as(alice).rewards.read.epochInfo([0n]);
      const paid = [await claim(f, alice), await claim(f, bob), await claim(f, carol)];
      // 1,000 × 3/15, 5/15, 7/15 rounded down: 199 + 333 + 466 = 998 of a releasable 999.
      expect(paid).toEqual([199n, 333n, 466n]);
      const total = paid.reduce((a, b) => a + b);
      expect(emission).toBe(999n);
      expect(emission - total).toBeGreaterThanOrEqual(0n);
      expect(emission - total).toBeLessThan(3n);
      // The dust stays reserved in the pool: it is never promised to a later epoch twice.
      expect(await f.as(alice).rewards.read.reserved()).toBe(emission - total);
    });

    it('accumulates rewards over several epochs into one claim', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      await postScores(f, [alice, bob], [1n, 1n]); // epoch 0: half each
      await goToEpoch(f, 1n);
      await postScores(f, [alice], [5n]); // epoch 1: all to alice
      await goToEpoch(f, 2n);
      expect(await claim(f, alice)).toBe(EMISSION / 2n + EMISSION);
      expect(await claim(f, bob)).toBe(EMISSION / 2n);
    });

    it('releases nothing for an epoch without scores: its emission stays available', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      const pool = f.as(alice).rewards;
      const availableBefore = await pool.read.available();
      await goToEpoch(f, 1n); // epoch 0 stays silent
      await postScores(f, [alice], [1n]);
      await goToEpoch(f, 3n); // epoch 2 silent too
      const receipt = await mined(f.publicClient, pool.write.finalizeEpochs([10n]));
      expect(eventsIn(receipt, pool, 'EpochFinalized').map((e) => e.epoch)).toEqual([1n]);
      expect((await pool.read.epochInfo([0n])).emission).toBe(0n);
      expect((await pool.read.epochInfo([2n])).emission).toBe(0n);
      expect(await pool.read.reserved()).toBe(EMISSION);
      expect(await pool.read.available()).toBe(availableBefore - EMISSION);
    });

    it('never promises more than the pool holds: an emission above the balance releases what is left', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const pool = f.as(alice).rewards;
      const everything = await pool.read.available();
      await mined(f.publicClient, f.as(f.roles.admin).rewards.write.setEmissionPerEpoch([everything * 2n]));
      await postScores(f, [alice], [1n]);
      await goToEpoch(f, 1n);
      await postScores(f, [bob], [1n]);
      await goToEpoch(f, 2n);
      expect(await claim(f, alice)).toBe(everything);
      await expectRevert(f.as(bob).rewards.write.claim(), 'NothingToClaim', [bob]);
      expect(await pool.read.reserved()).toBe(0n);
      expect(await f.as(alice).balanceOf(pool.address)).toBe(0n);
    });
  });

  describe('scores and penalties', () => {
    it('lowers the score and the epoch total by a penalty, never below zero', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const pool = f.as(f.roles.rater).rewards;
      await postScores(f, [alice, bob], [10n, 10n]);
      const cut = await mined(f.publicClient, pool.write.penalize([bob, 4n]));
      expectEvent(cut, pool, 'ScorePenalized', { epoch: 0n, contributor: bob, amount: 4n });
      expect(await pool.read.accountOf([bob])).toEqual({ score: 6n, epoch: 0n });
      expect((await pool.read.epochInfo([0n])).totalScore).toBe(16n);
      await goToEpoch(f, 1n);
      expect(await claim(f, alice)).toBe((EMISSION * 10n) / 16n);
      await postScores(f, [bob], [2n]);
      const capped = await mined(f.publicClient, pool.write.penalize([bob, 5n]));
      expectEvent(capped, pool, 'ScorePenalized', { epoch: 1n, contributor: bob, amount: 2n });
      expect((await pool.read.epochInfo([1n])).totalScore).toBe(0n);
      expect(await claim(f, bob)).toBe((EMISSION * 6n) / 16n); // epoch 0's reward survives the later penalty
    });

    it('lets only RATER_ROLE post scores or penalize', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      const rater = roleId('RATER_ROLE');
      await expectRevert(f.as(alice).rewards.write.postScores([[alice], [1n]]), 'AccessControlUnauthorizedAccount', [
        alice,
        rater,
      ]);
      await expectRevert(f.as(alice).rewards.write.penalize([alice, 1n]), 'AccessControlUnauthorizedAccount', [
        alice,
        rater,
      ]);
    });

    it('rejects contributors and scores of different lengths (LengthMismatch)', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      await expectRevert(f.as(f.roles.rater).rewards.write.postScores([[alice, bob], [1n]]), 'LengthMismatch', [
        2n,
        1n,
      ]);
    });
  });

  describe('claiming', () => {
    it('reverts with NothingToClaim before the scored epoch has ended', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      await expectRevert(f.as(alice).rewards.write.claim(), 'NothingToClaim', [alice]);
      await postScores(f, [alice], [1n]);
      await expectRevert(f.as(alice).rewards.write.claim(), 'NothingToClaim', [alice]);
      expect(await f.as(alice).rewards.read.claimable([alice])).toBe(0n);
    });

    it('refuses to convert scores after more than 64 silent epochs (FinalizationBacklog) until finalizeEpochs catches up', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const pool = f.as(alice).rewards;
      expect(await pool.read.MAX_FINALIZE_PER_CALL()).toBe(64n);
      await postScores(f, [alice], [1n]);
      await goToEpoch(f, 70n);
      await expectRevert(pool.write.claim(), 'FinalizationBacklog', [64n, 70n]);
      await expectRevert(f.as(f.roles.rater).rewards.write.postScores([[bob], [1n]]), 'FinalizationBacklog', [
        64n,
        70n,
      ]);
      await mined(f.publicClient, f.as(bob).rewards.write.finalizeEpochs([64n]));
      expect(await pool.read.claimable([alice])).toBe(EMISSION);
      expect(await claim(f, alice)).toBe(EMISSION);
      await postScores(f, [bob], [1n]);
      expect(normalized(await pool.read.accountOf([bob]))).toEqual({ score: 1n, epoch: 70n });
    });
  });

  describe('funding', () => {
    it('adds AIC to the pool through fundEmission with a permit and no prior approve', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      const pool = f.as(alice).rewards;
      const before = await pool.read.available();
      const permit = await f.as(alice).signPermit(pool.address, 123n * AIC);
      const receipt = await mined(f.publicClient, pool.write.fundEmission([123n * AIC, permit]));
      expectEvent(receipt, pool, 'EmissionFunded', { funder: alice, amount: 123n * AIC });
      expect(await pool.read.available()).toBe(before + 123n * AIC);
    });

    it('fails with ERC20InsufficientAllowance when funding without an approve or a permit', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      const pool = f.as(alice).rewards;
      await expectRevert(pool.write.fundEmission([1n, NO_PERMIT]), 'ERC20InsufficientAllowance', [
        pool.address,
        0n,
        1n,
      ]);
    });

    it('refuses deployment with a zero epoch duration (InvalidEpochDuration)', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      const deploy = f.as(alice).walletClient!.deployContract({
        abi: artifacts.RewardsPool.abi as Abi,
        bytecode: artifacts.RewardsPool.bytecode,
        args: [f.deployment.contracts.AICToken, alice, 0, EMISSION],
      });
      await expectRevert(deploy, 'InvalidEpochDuration', []);
    });

    it('lets only the admin change the emission per epoch', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      const admin = f.as(f.roles.admin).rewards;
      const receipt = await mined(f.publicClient, admin.write.setEmissionPerEpoch([5n]));
      expectEvent(receipt, admin, 'EmissionPerEpochChanged', { emissionPerEpoch: 5n });
      expect((await admin.read.schedule())[2]).toBe(5n);
      await expectRevert(f.as(alice).rewards.write.setEmissionPerEpoch([1n]), 'AccessControlUnauthorizedAccount', [
        alice,
        `0x${'00'.repeat(32)}`,
      ]);
    });
  });
});
