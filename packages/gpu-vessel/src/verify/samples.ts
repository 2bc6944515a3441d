/**
 * How many segments a verifier re-runs. The quote is @aic/verification's (P(detect) = 1 − (1 − f)^s, fewer samples as
 * a provider's verified history grows); the exact hypergeometric value is what sampling without replacement from a
 * job with a known number of faked segments really gives, and it is never below the quote.
 */
import { AicError } from '@aic/core';
import { quoteVerification, type VerificationQuote } from '@aic/verification';

/** The requester's quote for a job of `segments` segments: samples, P(detect) and overhead (DESIGN.md §7). */
export function samplesFor(input: {
  segments: number;
  confidence: number;
  cheatFraction: number;
  verifiedJobs?: number;
}): VerificationQuote {
  return quoteVerification(input);
}

/**
 * P(at least one of `faked` bad segments among `samples` distinct segments drawn uniformly from `segments`):
 * 1 − C(segments − faked, samples) / C(segments, samples), computed as a product to stay exact in doubles.
 */
export function exactDetectionProbability(segments: number, faked: number, samples: number): number {
  const ok = [segments, faked, samples].every(Number.isSafeInteger) && faked >= 0 && samples >= 0;
  if (!ok || faked > segments || samples > segments) {
    throw new AicError('VERIFY_INVALID_QUOTE', 'need 0 ≤ faked, samples ≤ segments', {
      details: { segments, faked, samples },
    });
  }
  let missed = 1; // P(all samples honest) = ∏_{k<samples} (segments − faked − k) / (segments − k)
  for (let k = 0; k < samples && missed > 0; k++) missed *= Math.max(0, segments - faked - k) / (segments - k);
  return 1 - missed;
}
