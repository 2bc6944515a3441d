/**
 * The request protocols that put an MSMG group together between nodes (the all-reduce itself is `/aic/msmg/1.0.0`
 * between the ranks' sandboxed workers, msmg/group-links.ts):
 * - `/aic/msmg-plan/1.0.0`: the coordinator hands the lead (the provider it assigns on chain) the group it placed
 *   with the allocator's `placeGroup`: one provider per rank, rank 0 the lead. The contract knows one provider per
 *   job; the group lives off chain in this plan, which the lead keeps with the job and serves to the requester.
 * - `/aic/msmg-join/1.0.0`: the lead asks each member's node to `prepare` a rank (the ticket, checked by the member
 *   against the escrowed specHash, and the training data: the dataset's key is released to the job's provider
 *   only, so the lead passes the plaintext shards on, as it would to its own worker) and answers with the rank's
 *   worker address; then `start`s it with every rank's address; `stop` ends a member's rank early.
 */
import { defineProtocol } from '@aic/network';
import { z } from 'zod';

const jobId = z.string().regex(/^[0-9]{1,20}$/, 'job id as decimal text');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);

/** The most plaintext a lead passes to a member in one prepare (larger datasets: the lead trains that rank). */
export const MAX_GROUP_DATA_BYTES = 48 * 1024 * 1024;
export const MAX_GROUP_SIZE = 16;

export const groupPlanSchema = z.strictObject({
  jobId,
  /** Rank r is trained by `members[r]` (rank 0: the lead, the job's provider on chain). */
  members: z.array(address).min(2).max(MAX_GROUP_SIZE),
});
export type GroupPlan = z.output<typeof groupPlanSchema>;

export const msmgPlanProtocol = defineProtocol({
  id: '/aic/msmg-plan/1.0.0',
  request: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('propose'), plan: groupPlanSchema }),
    z.strictObject({ kind: z.literal('get'), jobId }),
  ]),
  response: z.strictObject({
    plan: groupPlanSchema.optional(),
    /** Per attempt, who trained which rank over which steps (what the pay split is computed from). */
    work: z
      .array(
        z.strictObject({
          attempt: z.number().int().min(0),
          rank: z.number().int().min(0),
          account: address,
          fromStep: z.number().int().min(0),
          toStep: z.number().int().min(0),
        }),
      )
      .max(4_096)
      .optional(),
    paid: z.array(z.strictObject({ account: address, wei: z.string().max(80), tx: hex32.optional() })).optional(),
  }),
  maxRequestBytes: 16 * 1024,
  maxResponseBytes: 1024 * 1024,
});

const memberAddress = z.strictObject({
  rank: z.number().int().min(0).max(MAX_GROUP_SIZE),
  peerId: z.string().max(200),
  multiaddr: z.string().max(400),
});

export const msmgJoinProtocol = defineProtocol({
  id: '/aic/msmg-join/1.0.0',
  request: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('prepare'),
      jobId,
      attempt: z.number().int().min(0).max(64),
      rank: z.number().int().min(1).max(MAX_GROUP_SIZE),
      workers: z.number().int().min(2).max(MAX_GROUP_SIZE),
      ticket: z.instanceof(Uint8Array),
      shards: z.array(z.instanceof(Uint8Array)).min(1).max(4_096),
      rows: z.number().int().min(1),
    }),
    z.strictObject({
      kind: z.literal('start'),
      jobId,
      attempt: z.number().int().min(0).max(64),
      groupKey: hex32,
      members: z.array(memberAddress).min(2).max(MAX_GROUP_SIZE),
      /** Resume from this checkpoint (step and commitment), which the member must hold itself. */
      resumeFrom: z.strictObject({ step: z.number().int().min(0), hash: hex32 }).optional(),
    }),
    z.strictObject({ kind: z.literal('stop'), jobId }),
  ]),
  response: z.strictObject({ ok: z.boolean(), member: memberAddress.optional() }),
  maxRequestBytes: MAX_GROUP_DATA_BYTES + 2 * 1024 * 1024,
  maxResponseBytes: 4 * 1024,
  timeoutMs: 120_000,
});
