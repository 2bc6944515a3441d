/**
 * Runs the real rating engine (computeEpochScores + rewardsForEpoch, the code that posts to RewardsPool) over many
 * epochs of a world of honest actors plus adversaries, and reports each attack's profit against its counterfactual.
 */
import { defaultRatingParams } from '../params.ts';
import { rewardsForEpoch } from '../rewards.ts';
import { computeEpochScores, maxRewardWeiPerScore } from '../score.ts';
import type { RatingEvent } from '../types.ts';
import type { Attack } from './attack.ts';
import { ECONOMY, EpochLog, weiToAicNumber } from './economy.ts';
import { createHonestPopulation, honestEpoch } from './honest.ts';

export interface SimulationOptions {
  seed: bigint;
  epochs: number;
}

export interface WorldOutcome {
  /** Per attack (by index): rewards plus net cash flow over the run, in wei. */
  attackerNetWei: bigint[];
  attackerRewardsWei: bigint[];
  honestRewardsWei: bigint;
  /** Emission the reward cap held back (no verified value behind it): it stays in the pool for later epochs. */
  unreleasedWei: bigint;
  emissionWei: bigint;
}

/** One world: the honest population plus `attacks`, each malicious or in its counterfactual, for `epochs` epochs. */
export function runWorld(attacks: readonly Attack[], malicious: boolean, options: SimulationOptions): WorldOutcome {
  const genesis = new EpochLog(0);
  const honest = createHonestPopulation(options.seed, genesis);
  for (const attack of attacks) attack.setup({ seed: options.seed, log: genesis, honest, malicious });
  // Registrations, stakes and funding stay relevant in later epochs; usage events only in their own.
  const lasting: RatingEvent[] = [...genesis.events];
  const owners = attacks.map((a) => new Set(a.addresses));
  const outcome: WorldOutcome = {
    attackerNetWei: attacks.map(() => 0n),
    attackerRewardsWei: attacks.map(() => 0n),
    honestRewardsWei: 0n,
    unreleasedWei: 0n,
    emissionWei: 0n,
  };
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const log = new EpochLog(epoch);
    honestEpoch(options.seed, honest, log);
    attacks.forEach((attack, i) => {
      outcome.attackerNetWei[i]! += attack.runEpoch({ seed: options.seed, log, honest, malicious });
    });
    const params = defaultRatingParams(epoch, { hubAddresses: [ECONOMY.exchange] });
    const scores = computeEpochScores([...lasting, ...log.events], params);
    const { payouts, unbackedWei } = rewardsForEpoch(scores, params.emissionWei, maxRewardWeiPerScore(params));
    outcome.emissionWei += params.emissionWei;
    outcome.unreleasedWei += unbackedWei;
    for (const [address, paid] of payouts) {
      const attacker = owners.findIndex((set) => set.has(address));
      if (attacker >= 0) outcome.attackerRewardsWei[attacker]! += paid;
      else outcome.honestRewardsWei += paid;
    }
    for (const e of log.events) if (e.type === 'Funded' || e.type === 'StakeSet') lasting.push(e);
  }
  outcome.attackerNetWei = outcome.attackerNetWei.map((net, i) => net + outcome.attackerRewardsWei[i]!);
  return outcome;
}

export interface AttackReport {
  name: string;
  /** Expected profit of the attack per epoch in AIC: (rewards + cash) attacking − (rewards + cash) not attacking. */
  profitAicPerEpoch: number;
  rewardsAicPerEpoch: number;
  /** Share of the contributor rewards not gained by the attack: 1 − attack gain / all paid. */
  honestShare: number;
  /** Share of the contributor rewards paid to the attacker's addresses at all (including its honest business). */
  attackerAddressShare: number;
}

/** Runs one attack against its counterfactual. */
export function evaluateAttack(attack: Attack, options: SimulationOptions): AttackReport {
  const attacking = runWorld([attack], true, options);
  const baseline = runWorld([attack], false, options);
  const profitWei = attacking.attackerNetWei[0]! - baseline.attackerNetWei[0]!;
  return {
    name: attack.name,
    profitAicPerEpoch: weiToAicNumber(profitWei) / options.epochs,
    rewardsAicPerEpoch: weiToAicNumber(attacking.attackerRewardsWei[0]!) / options.epochs,
    honestShare: honestShareOf(attacking, baseline),
    attackerAddressShare: 1 - shareOf(attacking.honestRewardsWei, attacking.attackerRewardsWei),
  };
}

/**
 * The honest contributors' share of PoV rewards: what the attackers gained by attacking (their rewards above the
 * counterfactual's, never below zero) is the dishonest part; everything else paid to contributors is honest.
 */
export function honestShareOf(attacking: WorldOutcome, baseline: WorldOutcome): number {
  const paid = attacking.attackerRewardsWei.reduce((a, b) => a + b, attacking.honestRewardsWei);
  if (paid === 0n) return 1;
  let gained = 0n;
  attacking.attackerRewardsWei.forEach((reward, i) => {
    const extra = reward - baseline.attackerRewardsWei[i]!;
    if (extra > 0n) gained += extra;
  });
  return Number(((paid - gained) * 1_000_000n) / paid) / 1_000_000;
}

/** Honest rewards over all rewards paid to contributors. */
export function shareOf(honestWei: bigint, attackersWei: readonly bigint[]): number {
  const total = attackersWei.reduce((a, b) => a + b, honestWei);
  if (total === 0n) return 1;
  return Number((honestWei * 1_000_000n) / total) / 1_000_000;
}
