import type { EpochLog } from './economy.ts';
import type { HonestPopulation } from './honest.ts';

export interface AttackContext {
  seed: bigint;
  log: EpochLog;
  honest: HonestPopulation;
  /** false: the counterfactual (the attacker behaves honestly, or stays away), whose net the attack is compared to. */
  malicious: boolean;
}

/** An adversary: its addresses (whose rewards it collects) and its behaviour per epoch. */
export interface Attack {
  name: string;
  addresses: readonly string[];
  /** Registers the attacker's resources, stakes and funding at epoch 0. */
  setup(ctx: AttackContext): void;
  /** Emits the epoch's events and returns the attacker's net cash flow in wei, rewards excluded. */
  runEpoch(ctx: AttackContext): bigint;
}
