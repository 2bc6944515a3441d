import { AicError } from '@aic/core';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Hex } from '../commitments/index.ts';
import { GCM_TAG_BYTES } from '../crypto/index.ts';
import { CHUNK_SIZE_BYTES } from '../limits.ts';

/** The raw chunk protocol: one request (shard root ‖ uint32 chunk index), one answer (status ‖ sealed chunk). */
export const DATA_CHUNK_PROTOCOL = '/aic/data-chunk/1.0.0';

/** Request size: 32-byte shard root + uint32 big-endian chunk index. */
export const CHUNK_REQUEST_BYTES = 36;

/** Largest answer: a status byte and one sealed chunk (plaintext chunk + GCM tag), with slack for the cipher's framing. */
export const MAX_CHUNK_RESPONSE_BYTES = 1 + CHUNK_SIZE_BYTES + GCM_TAG_BYTES + 64;

/** The first byte of an answer. */
export const ChunkStatus = { ok: 0, notFound: 1, badRequest: 2 } as const;
export type ChunkStatus = (typeof ChunkStatus)[keyof typeof ChunkStatus];

/** Encodes a chunk request. */
export function encodeChunkRequest(root: Hex, chunkIndex: number): Uint8Array {
  if (!/^0x[0-9a-fA-F]{64}$/.test(root) || !Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex > 0xffffffff) {
    throw new AicError('DATA_CHUNK_REQUEST_INVALID', 'a chunk request needs a 32-byte root and a uint32 index');
  }
  const out = new Uint8Array(CHUNK_REQUEST_BYTES);
  out.set(hexToBytes(root.slice(2)));
  new DataView(out.buffer).setUint32(32, chunkIndex, false);
  return out;
}

/** Decodes a chunk request; undefined when it is not exactly 36 bytes (the server answers badRequest). */
export function decodeChunkRequest(bytes: Uint8Array): { root: Hex; chunkIndex: number } | undefined {
  if (bytes.length !== CHUNK_REQUEST_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return { root: `0x${bytesToHex(bytes.subarray(0, 32))}`, chunkIndex: view.getUint32(32, false) };
}

/** Encodes an answer. */
export function encodeChunkResponse(status: ChunkStatus, sealed: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(1 + sealed.length);
  out[0] = status;
  out.set(sealed, 1);
  return out;
}

/** Decodes an answer into the sealed chunk, or throws a typed error for a refusal or a malformed answer. */
export function decodeChunkResponse(bytes: Uint8Array): Uint8Array {
  const status = bytes[0];
  if (status === ChunkStatus.ok && bytes.length > 1) return bytes.subarray(1);
  if (status === ChunkStatus.notFound) throw new AicError('DATA_CHUNK_NOT_FOUND', 'the holder has no such chunk');
  throw new AicError('DATA_CHUNK_RESPONSE_INVALID', 'malformed chunk answer', { details: { status } });
}
