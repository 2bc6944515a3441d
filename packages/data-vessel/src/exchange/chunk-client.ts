import { AicError, isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import { lpStream } from '@libp2p/utils';
import type { Hex } from '../commitments/index.ts';
import {
  DATA_CHUNK_PROTOCOL,
  decodeChunkResponse,
  encodeChunkRequest,
  MAX_CHUNK_RESPONSE_BYTES,
} from './chunk-wire.ts';

/** A holder to dial: a PeerId or a Multiaddr object (what libp2p's dial takes). */
export type ChunkHolder = Parameters<AicNetwork['libp2p']['dial']>[0];

/** Time for one chunk exchange (dial, request, answer) unless told otherwise. */
export const CHUNK_FETCH_TIMEOUT_MS = 10_000;

/**
 * Fetches one sealed chunk from `holder` over `/aic/data-chunk/1.0.0`. Throws DATA_CHUNK_NOT_FOUND (the holder has
 * no such chunk), DATA_CHUNK_RESPONSE_INVALID (malformed or oversized answer) or DATA_CHUNK_FETCH_FAILED (dial,
 * stream or timeout). The bytes are NOT verified here: the caller opens them (GCM) and checks the shard root.
 */
export async function fetchSealedChunk(
  net: AicNetwork,
  holder: ChunkHolder,
  root: Hex,
  chunkIndex: number,
  timeoutMs = CHUNK_FETCH_TIMEOUT_MS,
): Promise<Uint8Array> {
  const request = encodeChunkRequest(root, chunkIndex);
  const signal = AbortSignal.timeout(timeoutMs);
  let answer: Uint8Array;
  try {
    const connection = await net.libp2p.dial(holder, { signal });
    const stream = await connection.newStream(DATA_CHUNK_PROTOCOL, { signal });
    const lp = lpStream(stream, { maxDataLength: MAX_CHUNK_RESPONSE_BYTES });
    await lp.write(request, { signal });
    answer = (await lp.read({ signal })).subarray();
    await stream.close({ signal }).catch(() => stream.abort(new Error('close failed')));
  } catch (cause) {
    throw new AicError('DATA_CHUNK_FETCH_FAILED', 'chunk exchange with the holder failed', {
      cause,
      details: { root, chunkIndex, timedOut: signal.aborted },
    });
  }
  try {
    return decodeChunkResponse(answer);
  } catch (error) {
    if (isAicError(error)) throw error;
    throw new AicError('DATA_CHUNK_RESPONSE_INVALID', 'malformed chunk answer', { cause: error });
  }
}
