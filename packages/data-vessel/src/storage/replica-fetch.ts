/**
 * A storage provider fetching the sealed chunks of a dataset from its holders (the owner, other replicas) over the
 * chunk protocol: one pipelined session per holder, holders in order, each asked only for what the earlier ones did
 * not give. It cannot open the chunks (no key): each is only checked for the length its manifest implies; the whole
 * replica is then checked against the deal's segment root before any collateral is posted.
 */
import { AicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { Hex } from '../commitments/index.ts';
import { type ChunkHolder, openChunkSession } from '../exchange/index.ts';
import type { DatasetManifest } from '../manifest/index.ts';
import { replicaLayout } from './replica-layout.ts';

/** Requests in flight on one holder's session (the session queues the rest). */
const SESSION_WINDOW = 8;

/** Every sealed chunk of `manifest`'s dataset, per shard. Throws STORAGE_REPLICA_UNAVAILABLE if a chunk is nowhere. */
export async function fetchReplicaChunks(
  net: AicNetwork,
  manifest: Pick<DatasetManifest, 'shards'>,
  holders: readonly ChunkHolder[],
): Promise<Uint8Array[][]> {
  const { chunks } = replicaLayout(manifest);
  const got: (Uint8Array | undefined)[] = chunks.map(() => undefined);
  let lastError: unknown;
  for (const holder of holders) {
    const missing = chunks.flatMap((chunk, flat) => (got[flat] ? [] : [{ chunk, flat }]));
    if (missing.length === 0) break;
    let session: Awaited<ReturnType<typeof openChunkSession>>;
    try {
      session = await openChunkSession(net, holder, { window: SESSION_WINDOW });
    } catch (error) {
      lastError = error; // unreachable: the next holder may have them all
      continue;
    }
    await Promise.all(
      missing.map(async ({ chunk, flat }) => {
        try {
          const sealed = await session.fetch(chunk.shardRoot as Hex, chunk.chunkIndex);
          if (sealed.length === chunk.length) got[flat] = sealed;
          else lastError = new AicError('STORAGE_REPLICA_CORRUPT', 'a holder served a chunk of the wrong length');
        } catch (error) {
          lastError = error;
        }
      }),
    );
    await session.close().catch(() => undefined);
  }
  const absent = chunks.findIndex((_, flat) => !got[flat]);
  if (absent >= 0) {
    const chunk = chunks[absent];
    throw new AicError(
      'STORAGE_REPLICA_UNAVAILABLE',
      `no holder served chunk ${chunk?.chunkIndex} of shard ${chunk?.shardRoot}`,
      {
        cause: lastError,
        details: { shardIndex: chunk?.shardIndex, chunkIndex: chunk?.chunkIndex, holders: holders.length },
      },
    );
  }
  const sealed: Uint8Array[][] = manifest.shards.map(() => []);
  for (const [flat, chunk] of chunks.entries()) sealed[chunk.shardIndex]?.push(got[flat] as Uint8Array);
  return sealed;
}
