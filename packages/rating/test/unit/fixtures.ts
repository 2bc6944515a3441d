import type { Address, RatingEvent, ResourceKind } from '../../src/index.ts';

export const AIC = 10n ** 18n;

/** Builds events of one epoch with increasing log positions, so tests read like a block of chain logs. */
export function createEventLog(epoch = 0) {
  const events: RatingEvent[] = [];
  let logIndex = 0;
  const at = () => ({ epoch, block: epoch * 1_000 + 1, logIndex: logIndex++ });
  return {
    events,
    register(resource: string, kind: ResourceKind, owner: Address) {
      events.push({ type: 'ResourceRegistered', resource, kind, owner, ...at() });
    },
    pay(resource: string, payer: Address, amountWei: bigint) {
      events.push({ type: 'UsagePaid', resource, payer, amountWei, ...at() });
    },
    work(resource: string, payer: Address, units: bigint) {
      events.push({ type: 'WorkVerified', resource, payer, units, ...at() });
    },
    fund(from: Address, to: Address, amountWei = AIC) {
      events.push({ type: 'Funded', from, to, amountWei, ...at() });
    },
    link(a: Address, b: Address) {
      events.push({ type: 'AddressesLinked', a, b, ...at() });
    },
    stake(account: Address, stakeWei: bigint) {
      events.push({ type: 'StakeSet', account, stakeWei, ...at() });
    },
    rate(resource: string, rater: Address, rating: number) {
      events.push({ type: 'Rated', resource, rater, rating, ...at() });
    },
    outcome(resource: string, completed: boolean) {
      events.push({ type: 'JobOutcome', resource, completed, ...at() });
    },
    fraud(resource: string, slashedWei: bigint) {
      events.push({ type: 'FraudProven', resource, slashedWei, ...at() });
    },
  };
}

/** A deterministic shuffle (events arrive in any order off the wire; the engine must not care). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
