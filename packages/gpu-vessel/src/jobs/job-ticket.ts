/**
 * The job ticket: everything a provider or verifier needs to run or re-run a job, as exact bytes. The requester
 * escrows `keccak256(ticket bytes)` on chain as the job's specHash, so whoever fetches the ticket from anyone can check
 * it is the one paid for — no canonical JSON needed, the bytes travel unchanged.
 *
 * One form, `aic-job-ticket/2`: a Dataset NFT and a Model NFT by id plus the model manifest's exact bytes (as UTF-8
 * text: its keccak256 is the Model NFT's contentRoot). The templates are published assets like any other (issue 12:
 * one path, not two); a template ticket (`aic-job-ticket/1`) still escrowed on some chain is refused with
 * JOB_TICKET_UNSUPPORTED, a final answer the roles log and move on from.
 */
import type { HardwareRequirement } from '@aic/allocator';
import { AicError } from '@aic/core';
import { type JobSpec, jobSpecSchema } from '@aic/model-vessel';
import { type Hex, keccak256 } from 'viem';
import { z } from 'zod';
import { hardwareRequirementSchema } from './hardware-requirement.ts';

/** A model manifest's bytes are bounded like any manifest the Model Vessel accepts (its JSON guard caps it too). */
export const MAX_TICKET_MANIFEST_CHARS = 4 * 1024 * 1024;

/** The one ticket format; `aic-job-ticket/1` (a template split every provider shipped) is refused. */
export const JOB_TICKET_FORMAT = 'aic-job-ticket/2';
const RETIRED_TEMPLATE_FORMAT = 'aic-job-ticket/1';

const assetIdText = z.string().regex(/^[1-9][0-9]{0,18}$/, 'a positive integer asset id');
const nonce = z.string().max(64);

/** The wire form: the spec without its manifest, which travels once, as the exact bytes in `model.manifest`. */
const jobTicketWireSchema = z.strictObject({
  format: z.literal(JOB_TICKET_FORMAT),
  spec: jobSpecSchema.omit({ manifest: true }),
  dataset: z.strictObject({ assetId: assetIdText }),
  model: z.strictObject({ assetId: assetIdText, manifest: z.string().min(2).max(MAX_TICKET_MANIFEST_CHARS) }),
  /** Requester-chosen nonce so two identical trainings are two different tickets. */
  nonce,
  /** Exact hardware needs (GPU models, per-GPU memory, GPUs on one machine or a fraction, CPU, memory); optional. */
  hardware: hardwareRequirementSchema.optional(),
});

type JobTicketWire = z.output<typeof jobTicketWireSchema>;
/** A ticket as decoded: `spec.manifest` is the parsed `model.manifest`. */
export type JobTicket = Omit<JobTicketWire, 'spec'> & { spec: JobSpec };

/** A ticket's content: asset ids and the model manifest's exact text (`spec.manifest` is not written). */
export interface AssetTicketInput {
  spec: Omit<JobSpec, 'manifest'> & { manifest?: unknown };
  dataset: { assetId: string };
  model: { assetId: string; manifest: string };
  nonce: string;
  hardware?: HardwareRequirement;
}

/** The ticket's exact bytes (what is hashed on chain and sent on the wire). */
export function encodeJobTicket(ticket: AssetTicketInput): Uint8Array {
  const { manifest: _parsed, ...spec } = ticket.spec;
  return new TextEncoder().encode(JSON.stringify({ format: JOB_TICKET_FORMAT, ...ticket, spec }));
}

/** keccak256 of the ticket bytes: ComputeMarket's specHash. */
export function ticketHash(bytes: Uint8Array): Hex {
  return keccak256(bytes);
}

function invalid(reason: string, cause?: unknown): never {
  throw new AicError('JOB_TICKET_INVALID', `job ticket: ${reason}`, cause === undefined ? {} : { cause });
}

function ticketFrom(wire: JobTicketWire): JobTicket {
  let manifest: unknown;
  try {
    manifest = JSON.parse(wire.model.manifest);
  } catch (cause) {
    invalid('the model manifest is not JSON', cause);
  }
  return { ...wire, spec: { ...wire.spec, manifest } };
}

/**
 * Parses ticket bytes (untrusted) and checks them against the on-chain specHash.
 * Throws JOB_TICKET_MISMATCH, JOB_TICKET_UNSUPPORTED (a template ticket, `aic-job-ticket/1`: no path runs it any
 * more) or JOB_TICKET_INVALID. The ticket's assets are checked against the chain by `checkTicketAssets` (the caller
 * has the ledger).
 */
export function decodeJobTicket(bytes: Uint8Array, expectedHash: Hex): JobTicket {
  if (ticketHash(bytes).toLowerCase() !== expectedHash.toLowerCase()) {
    throw new AicError('JOB_TICKET_MISMATCH', 'job ticket does not hash to the specHash escrowed on chain');
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    invalid('not UTF-8 JSON', cause);
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format === RETIRED_TEMPLATE_FORMAT) {
    throw new AicError(
      'JOB_TICKET_UNSUPPORTED',
      `job ticket: ${RETIRED_TEMPLATE_FORMAT} (a template split) is no longer run; a job names a Dataset NFT and a Model NFT (${JOB_TICKET_FORMAT})`,
      { details: { format } },
    );
  }
  const parsed = jobTicketWireSchema.safeParse(value);
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid');
  return ticketFrom(parsed.data);
}
