import { AicError } from '@aic/core';
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';

/**
 * Content by CID (dataset and model manifests): one request per stream, the CID as UTF-8 text, answered with a
 * status byte and the bytes. The receiver re-hashes the bytes against the CID, so holders need no trust.
 */
export const CONTENT_PROTOCOL = '/aic/content/1.0.0';

/** Bounds of the content protocol (README "Limits"). */
export const CONTENT_LIMITS = {
  /** Longest CID text accepted (a CIDv1 sha2-256 in base32 is 59 characters). */
  maxCidChars: 128,
  /** Largest content served or fetched (a dataset manifest is at most MAX_MANIFEST_BYTES = 8 MiB). */
  maxContentBytes: 16 * 1024 * 1024,
  /** Time for one exchange (dial, request, whole answer). */
  exchangeTimeoutMs: 20_000,
  /** Content streams one connection may hold open. */
  maxInboundStreams: 8,
} as const;

/** The first byte of an answer. */
export const ContentStatus = { ok: 0, notFound: 1, badRequest: 2 } as const;

const SHA2_256 = 0x12;

/** Parses a CID a content fetch can check (sha2-256 multihash), or throws DATA_CONTENT_CID_INVALID. */
export function parseCheckableCid(text: string): CID {
  let cid: CID;
  try {
    if (text.length > CONTENT_LIMITS.maxCidChars) throw new RangeError('too long');
    cid = CID.parse(text);
  } catch (cause) {
    throw new AicError('DATA_CONTENT_CID_INVALID', 'not a CID', { cause, details: { cid: text.slice(0, 128) } });
  }
  if (cid.multihash.code !== SHA2_256) {
    throw new AicError('DATA_CONTENT_CID_INVALID', 'only sha2-256 CIDs can be checked', { details: { cid: text } });
  }
  return cid;
}

/** True when `bytes` hash to `cid`'s sha2-256 digest (the block's bytes, whatever its codec). */
export function bytesMatchCid(bytes: Uint8Array, cid: CID): boolean {
  const digest = sha256(bytes);
  const expected = cid.multihash.digest;
  return digest.length === expected.length && digest.every((b, i) => b === expected[i]);
}
