import { AicError } from '@aic/core';
import type { LengthPrefixedStream } from '@libp2p/utils';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Uint8ArrayList } from 'uint8arraylist';
import type { Hex } from '../commitments/index.ts';
import { GCM_TAG_BYTES } from '../crypto/index.ts';
import { CHUNK_SIZE_BYTES } from '../limits.ts';

/**
 * The pipelined chunk protocol: one long-lived stream per holder carries many length-prefixed requests
 * (uint32 request id ‖ shard root ‖ uint32 chunk index) in flight; each answer (request id ‖ status ‖ sealed chunk)
 * is tagged with its request id and may come in any order.
 */
export const DATA_CHUNK_PROTOCOL = '/aic/data-chunk/2.0.0';

/** Request size: uint32 request id + 32-byte shard root + uint32 chunk index, all big-endian. */
export const CHUNK_REQUEST_BYTES = 40;

/** Bytes before the sealed chunk in an answer: uint32 request id + status byte. */
export const CHUNK_RESPONSE_HEADER_BYTES = 5;

/** Largest answer: the header and one sealed chunk (plaintext chunk + GCM tag), with slack for the cipher's framing. */
export const MAX_CHUNK_RESPONSE_BYTES = CHUNK_RESPONSE_HEADER_BYTES + CHUNK_SIZE_BYTES + GCM_TAG_BYTES + 64;

/** The status byte of an answer. */
export const ChunkStatus = { ok: 0, notFound: 1, badRequest: 2 } as const;
export type ChunkStatus = (typeof ChunkStatus)[keyof typeof ChunkStatus];

/** One decoded chunk request. */
export interface ChunkRequest {
  readonly requestId: number;
  readonly root: Hex;
  readonly chunkIndex: number;
}

/** One decoded answer: the sealed chunk, or the holder's refusal. */
export interface ChunkResponse {
  readonly requestId: number;
  readonly status: ChunkStatus;
  readonly sealed: Uint8Array;
}

const isUint32 = (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/** Encodes a chunk request. Throws DATA_CHUNK_REQUEST_INVALID for a root that is not 32 bytes or a bad index/id. */
export function encodeChunkRequest(request: ChunkRequest): Uint8Array {
  const { requestId, root, chunkIndex } = request;
  if (!/^0x[0-9a-fA-F]{64}$/.test(root) || !isUint32(chunkIndex) || !isUint32(requestId)) {
    throw new AicError(
      'DATA_CHUNK_REQUEST_INVALID',
      'a chunk request needs a uint32 id, a 32-byte root, a uint32 index',
    );
  }
  const out = new Uint8Array(CHUNK_REQUEST_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, requestId, false);
  out.set(hexToBytes(root.slice(2)), 4);
  view.setUint32(36, chunkIndex, false);
  return out;
}

/** Decodes a chunk request; undefined when it is not exactly 40 bytes (a protocol violation: the stream ends). */
export function decodeChunkRequest(bytes: Uint8Array): ChunkRequest | undefined {
  if (bytes.length !== CHUNK_REQUEST_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return {
    requestId: view.getUint32(0, false),
    root: `0x${bytesToHex(bytes.subarray(4, 36))}`,
    chunkIndex: view.getUint32(36, false),
  };
}

function responseHeader(requestId: number, status: ChunkStatus): Uint8Array {
  const header = new Uint8Array(CHUNK_RESPONSE_HEADER_BYTES);
  new DataView(header.buffer).setUint32(0, requestId, false);
  header[4] = status;
  return header;
}

/** Encodes an answer: request id ‖ status ‖ sealed chunk, as one contiguous frame. */
export function encodeChunkResponse(
  requestId: number,
  status: ChunkStatus,
  sealed: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(CHUNK_RESPONSE_HEADER_BYTES + sealed.length);
  out.set(responseHeader(requestId, status));
  out.set(sealed, CHUNK_RESPONSE_HEADER_BYTES);
  return out;
}

/**
 * {@link encodeChunkResponse} as the two pieces it is made of (header, then the sealed chunk itself, not copied):
 * what the holder writes, so serving a 256 KiB chunk costs no 256 KiB copy.
 */
export function encodeChunkResponseParts(requestId: number, sealed: Uint8Array): Uint8ArrayList {
  return new Uint8ArrayList(responseHeader(requestId, ChunkStatus.ok), sealed);
}

/** A frame as a length-prefixed stream reads it: a list of the pieces it arrived in (uint8arraylist). */
export type FrameList = Awaited<ReturnType<LengthPrefixedStream['read']>>;

/** A decoded answer whose sealed chunk stays in the pieces it arrived in (no copy into one buffer). */
export interface ChunkResponseParts {
  readonly requestId: number;
  readonly status: ChunkStatus;
  readonly sealed: FrameList;
}

function checkedStatus(requestId: number, status: number, sealedLength: number): ChunkStatus {
  const known = status === ChunkStatus.ok || status === ChunkStatus.notFound || status === ChunkStatus.badRequest;
  if (!known || (status === ChunkStatus.ok && sealedLength === 0)) {
    throw new AicError('DATA_CHUNK_RESPONSE_INVALID', 'malformed chunk answer', { details: { requestId, status } });
  }
  return status as ChunkStatus;
}

function checkLength(length: number): void {
  if (length < CHUNK_RESPONSE_HEADER_BYTES) {
    throw new AicError('DATA_CHUNK_RESPONSE_INVALID', 'chunk answer shorter than its header');
  }
}

/** Decodes an answer; throws DATA_CHUNK_RESPONSE_INVALID for a short frame, an unknown status or an empty ok. */
export function decodeChunkResponse(bytes: Uint8Array): ChunkResponse {
  checkLength(bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const requestId = view.getUint32(0, false);
  const sealed = bytes.subarray(CHUNK_RESPONSE_HEADER_BYTES);
  return { requestId, status: checkedStatus(requestId, bytes[4] as number, sealed.length), sealed };
}

/** {@link decodeChunkResponse} on a frame as read (a list of pieces), without copying the sealed chunk. */
export function decodeChunkResponseParts(frame: FrameList): ChunkResponseParts {
  checkLength(frame.byteLength);
  const requestId = frame.getUint32(0, false);
  const sealed = frame.sublist(CHUNK_RESPONSE_HEADER_BYTES);
  return { requestId, status: checkedStatus(requestId, frame.get(4), sealed.byteLength), sealed };
}

/** The sealed chunk of an answer, or a typed error for a refusal (DATA_CHUNK_NOT_FOUND, DATA_CHUNK_REQUEST_INVALID). */
export function sealedOfResponse(response: ChunkResponse): Uint8Array;
export function sealedOfResponse(response: ChunkResponseParts): FrameList;
export function sealedOfResponse(response: ChunkResponse | ChunkResponseParts): Uint8Array | FrameList {
  if (response.status === ChunkStatus.ok) return response.sealed;
  if (response.status === ChunkStatus.notFound) {
    throw new AicError('DATA_CHUNK_NOT_FOUND', 'the holder has no such chunk');
  }
  throw new AicError('DATA_CHUNK_REQUEST_INVALID', 'the holder refused the chunk request as malformed');
}
