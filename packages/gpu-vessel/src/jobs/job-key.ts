import { type Hex, toHex } from 'viem';

/** A ComputeMarket job id as the 32-byte hex the wire protocols carry (the checkpoint request's jobId). */
export const jobIdHex = (jobId: bigint): Hex => toHex(jobId, { size: 32 });

/** The key verification sampling is seeded with (same on every verifier and the arbiter). */
export const jobSampleKey = (jobId: bigint): string => `job-${jobId}`;
