/**
 * The rater role (`--rater`, Proof of Value as a node role): stakes in the RewardsPool, and after each epoch ends
 * recomputes its scores from the chain, proposes them (first rater), backs a proposal equal to its own, or challenges
 * a different one by proposing its own set; once the challenge window closes it applies the set the most stake backs.
 * One `step()` does the next due action; `startRaterRole` runs it on a timer under one start/stop lifecycle.
 */
import { aicToWei, isAicError } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import { type ScoreSet, sameScoreSet } from '@aic/rating';
import type { Address, Hex } from 'viem';
import { createIssueStep, type IssueAction } from './issue-step.ts';
import { type EpochScoreSet, scoreSetFromChain } from './score-set-from-chain.ts';

export interface RaterRoleInit {
  /** Stake kept in the RewardsPool (topped up to this), AIC. */
  stakeAic: string;
  pollIntervalMs: number;
  /** TEST-ONLY fault injection ($AIC_FAULT_WRONG_SCORES): propose a set that pays this rater everything. */
  lie?: boolean;
}

export interface RaterLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** What one step did (for logs and tests). */
export type RaterAction =
  | { kind: 'idle' }
  | { kind: 'staked'; amountWei: bigint }
  | { kind: 'proposed' | 'challenged' | 'backed' | 'applied'; epoch: number; setHash: Hex }
  | IssueAction;

export interface RaterRole {
  /** Does the next due action, if any. */
  step(): Promise<RaterAction>;
}

/** The rater's decisions over one ledger client (its own key). */
export function createRaterRole(init: RaterRoleInit, ledger: LedgerClient, log: RaterLogger): RaterRole {
  const me = ledger.account();
  const pool = ledger.rewards;
  // On the PoV chain (an AICIssuer deployed): a settled epoch's extra issuance is minted before anything else.
  const issuance = createIssueStep(ledger, log);
  const computed = new Map<number, EpochScoreSet>();
  const ownSet = async (epoch: number): Promise<ScoreSet> => {
    let mine = computed.get(epoch);
    if (!mine) {
      mine = await scoreSetFromChain(ledger, epoch);
      computed.clear(); // only the epoch being rated is needed
      computed.set(epoch, mine);
    }
    return init.lie ? lieAbout(mine.set, me) : mine.set;
  };

  const ensureStaked = async (): Promise<RaterAction | undefined> => {
    const target = aicToWei(init.stakeAic);
    const { stake } = await pool.read.raterOf([me]);
    if (stake >= target) return undefined;
    const amount = target - stake;
    const permit = await ledger.signPermit(pool.address, amount);
    await ledger.confirm('RewardsPool.stakeAsRater', () => pool.write.stakeAsRater([amount, permit]));
    log.info({ amountWei: String(amount) }, 'rater staked');
    return { kind: 'staked', amountWei: amount };
  };

  return {
    async step() {
      const staked = await ensureStaked();
      if (staked) return staked;
      const issued = await issuance?.step();
      if (issued) return issued;
      const epochBig = await pool.read.nextEpochToApply();
      if (epochBig >= (await pool.read.currentEpoch())) return { kind: 'idle' };
      const epoch = Number(epochBig);
      const [round] = await pool.read.roundOf([epochBig]);
      const { timestamp } = await ledger.publicClient.getBlock();
      if (round.closesAt !== 0n && timestamp >= round.closesAt) return apply(epoch, round.leader);
      const rater = await pool.read.raterOf([me]);
      if (rater.backedEpochPlusOne === epochBig + 1n) return { kind: 'idle' };
      const set = await ownSet(epoch);
      const setHash = await pool.read.hashScoreSet([epochBig, asChainSet(set)]);
      if (round.closesAt !== 0n && (await pool.read.backingOf([epochBig, setHash])) > 0n) {
        await ledger.confirm('RewardsPool.backScores', () => pool.write.backScores([epochBig, setHash]));
        log.info({ epoch, setHash }, 'rater backed the score set it recomputed');
        return { kind: 'backed', epoch, setHash };
      }
      await ledger.confirm('RewardsPool.proposeScores', () => pool.write.proposeScores([epochBig, asChainSet(set)]));
      const kind = round.closesAt === 0n ? 'proposed' : 'challenged';
      const fields = { epoch, setHash, contributors: set.contributors.length, leader: round.leader };
      if (kind === 'challenged') log.warn(fields, 'rater challenged a score set that differs from the chain');
      else log.info(fields, 'rater proposed the epoch scores');
      return { kind, epoch, setHash };
    },
  };

  async function apply(epoch: number, leader: Hex): Promise<RaterAction> {
    const [proposal] = await pool.getEvents.ScoresProposed(
      { epoch: BigInt(epoch), setHash: leader },
      { fromBlock: 0n, toBlock: 'latest' },
    );
    const set = proposal?.args.set;
    if (!set) return { kind: 'idle' };
    try {
      await ledger.confirm('RewardsPool.applyScores', () => pool.write.applyScores([BigInt(epoch), set]));
    } catch (error) {
      // Another rater applied it first: nothing is lost.
      if ((await pool.read.nextEpochToApply()) > BigInt(epoch)) return { kind: 'idle' };
      throw error;
    }
    const mine = computed.get(epoch);
    const agreed = mine ? sameScoreSet(mine.set, fromChainSet(set)) : undefined;
    log.info({ epoch, setHash: leader, agreesWithOwn: agreed }, 'rater applied the epoch scores');
    return { kind: 'applied', epoch, setHash: leader };
  }
}

/** Runs `step()` every `pollIntervalMs` until stopped; a failed step is logged and retried on the next tick. */
export function startRaterRole(init: RaterRoleInit, ledger: LedgerClient, log: RaterLogger): { stop(): Promise<void> } {
  const role = createRaterRole(init, ledger, log);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const tick = () => {
    inFlight = (async () => {
      try {
        // Several actions can be due at once (stake, then propose): keep stepping while something happens.
        for (let i = 0; i < 4 && !stopped; i++) if ((await role.step()).kind === 'idle') break;
      } catch (error) {
        log.warn({ err: isAicError(error) ? error.toLine() : String(error) }, 'rater step failed');
      }
      if (!stopped) timer = setTimeout(tick, init.pollIntervalMs);
    })();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}

/** The rating engine's set as the contract's tuple (viem wants `0x…` addresses). */
function asChainSet(set: ScoreSet) {
  return {
    contributors: set.contributors as Address[],
    scores: set.scores,
    penalized: set.penalized as Address[],
    penalties: set.penalties,
  };
}

function fromChainSet(set: {
  contributors: readonly Address[];
  scores: readonly bigint[];
  penalized: readonly Address[];
  penalties: readonly bigint[];
}): ScoreSet {
  return {
    contributors: [...set.contributors],
    scores: [...set.scores],
    penalized: [...set.penalized],
    penalties: [...set.penalties],
  };
}

/** The fault a lying rater injects: every score moved to itself (a wrong posting other raters must challenge). */
function lieAbout(set: ScoreSet, me: Address): ScoreSet {
  const total = set.scores.reduce((a, b) => a + b, 0n);
  return { contributors: [me.toLowerCase()], scores: [total > 0n ? total : 1n], penalized: [], penalties: [] };
}
