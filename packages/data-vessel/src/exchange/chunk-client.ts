import type { AicNetwork } from '@aic/network';
import type { Hex } from '../commitments/index.ts';
import { CHUNK_FETCH_TIMEOUT_MS, type ChunkHolder, openChunkSession } from './chunk-session.ts';

/**
 * Fetches one sealed chunk from `holder` on a stream of its own (`/aic/data-chunk/2.0.0` with one request). For many
 * chunks open a session instead ({@link openChunkSession}) or use `fetchDataset`. Throws DATA_CHUNK_NOT_FOUND (the
 * holder has no such chunk), DATA_CHUNK_RESPONSE_INVALID (malformed answer) or DATA_CHUNK_FETCH_FAILED (dial, stream
 * or timeout). The bytes are NOT verified here: the caller opens them (GCM) and checks the shard root.
 */
export async function fetchSealedChunk(
  net: AicNetwork,
  holder: ChunkHolder,
  root: Hex,
  chunkIndex: number,
  timeoutMs = CHUNK_FETCH_TIMEOUT_MS,
): Promise<Uint8Array> {
  const session = await openChunkSession(net, holder, { window: 1, timeoutMs });
  try {
    return await session.fetch(root, chunkIndex);
  } finally {
    await session.close();
  }
}
