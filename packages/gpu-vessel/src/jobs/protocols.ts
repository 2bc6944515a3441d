/**
 * Request/response protocols of a verified job between real nodes (DESIGN.md §6–7):
 * - `/aic/job-ticket-fetch/1.0.0`: the assigned provider, the drawn verifier and the arbiter fetch the ticket from
 *   the requester, with the commitments reported so far and the checkpoints the requester mirrors;
 * - `/aic/job-progress/1.0.0`: the provider streams progress and each new checkpoint commitment to the requester,
 *   who then pulls that checkpoint (`/aic/checkpoint/1.0.0`) so nothing is lost if the provider dies.
 * Checkpoints themselves travel on the raw stream protocol `/aic/checkpoint/1.0.0` (checkpoint-transfer.ts).
 */
import { defineProtocol } from '@aic/network';
import { z } from 'zod';

const hex32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/)
  .transform((s) => s.toLowerCase() as `0x${string}`);
const jobId = z.string().regex(/^[0-9]{1,20}$/, 'job id as decimal text');
const index = z.number().int().min(0).max(65_535);

export const MAX_COMMITMENTS = 65_536;

export const jobTicketFetchProtocol = defineProtocol({
  id: '/aic/job-ticket-fetch/1.0.0',
  request: z.strictObject({ jobId }),
  response: z.strictObject({
    ticket: z.instanceof(Uint8Array),
    /** c_0 … c_i as the provider reported them (step + hash). */
    commitments: z.array(z.strictObject({ step: z.number().int().min(0), hash: hex32 })).max(MAX_COMMITMENTS),
    /** Checkpoint indices the requester holds a copy of. */
    mirrored: z.array(index).max(MAX_COMMITMENTS),
  }),
  maxRequestBytes: 1024,
  maxResponseBytes: 4 * 1024 * 1024,
});

export const jobProgressProtocol = defineProtocol({
  id: '/aic/job-progress/1.0.0',
  request: z.strictObject({
    jobId,
    step: z.number().int().min(0),
    totalSteps: z.number().int().min(1),
    loss: z.number().finite().optional(),
    accuracy: z.number().min(0).max(1).optional(),
    /** Present when a checkpoint was just written: its index, step and commitment c_i. */
    checkpoint: z.strictObject({ index, step: z.number().int().min(0), hash: hex32 }).optional(),
  }),
  response: z.strictObject({ ok: z.boolean() }),
  maxRequestBytes: 4 * 1024,
  maxResponseBytes: 1024,
});
