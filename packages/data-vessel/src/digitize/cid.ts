import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { create as createDigest } from 'multiformats/hashes/digest';

const SHA2_256 = 0x12;

/** CIDv1 (raw codec, sha2-256, base32 `bafkrei…`) of a file's bytes: its content address. Synchronous. */
export function rawCid(bytes: Uint8Array): string {
  return CID.create(1, raw.code, createDigest(SHA2_256, sha256(bytes))).toString();
}
