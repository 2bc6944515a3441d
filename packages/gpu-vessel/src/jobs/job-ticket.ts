/**
 * The job ticket: everything a provider or verifier needs to run or re-run a job, as exact bytes. The requester
 * escrows `keccak256(ticket bytes)` on chain as the job's specHash, so whoever fetches the ticket from anyone can check
 * it is the one paid for — no canonical JSON needed, the bytes travel unchanged.
 */
import type { HardwareRequirement } from '@aic/allocator';
import { AicError } from '@aic/core';
import { type JobSpec, jobSpecSchema } from '@aic/model-vessel';
import { type Hex, keccak256 } from 'viem';
import { z } from 'zod';
import { hardwareRequirementSchema } from './hardware-requirement.ts';

/** Where the provider gets the training data: a template's split it has cached, checked against the Dataset NFT root. */
export const DATASET_SOURCE_PATTERN = /^template:(mnist|iris|intent|speech)\/(train|test)$/;

export const jobTicketSchema = z.strictObject({
  format: z.literal('aic-job-ticket/1'),
  spec: jobSpecSchema,
  dataset: z.string().regex(DATASET_SOURCE_PATTERN),
  /** Requester-chosen nonce so two identical trainings are two different tickets. */
  nonce: z.string().max(64),
  /** Exact hardware needs (GPU models, per-GPU memory, GPUs on one machine or a fraction, CPU, memory); optional. */
  hardware: hardwareRequirementSchema.optional(),
});
export type JobTicket = z.output<typeof jobTicketSchema>;

/** The ticket's exact bytes (what is hashed on chain and sent on the wire). */
export function encodeJobTicket(ticket: {
  spec: JobSpec;
  dataset: string;
  nonce: string;
  hardware?: HardwareRequirement;
}): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: 'aic-job-ticket/1', ...ticket }));
}

/** keccak256 of the ticket bytes: ComputeMarket's specHash. */
export function ticketHash(bytes: Uint8Array): Hex {
  return keccak256(bytes);
}

/**
 * Parses ticket bytes (untrusted) and checks them against the on-chain specHash.
 * Throws JOB_TICKET_MISMATCH or JOB_TICKET_INVALID.
 */
export function decodeJobTicket(bytes: Uint8Array, expectedHash: Hex): JobTicket {
  if (ticketHash(bytes).toLowerCase() !== expectedHash.toLowerCase()) {
    throw new AicError('JOB_TICKET_MISMATCH', 'job ticket does not hash to the specHash escrowed on chain');
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new AicError('JOB_TICKET_INVALID', 'job ticket is not UTF-8 JSON', { cause });
  }
  const parsed = jobTicketSchema.safeParse(value);
  if (!parsed.success) {
    throw new AicError('JOB_TICKET_INVALID', `job ticket: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
