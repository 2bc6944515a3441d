/**
 * The job ticket: everything a provider or verifier needs to run or re-run a job, as exact bytes. The requester
 * escrows `keccak256(ticket bytes)` on chain as the job's specHash, so whoever fetches the ticket from anyone can check
 * it is the one paid for — no canonical JSON needed, the bytes travel unchanged.
 *
 * Two forms: `aic-job-ticket/2` names a Dataset NFT and a Model NFT by id and carries the model manifest's exact bytes
 * (as UTF-8 text: its keccak256 is the Model NFT's contentRoot); `aic-job-ticket/1` names a template's split every
 * provider ships (`template:<name>/<split>`), kept while the devnet still runs the templates that way.
 */
import type { HardwareRequirement } from '@aic/allocator';
import { AicError } from '@aic/core';
import { type JobSpec, jobSpecSchema } from '@aic/model-vessel';
import { type Hex, keccak256 } from 'viem';
import { z } from 'zod';
import { hardwareRequirementSchema } from './hardware-requirement.ts';

/** Where the provider gets the training data: a template's split it has cached, checked against the Dataset NFT root. */
export const DATASET_SOURCE_PATTERN = /^template:(mnist|iris|intent|speech)\/(train|test)$/;

/** A model manifest's bytes are bounded like any manifest the Model Vessel accepts (its JSON guard caps it too). */
export const MAX_TICKET_MANIFEST_CHARS = 4 * 1024 * 1024;

const assetIdText = z.string().regex(/^[1-9][0-9]{0,18}$/, 'a positive integer asset id');
const nonce = z.string().max(64);

export const jobTicketV1Schema = z.strictObject({
  format: z.literal('aic-job-ticket/1'),
  spec: jobSpecSchema,
  dataset: z.string().regex(DATASET_SOURCE_PATTERN),
  /** Requester-chosen nonce so two identical trainings are two different tickets. */
  nonce,
  /** Exact hardware needs (GPU models, per-GPU memory, GPUs on one machine or a fraction, CPU, memory); optional. */
  hardware: hardwareRequirementSchema.optional(),
});

/** The v2 wire form: the spec without its manifest, which travels once, as the exact bytes in `model.manifest`. */
const jobTicketV2WireSchema = z.strictObject({
  format: z.literal('aic-job-ticket/2'),
  spec: jobSpecSchema.omit({ manifest: true }),
  dataset: z.strictObject({ assetId: assetIdText }),
  model: z.strictObject({ assetId: assetIdText, manifest: z.string().min(2).max(MAX_TICKET_MANIFEST_CHARS) }),
  nonce,
  hardware: hardwareRequirementSchema.optional(),
});

export type TemplateJobTicket = z.output<typeof jobTicketV1Schema>;
type AssetJobTicketWire = z.output<typeof jobTicketV2WireSchema>;
/** A v2 ticket as decoded: `spec.manifest` is the parsed `model.manifest`. */
export type AssetJobTicket = Omit<AssetJobTicketWire, 'spec'> & { spec: TemplateJobTicket['spec'] };
export type JobTicket = TemplateJobTicket | AssetJobTicket;

/** Whether a ticket names its dataset and model by asset id (v2). */
export const isAssetTicket = (ticket: JobTicket): ticket is AssetJobTicket => ticket.format === 'aic-job-ticket/2';

interface TicketCommon {
  spec: JobSpec;
  nonce: string;
  hardware?: HardwareRequirement;
}
/** A v1 ticket's content: a template source. */
export type TemplateTicketInput = TicketCommon & { dataset: string };
/** A v2 ticket's content: asset ids and the model manifest's exact text (`spec.manifest` is not written). */
export type AssetTicketInput = Omit<TicketCommon, 'spec'> & {
  spec: Omit<JobSpec, 'manifest'> & { manifest?: unknown };
  dataset: { assetId: string };
  model: { assetId: string; manifest: string };
};

/** The ticket's exact bytes (what is hashed on chain and sent on the wire). */
export function encodeJobTicket(ticket: TemplateTicketInput | AssetTicketInput): Uint8Array {
  if (typeof ticket.dataset === 'string') {
    return new TextEncoder().encode(JSON.stringify({ format: 'aic-job-ticket/1', ...ticket }));
  }
  const { manifest: _parsed, ...spec } = ticket.spec;
  return new TextEncoder().encode(JSON.stringify({ format: 'aic-job-ticket/2', ...ticket, spec }));
}

/** keccak256 of the ticket bytes: ComputeMarket's specHash. */
export function ticketHash(bytes: Uint8Array): Hex {
  return keccak256(bytes);
}

function invalid(reason: string, cause?: unknown): never {
  throw new AicError('JOB_TICKET_INVALID', `job ticket: ${reason}`, cause === undefined ? {} : { cause });
}

function assetTicketFrom(wire: AssetJobTicketWire): AssetJobTicket {
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
 * Throws JOB_TICKET_MISMATCH or JOB_TICKET_INVALID. A v2 ticket's assets are checked against the chain by
 * `checkTicketAssets` (the caller has the ledger).
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
  if (format === 'aic-job-ticket/2') {
    const parsed = jobTicketV2WireSchema.safeParse(value);
    if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid');
    return assetTicketFrom(parsed.data);
  }
  const parsed = jobTicketV1Schema.safeParse(value);
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}
