import { AicError } from '@aic/core';
import { bytesToHex0x } from '@aic/core/merkle';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { z } from 'zod';
import { SOURCE_KINDS } from '../manifest/index.ts';

const decimalWei = z.string().regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a decimal integer amount in wei');

/**
 * A data requirement (the white paper's "initial requester", `aic-data-request/1`): what a dataset must be to claim
 * a DataRequests reward. Its canonical JSON's keccak256 is the request's on-chain `specHash`.
 */
export const dataRequirementSchema = z.strictObject({
  schema: z.literal('aic-data-request/1'),
  description: z.string().max(2000).optional(),
  /** Accepted source kinds (any when absent). */
  sourceKinds: z.array(z.enum(SOURCE_KINDS)).min(1).optional(),
  task: z.enum(['classification', 'regression']).optional(),
  minRows: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  features: z
    .strictObject({
      dtype: z.enum(['F32', 'I32']).optional(),
      /** The exact per-row feature shape. */
      shape: z.array(z.number().int().positive()).max(8).optional(),
    })
    .optional(),
  /** Classes the dataset must contain (it may have more). */
  classes: z.array(z.string().min(1).max(200)).max(10_000).optional(),
  /** Acceptable licenses (SPDX ids); any when absent. */
  licenses: z.array(z.string().min(1).max(200)).min(1).optional(),
  maxPricePerUseWei: decimalWei.optional(),
});

export type DataRequirement = z.infer<typeof dataRequirementSchema>;

/** Parses an untrusted requirement. Throws DATA_REQUIREMENT_INVALID with `details.issues = [{ path, reason }]`. */
export function parseDataRequirement(value: unknown): DataRequirement {
  const parsed = dataRequirementSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), reason: i.message }));
    throw new AicError('DATA_REQUIREMENT_INVALID', issues.map((i) => `${i.path || '(root)'}: ${i.reason}`).join('; '), {
      details: { issues },
    });
  }
  return parsed.data;
}

/** JSON with object keys sorted at every level and no whitespace: one text per requirement, whoever writes it. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The `specHash` a DataRequests request records: keccak256 of the requirement's canonical JSON (UTF-8).
 *
 * @example
 * await ledger.dataRequests.postRequest(requirementSpecHash(req), BigInt(req.minRows), reward, deadline, permit);
 */
export function requirementSpecHash(requirement: DataRequirement): `0x${string}` {
  return bytesToHex0x(keccak_256(new TextEncoder().encode(canonicalJson(parseDataRequirement(requirement)))));
}
