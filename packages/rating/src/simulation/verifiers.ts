/**
 * Attacks on verification (issue 15): the rules H15-TRUST put on chain, modelled as DESIGN.md §7 and the issue state
 * them — verifiers stake to be drawn; a verdict proven wrong (by a canary or a dispute) slashes `slashBps` of the
 * stake; canaries come from fresh funded addresses at random times with ordinary parameters (nobody can tell them
 * apart); a dispute is ruled by a committee of 3 walked from the seed over the staked verifiers (DisputeCourt), the
 * losing side's referees slashed, one appeal to a committee twice the size, the first excluded (a tie is "not
 * proven", which favours a cabal voting for a cheater); the assignment is checkable, so a wrong one reverts. These actors earn cash, not
 * PoV score: each attack's net cash flow is compared with the same actor behaving honestly.
 */
import type { Attack, AttackContext } from './attack.ts';
import { AIC, feeOf, randomFor } from './economy.ts';

/** The minimal/devnet preset's verifier terms (verifierMinStakeAic 100, verifierSlashBps 5,000) and stated behaviour. */
export const VERIFICATION = {
  verifierStakeWei: 100n * AIC,
  verifierSlashBps: 5_000n,
  /** A job's verifier fee, and the share of it a verifier spends re-running the sampled segments. */
  verifierFeeWei: 2n * AIC,
  verifyCostBps: 6_000n,
  /** Share of the jobs a verifier is drawn for that are canaries (known wrong answer). */
  canaryShare: 0.05,
  /** A referee's fee per dispute, and its re-run cost share. */
  refereeFeeWei: 1n * AIC,
  /** What a cheating provider pays referees for a ruling its way: its job price plus the stake it would lose. */
  bribeWei: 1_100n * AIC,
  committeeSize: 3,
  honestVerifiers: 7,
  /** A failed assignment proposal costs its sender the gas of a reverted call, in AIC at the devnet's rates. */
  revertedCallCostWei: AIC / 100n,
} as const;

const slashOf = (stakeWei: bigint) => feeOf(stakeWei, VERIFICATION.verifierSlashBps);
const verifyCost = feeOf(VERIFICATION.verifierFeeWei, VERIFICATION.verifyCostBps);
const refereeCost = feeOf(VERIFICATION.refereeFeeWei, VERIFICATION.verifyCostBps);

/**
 * A verifier that re-runs only the jobs it believes are canaries (`checkShare` of them, at random: canaries cannot be
 * told apart, so its guess is independent of the truth) and approves the rest unseen. checkShare 0 = the lazy
 * verifier. A canary it approved proves its verdict wrong: slashed, unpaid, stake topped up again.
 */
export function createLazyVerifier(name: string, checkShare: number): Attack {
  const verifier = `0xattacker-${name}`;
  return {
    name,
    addresses: [verifier],
    setup() {},
    runEpoch({ seed, log, malicious }: AttackContext) {
      const rng = randomFor(seed, verifier, log.epoch);
      let net = 0n;
      for (let job = rng.int(15, 25); job > 0; job--) {
        const canary = rng.chance(VERIFICATION.canaryShare);
        const checks = !malicious || rng.chance(checkShare);
        if (checks) {
          net += VERIFICATION.verifierFeeWei - verifyCost; // re-ran it: right verdict, canary or not
        } else if (canary) {
          net -= slashOf(VERIFICATION.verifierStakeWei); // approved a known-wrong result
        } else {
          net += VERIFICATION.verifierFeeWei; // approved unseen, not caught this time
        }
      }
      return net;
    },
  };
}

/** The check shares a canary-spotting verifier may choose; the simulation reports its best one. */
export const CANARY_SPOTTER_CHECK_SHARES = [0.25, 0.5, 0.75, 0.9] as const;

/**
 * One verifier that, drawn as a referee, votes for a cheating provider against the truth; the other two referees are
 * honest, so it is outvoted 2 to 1 and on the losing side: slashed, no fee. The provider's bribe is paid only for a
 * ruling that goes its way (a slashed provider has nothing left to pay with), so a minority liar never collects it.
 */
export function createLyingReferee(): Attack {
  const referee = '0xattacker-lying-referee';
  return {
    name: 'lying referee (minority of its committee)',
    addresses: [referee],
    setup() {},
    runEpoch({ seed, log, malicious }) {
      const rng = randomFor(seed, referee, log.epoch);
      let net = 0n;
      for (let dispute = rng.int(1, 3); dispute > 0; dispute--) {
        net += malicious ? -slashOf(VERIFICATION.verifierStakeWei) : VERIFICATION.refereeFeeWei - refereeCost;
      }
      return net;
    },
  };
}

/**
 * A referee cabal holding 30 % of verifier stake (3 verifiers beside 7 honest ones, equal stakes), under the
 * DisputeCourt's rules: a committee is the `committeeSize` drawable verifiers met walking the verifier list from the
 * case's seed; the provider cheated iff more referees say so than not (ties and silence: not proven, which favours
 * a cabal voting for a cheater); the challenger may appeal once to a committee twice the size walked from a fresh
 * seed, the first committee excluded, whose majority is final; referees on the losing side of the final ruling lose
 * the slash share. Worst case for the court: the cabal registered one after another, so its members sit next to each
 * other in the list (a walk that meets one meets the others). It plays rationally: its drawn members lie only when
 * they hold a majority of the first committee, and a win takes the whole bribe.
 */
export function createRefereeCabal(): Attack {
  const members = ['0xcabal-referee-0', '0xcabal-referee-1', '0xcabal-referee-2'];
  const list = [...members, ...Array.from({ length: VERIFICATION.honestVerifiers }, (_, i) => `0xhonest-ref-${i}`)];
  return {
    name: 'referee cabal (30 % of verifier stake)',
    addresses: members,
    setup() {},
    runEpoch({ seed, log, malicious }) {
      const rng = randomFor(seed, 'referee-cabal', log.epoch);
      const walk = (size: number, skip: readonly string[]) => {
        const start = rng.int(0, list.length - 1);
        const seats: string[] = [];
        for (let i = 0; i < list.length && seats.length < size; i++) {
          const v = list[(start + i) % list.length]!;
          if (!skip.includes(v)) seats.push(v);
        }
        return seats;
      };
      const cabalSeats = (committee: string[]) => committee.filter((m) => members.includes(m)).length;
      let net = 0n;
      for (let dispute = rng.int(2, 6); dispute > 0; dispute--) {
        const first = walk(VERIFICATION.committeeSize, []);
        const seats = cabalSeats(first);
        if (!malicious || seats * 2 <= first.length) {
          net += BigInt(seats) * (VERIFICATION.refereeFeeWei - refereeCost); // honest votes
          continue;
        }
        // The wrong first ruling ("not proven") is appealed by the challenger it failed.
        const appeal = walk(VERIFICATION.committeeSize * 2, first);
        const appealSeats = cabalSeats(appeal);
        // Not proven stands unless more appeal referees say "cheated" than not: the cabal lies there only if its
        // seats can at least tie; otherwise its appeal referees vote honestly (and are paid).
        if (appeal.length - appealSeats <= appealSeats) {
          net += VERIFICATION.bribeWei; // the wrong ruling stands
        } else {
          net -= BigInt(seats) * slashOf(VERIFICATION.verifierStakeWei); // reversed: its first-round liars slashed
          net += BigInt(appealSeats) * (VERIFICATION.refereeFeeWei - refereeCost);
        }
      }
      return net;
    },
  };
}

/**
 * A coordinator that proposes its own provider for every job instead of one on the job's seeded shortlist. The
 * assignment is checkable on chain, so each such proposal reverts (ProviderNotDrawn): it pays the gas and places no
 * job; its provider still gets the jobs the seed gives it, as in the honest world.
 */
export function createCheatingCoordinator(): Attack {
  const coordinator = '0xattacker-coordinator';
  return {
    name: 'cheating coordinator (wrong assignments)',
    addresses: [coordinator],
    setup() {},
    runEpoch({ seed, log, malicious }) {
      if (!malicious) return 0n;
      const jobs = randomFor(seed, coordinator, log.epoch).int(10, 30);
      return -BigInt(jobs) * VERIFICATION.revertedCallCostWei;
    },
  };
}
