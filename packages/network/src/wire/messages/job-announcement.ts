import { z } from 'zod';
import { WIRE_LIMITS } from '../../limits.ts';
import type { MessageSpec, VerifiedMessage } from '../message-spec.ts';
import { assetId, bytes32Hex, safeUint, shortText, weiAmount } from './fields.ts';

/** Gossip message: a requester announces an escrowed job so providers can prepare (cache data, bid). */
const jobAnnouncementWireSchema = z.strictObject({
  /** The job's on-chain id (ComputeMarket). */
  jobId: bytes32Hex,
  task: shortText,
  modelId: assetId,
  datasetIds: z.array(assetId).max(64),
  requirements: z.strictObject({
    minGpus: z.number().int().min(0).max(64),
    minGpuMemoryBytes: safeUint,
    backend: z.enum(['cpu', 'wasm', 'webgpu', 'tensorflow']),
  }),
  maxPriceWeiPerHour: weiAmount,
  /** Unix ms after which the requester no longer wants the job started. */
  deadlineMs: safeUint,
});

export type JobAnnouncement = z.output<typeof jobAnnouncementWireSchema>;

export const jobAnnouncementSpec: MessageSpec<JobAnnouncement> = {
  type: 'aic/job-announcement/1',
  maxBytes: WIRE_LIMITS.jobAnnouncementBytes,
  schema: jobAnnouncementWireSchema,
  toWire: (job) => ({ ...job, maxPriceWeiPerHour: job.maxPriceWeiPerHour.toString() }),
};

export interface JobAnnouncementEventDetail extends VerifiedMessage<JobAnnouncement> {
  relayedBy: string;
}

/** Handler: announcements past their deadline are dropped (harmless, not an offence). */
export function handleJobAnnouncement(
  message: VerifiedMessage<JobAnnouncement>,
  relayedBy: string,
  nowMs: number,
): JobAnnouncementEventDetail | undefined {
  return message.payload.deadlineMs <= nowMs ? undefined : { ...message, relayedBy };
}
