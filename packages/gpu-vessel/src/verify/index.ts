export {
  type CheckpointLoader,
  type CommittedJobCheck,
  type CommittedJobVerdict,
  checkCommittedJob,
  checkSegment,
  rerunSegment,
  type SegmentCheckInput,
} from './check-committed-job.ts';
export {
  type CommitmentRecompute,
  type DivergenceSearch,
  type DivergentSegment,
  findDivergentSegment,
  pickReferees,
  type RefereeVerdict,
  type RefereeVote,
  refereeVerdict,
  segmentRecompute,
} from './dispute.ts';
export { initialCommitment } from './initial-state.ts';
export { exactDetectionProbability, samplesFor } from './samples.ts';
