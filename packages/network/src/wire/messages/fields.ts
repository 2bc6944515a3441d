import { type Address, getAddress, type Hex } from 'viem';
import { z } from 'zod';

/** Shared field schemas of wire bodies. Amounts travel as decimal strings (CBOR has no portable 256-bit int). */

/** An amount in wei: decimal digits on the wire, bigint in code. */
export const weiAmount = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'wei amount must be a decimal integer string')
  .transform((s) => BigInt(s));

/** 0x + 64 hex digits (a keccak/sha256 id, e.g. a job id or a dataset root). */
export const bytes32Hex = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'expected 0x + 64 hex digits')
  .transform((s) => s.toLowerCase() as Hex);

/** A checksummed-or-not Ethereum address, normalised to its checksum form. */
export const ethAddress = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address')
  .transform((s) => getAddress(s) as Address);

/** A content or asset identifier: a CID, a 0x root, or a registry token id as text. */
export const assetId = z.string().min(1).max(128);

/** Unsigned integer within JavaScript's safe range. */
export const safeUint = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A short human/machine label (GPU model, task name). */
export const shortText = z.string().max(128);
