import type { Abi, Address } from 'viem';
import { describe, expect, it } from 'vitest';
import { artifacts } from '../../src/artifacts/index.ts';
import { NO_PERMIT } from '../../src/types.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { eventsIn, expectEvent, expectRevert, mined, normalized } from './behaviors/chain-assertions.ts';
import { AIC, now, travel, users, watchBalances } from './behaviors/ledger-helpers.ts';
import { useScenario } from './behaviors/scenario.ts';

const EMISSION = 1_000_000n * AIC; // the minimal preset's emission per epoch
const CAP = 20_000_000n; // the preset's maxRewardWeiPerScore: 2 % of a 1-gwei score unit
/** Scores this large make the whole emission releasable under the cap (EMISSION / CAP = 5e16 score units). */
const BIG = 10n ** 17n;

interface Set {
  contributors: Address[];
  scores: bigint[];
  penalized: Address[];
  penalties: bigint[];
}

const scoresOf = (contributors: Address[], scores: bigint[], penalized: Address[] = [], penalties: bigint[] = []) =>
  ({ contributors, scores, penalized, penalties }) satisfies Set;

/** Moves the clock to the middle of epoch `epoch` (far from both boundaries, so the next transactions stay in it). */
async function goToEpoch(f: Fixture, epoch: bigint) {
  const [genesis, duration] = await f.as(f.roles.admin).rewards.read.schedule();
  const target = genesis + BigInt(duration) * epoch + BigInt(duration) / 2n;
  const at = await now(f);
  if (target <= at) throw new Error(`already past the middle of epoch ${epoch}`);
  await travel(f, target - at);
}

async function stake(f: Fixture, rater: Address, amount: bigint) {
  const pool = f.as(rater).rewards;
  await mined(f.publicClient, pool.write.stakeAsRater([amount, await f.as(rater).signPermit(pool.address, amount)]));
}

async function propose(f: Fixture, rater: Address, epoch: bigint, set: Set) {
  return mined(f.publicClient, f.as(rater).rewards.write.proposeScores([epoch, set]));
}

async function closeWindow(f: Fixture) {
  const { challengeWindowSec } = await f.as(f.roles.admin).rewards.read.roundParams();
  await travel(f, challengeWindowSec);
}

/** Epoch `epoch` ends, `rater` proposes `set` unopposed, the window closes and anyone applies it. */
async function applyUnopposed(f: Fixture, rater: Address, epoch: bigint, set: Set) {
  await goToEpoch(f, epoch + 1n);
  await propose(f, rater, epoch, set);
  await closeWindow(f);
  return mined(f.publicClient, f.as(rater).rewards.write.applyScores([epoch, set]));
}

async function claim(f: Fixture, contributor: Address): Promise<bigint> {
  const receipt = await mined(f.publicClient, f.as(contributor).rewards.write.claim());
  const [claimed] = eventsIn(receipt, f.as(contributor).rewards, 'RewardClaimed');
  return claimed?.amount as bigint;
}

describe('RewardsPool', () => {
  // carol and dave are honest raters (1,000 AIC each), erin a lying one (500 AIC).
  const scenario = useScenario(async (f) => {
    const { carol, dave, erin } = users(f);
    await stake(f, carol, 1_000n * AIC);
    await stake(f, dave, 1_000n * AIC);
    await stake(f, erin, 500n * AIC);
  });

  describe('per-epoch emission', () => {
    it("splits an ended epoch's emission pro rata to the applied scores and pays it on claim", async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      const pool = f.as(alice).rewards;
      expect(await pool.read.currentEpoch()).toBe(0n);
      const receipt = await applyUnopposed(f, carol, 0n, scoresOf([alice, bob], [BIG, 3n * BIG]));
      expectEvent(receipt, pool, 'ScoreRecorded', { epoch: 0n, contributor: alice, score: BIG });
      expectEvent(receipt, pool, 'EpochFinalized', { epoch: 0n, totalScore: 4n * BIG, emission: EMISSION });
      const watch = await watchBalances(f, [alice, bob, pool.address]);
      expect(await pool.read.claimable([bob])).toBe((EMISSION * 3n) / 4n);
      expect(await claim(f, alice)).toBe(EMISSION / 4n);
      expect(await claim(f, bob)).toBe((EMISSION * 3n) / 4n);
      expect(await watch.delta()).toEqual([EMISSION / 4n, (EMISSION * 3n) / 4n, -EMISSION]);
      expect(await pool.read.reserved()).toBe(0n);
      expect(normalized(await pool.read.accountOf([bob]))).toEqual({ score: 3n * BIG, epoch: 0n });
    });

    it('releases only what verified value supports (cap per score unit): the rest stays in the pool', async () => {
      const { f } = scenario();
      const { alice, carol } = users(f);
      const pool = f.as(alice).rewards;
      const availableBefore = await pool.read.available();
      const receipt = await applyUnopposed(f, carol, 0n, scoresOf([alice], [1_000n]));
      expectEvent(receipt, pool, 'EpochFinalized', { epoch: 0n, totalScore: 1_000n, emission: 1_000n * CAP });
      expect(await claim(f, alice)).toBe(1_000n * CAP);
      expect(await pool.read.available()).toBe(availableBefore - 1_000n * CAP);
    });

    it('pays an epoch its emission minus rounding dust below one wei per contributor', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      await mined(f.publicClient, f.as(f.roles.admin).rewards.write.setEmissionPerEpoch([1_000n]));
      await applyUnopposed(f, carol, 0n, scoresOf([alice, bob, carol], [3n, 5n, 7n]));
      const { emission } = await f.as(alice).rewards.read.epochInfo([0n]);
      const paid = [await claim(f, alice), await claim(f, bob), await claim(f, carol)];
      // 1,000 × 3/15, 5/15, 7/15 rounded down: 199 + 333 + 466 = 998.
      expect(paid).toEqual([199n, 333n, 466n]);
      expect(emission).toBe(998n);
      expect(await f.as(alice).rewards.read.reserved()).toBe(0n);
    });

    it('accumulates rewards over several epochs into one claim', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      await applyUnopposed(f, carol, 0n, scoresOf([alice, bob], [BIG, BIG]));
      await applyUnopposed(f, carol, 1n, scoresOf([alice], [BIG]));
      expect(await claim(f, alice)).toBe(EMISSION / 2n + EMISSION);
      expect(await claim(f, bob)).toBe(EMISSION / 2n);
    });

    it('never promises more than the pool holds: an emission above what is available releases what is left', async () => {
      const { f } = scenario();
      const { alice, carol } = users(f);
      const pool = f.as(alice).rewards;
      const everything = await pool.read.available();
      await mined(f.publicClient, f.as(f.roles.admin).rewards.write.setEmissionPerEpoch([everything * 2n]));
      await applyUnopposed(f, carol, 0n, scoresOf([alice], [10n ** 21n]));
      expect(await claim(f, alice)).toBe(everything);
      expect(await pool.read.available()).toBe(0n);
      // The raters' stake is not emission: it is still there.
      expect(await f.as(alice).balanceOf(pool.address)).toBe(2_500n * AIC);
    });
  });

  describe('score rounds: propose, challenge, apply', () => {
    it('applies the set the most stake backs when a lying rater is challenged, and slashes the liar', async () => {
      const { f } = scenario();
      const { alice, bob, carol, dave, erin } = users(f);
      const pool = f.as(alice).rewards;
      const lie = scoresOf([erin], [BIG]);
      const truth = scoresOf([alice, bob], [BIG, BIG]);
      await goToEpoch(f, 1n);
      const proposed = await propose(f, erin, 0n, lie);
      const lieHash = await pool.read.hashScoreSet([0n, lie]);
      expectEvent(proposed, pool, 'ScoresProposed', { epoch: 0n, setHash: lieHash, rater: erin });
      // The challenge carries the recomputed set; dave backs it by hash.
      await propose(f, carol, 0n, truth);
      const truthHash = await pool.read.hashScoreSet([0n, truth]);
      await mined(f.publicClient, f.as(dave).rewards.write.backScores([0n, truthHash]));
      expect(await pool.read.backingOf([0n, truthHash])).toBe(2_000n * AIC);
      expect(await pool.read.backingOf([0n, lieHash])).toBe(500n * AIC);
      await expectRevert(pool.write.applyScores([0n, truth]), 'ChallengeWindowOpen');
      await closeWindow(f);
      await expectRevert(pool.write.applyScores([0n, lie]), 'NotTheLeadingSet', [0n, truthHash, lieHash]);
      const applied = await mined(f.publicClient, pool.write.applyScores([0n, truth]));
      expectEvent(applied, pool, 'ScoresApplied', { epoch: 0n, setHash: truthHash, backingStake: 2_000n * AIC });
      expect(await claim(f, alice)).toBe(EMISSION / 2n);
      await expectRevert(f.as(erin).rewards.write.claim(), 'NothingToClaim', [erin]);
      // The liar loses half its stake (the preset's raterSlashBps) on its next action; the cut stays in the pool.
      expect((await pool.read.raterOf([erin])).stake).toBe(250n * AIC);
      const availableBefore = await pool.read.available();
      const unstaked = await mined(f.publicClient, f.as(erin).rewards.write.unstakeAsRater([250n * AIC]));
      expectEvent(unstaked, pool, 'RaterSlashed', { rater: erin, epoch: 0n, amount: 250n * AIC });
      expect(await pool.read.available()).toBe(availableBefore + 250n * AIC);
      expect((await pool.read.raterOf([carol])).stake).toBe(1_000n * AIC); // the honest keep everything
    });

    it('refuses proposals for an epoch not yet ended or out of order, and after the window', async () => {
      const { f } = scenario();
      const { alice, carol, dave } = users(f);
      const set = scoresOf([alice], [1n]);
      await expectRevert(f.as(carol).rewards.write.proposeScores([0n, set]), 'EpochNotOpen', [0n, 0n, 0n]);
      await goToEpoch(f, 2n);
      await expectRevert(f.as(carol).rewards.write.proposeScores([1n, set]), 'EpochNotOpen', [1n, 0n, 2n]);
      await propose(f, carol, 0n, set);
      await expectRevert(f.as(carol).rewards.write.proposeScores([0n, set]), 'AlreadyBacked', [carol, 0n]);
      await closeWindow(f);
      await expectRevert(f.as(dave).rewards.write.proposeScores([0n, set]), 'ChallengeWindowClosed');
    });

    it('lets only staked raters propose, and locks their stake until the epoch they back is applied', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      const set = scoresOf([alice], [1n]);
      await goToEpoch(f, 1n);
      await expectRevert(f.as(bob).rewards.write.proposeScores([0n, set]), 'NotARater', [bob, 0n]);
      await expectRevert(f.as(bob).rewards.write.proposeScores([0n, { ...set, scores: [] }]), 'LengthMismatch', [
        1n,
        0n,
      ]);
      await propose(f, carol, 0n, set);
      await expectRevert(f.as(carol).rewards.write.unstakeAsRater([1n]), 'StakeLocked', [carol, 0n]);
      await closeWindow(f);
      await mined(f.publicClient, f.as(alice).rewards.write.applyScores([0n, set]));
      const watch = await watchBalances(f, [carol]);
      await mined(f.publicClient, f.as(carol).rewards.write.unstakeAsRater([1_000n * AIC]));
      expect(await watch.delta()).toEqual([1_000n * AIC]);
    });

    it('skips an epoch nobody proposed for once the next one has ended too', async () => {
      const { f } = scenario();
      const { alice, carol } = users(f);
      const pool = f.as(alice).rewards;
      await goToEpoch(f, 1n);
      await expectRevert(pool.write.skipEpoch([0n]), 'NotSkippable', [0n]);
      await goToEpoch(f, 2n);
      expectEvent(await mined(f.publicClient, pool.write.skipEpoch([0n])), pool, 'EpochSkipped', { epoch: 0n });
      expect(await pool.read.nextEpochToApply()).toBe(1n);
      await propose(f, carol, 1n, scoresOf([alice], [BIG]));
      await closeWindow(f);
      await mined(f.publicClient, pool.write.applyScores([1n, scoresOf([alice], [BIG])]));
      expect(await pool.read.claimable([alice])).toBe(EMISSION);
    });
  });

  describe('penalties', () => {
    it("claws a penalty back from the contributor's unclaimed rewards into the pool, never below zero", async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      const pool = f.as(alice).rewards;
      await applyUnopposed(f, carol, 0n, scoresOf([alice, bob], [BIG, BIG]));
      const availableBefore = await pool.read.available();
      const receipt = await applyUnopposed(f, carol, 1n, scoresOf([alice], [BIG], [bob, alice], [AIC, EMISSION * 9n]));
      expectEvent(receipt, pool, 'ScorePenalized', { epoch: 1n, contributor: bob, amount: AIC });
      expectEvent(receipt, pool, 'ScorePenalized', { epoch: 1n, contributor: alice, amount: EMISSION + EMISSION / 2n });
      expect(await pool.read.claimable([bob])).toBe(EMISSION / 2n - AIC);
      expect(await pool.read.claimable([alice])).toBe(0n);
      // Epoch 1 released EMISSION, the penalties gave back 1 AIC + 1.5 × EMISSION.
      expect(await pool.read.available()).toBe(availableBefore + EMISSION / 2n + AIC);
    });
  });

  describe('consumer ratings', () => {
    it('records a rating 0..100 of an asset, a GPU provider or a storage provider, and refuses anything else', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const pool = f.as(alice).rewards;
      const receipt = await mined(f.publicClient, pool.write.rate([1, BigInt(bob), 35]));
      expectEvent(receipt, pool, 'Rated', { rater: alice, kind: 1, id: BigInt(bob), rating: 35 });
      await expectRevert(pool.write.rate([0, 7n, 101]), 'InvalidRating', [0, 101]);
      await expectRevert(pool.write.rate([3, 7n, 50]), 'InvalidRating', [3, 50]);
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
        args: [
          f.deployment.contracts.AICToken,
          alice,
          0,
          EMISSION,
          CAP,
          { minRaterStake: AIC, challengeWindowSec: 60, slashBps: 5_000 },
        ],
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
