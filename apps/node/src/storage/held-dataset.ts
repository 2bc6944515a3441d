/** A dataset held in the node's content store (as H-B's `StoredDataset` records it) in the shape the replicator needs. */
import type { ContentBlocks } from '@aic/data-vessel';
import type { HeldDataset } from './replicator.ts';

/** Reads the manifest and every sealed chunk of a stored dataset; undefined when a block is missing. */
export async function heldDatasetFromContent(
  content: ContentBlocks,
  stored: { manifestCid: string; chunkCids: readonly (readonly string[])[] },
): Promise<HeldDataset | undefined> {
  const manifestBytes = await content.get(stored.manifestCid);
  if (!manifestBytes) return undefined;
  const sealed: Uint8Array[][] = [];
  for (const cids of stored.chunkCids) {
    const chunks: Uint8Array[] = [];
    for (const cid of cids) {
      const bytes = await content.get(cid);
      if (!bytes) return undefined;
      chunks.push(bytes);
    }
    sealed.push(chunks);
  }
  return { manifestBytes, sealed };
}
