/**
 * @aic/verification — the Skeleton's verification math (DESIGN.md §7), pure: how many segments to re-run for a
 * confidence level, which ones (from the chain seed), what stake deters cheating, how a dispute is bisected to one step,
 * and how fast backends are compared within a tolerance.
 */
export { type BisectionResult, findFirstDivergence } from './bisect.ts';
export * from './errors.ts';
export {
  cheaterPrior,
  detectionProbability,
  MAX_SAMPLES,
  quoteVerification,
  requiredStake,
  samplesForConfidence,
  type VerificationQuote,
} from './sampling.ts';
export { sampleSegments } from './select.ts';
export { relativeL2Distance, withinTolerance } from './tolerance.ts';
