/**
 * The economy the simulation runs in: the ledger's minimal preset (packages/ledger/src/config.ts PRESETS.minimal:
 * protocol and Plaza fee 2.5 %, emission 1,000,000 AIC per epoch, class-0 stake 100 AIC, slashing 100 % of stake)
 * plus behavioural constants (compute cost share, fault rate, verification samples) stated here once.
 */
import { seededUniforms } from '@aic/core';
import type { RatingEvent, ResourceKind } from '../types.ts';

export const AIC = 10n ** 18n;

export const ECONOMY = {
  protocolFeeBps: 250n,
  plazaFeeBps: 250n,
  emissionPerEpochWei: 1_000_000n * AIC,
  minStakeClass0Wei: 100n * AIC,
  minStakeClass1Wei: 1_000n * AIC,
  slashBps: 10_000n,
  /** Share of a job's price a provider spends on electricity and hardware wear. */
  computeCostBps: 6_000n,
  /** Honest faults: share of jobs that fail (crash, timeout) with no fraud. */
  honestFaultRate: 0.03,
  /** Segments re-run per job (verification: 44 samples give 99 % confidence against a 10 % cheater). */
  verificationSamples: 44,
  /** The exchange every consumer buys AIC at and every provider cashes out at: a hub for the link graph. */
  exchange: '0x00000000000000000000000000000000000e8c4a',
} as const;

/** Applies a fee in bps. */
export function feeOf(amountWei: bigint, bps: bigint): bigint {
  return (amountWei * bps) / 10_000n;
}

/** AIC (float, for reports) from wei. */
export function weiToAicNumber(wei: bigint): number {
  return Number(wei / 10n ** 12n) / 1e6;
}

/** A seeded random source for one actor in one epoch; identical across worlds, so counterfactuals share their luck. */
export function randomFor(seed: bigint, actor: string, epoch: number) {
  const next = seededUniforms(seed, `${actor}@${epoch}`);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    aic: (min: number, max: number) => BigInt(Math.round((min + next() * (max - min)) * 1e6)) * 10n ** 12n,
    chance: (p: number) => next() < p,
  };
}

/** Appends chain-like events of one epoch in log order. */
export class EpochLog {
  readonly events: RatingEvent[] = [];
  private logIndex = 0;

  constructor(readonly epoch: number) {}

  private at() {
    return {
      epoch: this.epoch,
      block: this.epoch * 10_000 + 1 + Math.floor(this.logIndex / 100),
      logIndex: this.logIndex++,
    };
  }

  register(resource: string, kind: ResourceKind, owner: string): void {
    this.events.push({ type: 'ResourceRegistered', resource, kind, owner, ...this.at() });
  }
  pay(resource: string, payer: string, amountWei: bigint): void {
    this.events.push({ type: 'UsagePaid', resource, payer, amountWei, ...this.at() });
  }
  work(resource: string, payer: string, units: bigint): void {
    this.events.push({ type: 'WorkVerified', resource, payer, units, ...this.at() });
  }
  fund(from: string, to: string, amountWei: bigint): void {
    this.events.push({ type: 'Funded', from, to, amountWei, ...this.at() });
  }
  stake(account: string, stakeWei: bigint): void {
    this.events.push({ type: 'StakeSet', account, stakeWei, ...this.at() });
  }
  rate(resource: string, rater: string, rating: number): void {
    this.events.push({ type: 'Rated', resource, rater, rating, ...this.at() });
  }
  outcome(resource: string, completed: boolean): void {
    this.events.push({ type: 'JobOutcome', resource, completed, ...this.at() });
  }
  fraud(resource: string, slashedWei: bigint): void {
    this.events.push({ type: 'FraudProven', resource, slashedWei, ...this.at() });
  }
}
