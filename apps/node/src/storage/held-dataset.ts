/** A dataset held in the node's content store (as H-B's `StoredDataset` records it) in the shape the replicator needs. */
import type { ContentBlocks } from '@aic/data-vessel';
import type { HeldDataset } from './replicator.ts';

/** The manifest of a stored dataset and its sealed chunks read one by one from the store; undefined without it. */
export async function heldDatasetFromContent(
  content: Pick<ContentBlocks, 'get'>,
  stored: { manifestCid: string; chunkCids: readonly (readonly string[])[] },
): Promise<HeldDataset | undefined> {
  const manifestBytes = await content.get(stored.manifestCid);
  if (!manifestBytes) return undefined;
  return {
    manifestBytes,
    async chunk(shardIndex, chunkIndex) {
      const cid = stored.chunkCids[shardIndex]?.[chunkIndex];
      return cid === undefined ? undefined : await content.get(cid);
    },
  };
}
