/**
 * A storage provider fetching the sealed chunks of a dataset from its holders (the owner, other replicas) over the
 * chunk protocol: one pipelined session per holder, holders in order, each asked only for what the earlier ones did
 * not give. It cannot open the chunks (no key): each is only checked for the length its manifest implies and handed
 * to the caller's sink the moment it arrives (the node puts it in its content store), so a replica never sits whole
 * in memory; the stored replica is then checked against the deal's segment root before any collateral is posted.
 */
import { AicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { Hex } from '../commitments/index.ts';
import { type ChunkHolder, openChunkSession } from '../exchange/index.ts';
import type { DatasetManifest } from '../manifest/index.ts';
import { type ReplicaChunk, replicaLayout } from './replica-layout.ts';

/** Requests in flight on one holder's session (the session queues the rest). */
const SESSION_WINDOW = 8;

/** Takes one fetched sealed chunk (`flat`: its index in the replica layout); the bytes are not kept after it resolves. */
export type ReplicaChunkSink = (chunk: ReplicaChunk, flat: number, sealed: Uint8Array) => Promise<void>;

/**
 * Fetches every sealed chunk of `manifest`'s dataset once into `sink` (at most one session window of chunks in
 * memory per holder). Throws STORAGE_REPLICA_UNAVAILABLE if a chunk is nowhere, or what the sink threw.
 */
export async function fetchReplicaChunks(
  net: AicNetwork,
  manifest: Pick<DatasetManifest, 'shards'>,
  holders: readonly ChunkHolder[],
  sink: ReplicaChunkSink,
): Promise<void> {
  const { chunks } = replicaLayout(manifest);
  const got: boolean[] = chunks.map(() => false);
  let sinkError: unknown;
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
    // SESSION_WINDOW lanes, each fetching its next chunk only once the sink took the last one: memory stays at one
    // window of chunks however slow the store is (a session alone would keep reading answers ahead of the sink).
    // A holder failing a whole window of requests in a row is given up on: the next holder takes what is left.
    let next = 0;
    let failuresInRow = 0;
    const lane = async () => {
      while (next < missing.length && sinkError === undefined && failuresInRow < SESSION_WINDOW) {
        const { chunk, flat } = missing[next++] as (typeof missing)[number];
        let sealed: Uint8Array;
        try {
          sealed = await session.fetch(chunk.shardRoot as Hex, chunk.chunkIndex);
        } catch (error) {
          lastError = error;
          failuresInRow++;
          continue;
        }
        failuresInRow = 0;
        if (sealed.length !== chunk.length) {
          lastError = new AicError('STORAGE_REPLICA_CORRUPT', 'a holder served a chunk of the wrong length');
          continue;
        }
        try {
          await sink(chunk, flat, sealed);
          got[flat] = true;
        } catch (error) {
          sinkError ??= error; // the store failing is no holder's fault: no other holder can fix it
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SESSION_WINDOW, missing.length) }, lane));
    await session.close().catch(() => undefined);
    if (sinkError !== undefined) throw sinkError;
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
}
