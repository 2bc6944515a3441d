/**
 * How many checkpoint segments a verifier re-runs (DESIGN.md §7). A cheater who fakes a fraction f of the segments
 * escapes s uniform samples with probability (1 − f)^s, so P(detect) = 1 − (1 − f)^s. Powers are computed by repeated
 * multiplication (exactly rounded in IEEE 754), so every machine quotes the same numbers.
 */
import { AicError } from '@aic/core';

/** Hard cap on samples per job (beyond it a job should be re-run whole). */
export const MAX_SAMPLES = 10_000;

/** P(at least one faked segment among `samples` uniform draws) when a fraction `cheatFraction` is faked. */
export function detectionProbability(cheatFraction: number, samples: number): number {
  checkFraction('cheatFraction', cheatFraction);
  let undetected = 1;
  for (let i = 0; i < samples; i++) undetected *= 1 - cheatFraction;
  return 1 - undetected;
}

/** The prior that a provider with `verifiedJobs` of verified history cheats: 1 for a newcomer, falling as h0/(h0+h). */
export function cheaterPrior(verifiedJobs: number, halfLifeJobs = 20): number {
  return halfLifeJobs / (halfLifeJobs + Math.max(0, verifiedJobs));
}

/**
 * Fewest samples so that an undetected cheat is at most (1 − confidence) likely, given the provider's history
 * (credibility, as in iExec PoCo): prior × (1 − f)^s ≤ 1 − confidence. At least one sample is always taken.
 */
export function samplesForConfidence(confidence: number, cheatFraction: number, verifiedJobs = 0): number {
  checkFraction('confidence', confidence);
  checkFraction('cheatFraction', cheatFraction);
  if (cheatFraction === 0) throw new AicError('VERIFY_INVALID_QUOTE', 'a cheat fraction of 0 cannot be detected');
  const tolerated = (1 - confidence) / cheaterPrior(verifiedJobs);
  let undetected = 1;
  for (let s = 1; s <= MAX_SAMPLES; s++) {
    undetected *= 1 - cheatFraction;
    if (undetected <= tolerated) return s;
  }
  throw new AicError('VERIFY_INVALID_QUOTE', 'confidence unreachable within MAX_SAMPLES', {
    details: { confidence, cheatFraction, maxSamples: MAX_SAMPLES },
  });
}

export interface VerificationQuote {
  /** Segments re-run by verifiers. */
  readonly samples: number;
  /** P(detect) against a provider faking `cheatFraction` of the segments, this provider's history included. */
  readonly pDetect: number;
  /** Verification compute as a fraction of the job's compute. */
  readonly overhead: number;
}

/** What a requester sees before paying: samples, detection probability and overhead for a confidence level. */
export function quoteVerification(input: {
  segments: number;
  confidence: number;
  cheatFraction: number;
  verifiedJobs?: number;
}): VerificationQuote {
  if (!Number.isInteger(input.segments) || input.segments < 1) {
    throw new AicError('VERIFY_INVALID_QUOTE', 'segments must be a positive integer', {
      details: { segments: input.segments },
    });
  }
  const needed = samplesForConfidence(input.confidence, input.cheatFraction, input.verifiedJobs ?? 0);
  const samples = Math.min(needed, input.segments);
  const pDetect = samples === input.segments ? 1 : detectionProbability(input.cheatFraction, samples);
  return { samples, pDetect, overhead: samples / input.segments };
}

/** The least stake that makes cheating unprofitable: gain / P(detect) (DESIGN.md §7). */
export function requiredStake(gainFromCheating: number, pDetect: number): number {
  if (!(pDetect > 0))
    throw new AicError('VERIFY_INVALID_QUOTE', 'P(detect) must be positive', { details: { pDetect } });
  return gainFromCheating / pDetect;
}

function checkFraction(name: string, value: number): void {
  if (!(value >= 0 && value < 1) && !(name === 'cheatFraction' && value === 1)) {
    throw new AicError('VERIFY_INVALID_QUOTE', `${name} must be in [0, 1)`, { details: { [name]: value } });
  }
}
