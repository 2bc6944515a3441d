import type { Hex } from '../commitments/index.ts';
import type { ContentStore } from '../content/content-store.ts';
import type { SealedChunkStore } from '../exchange/index.ts';

/** What a holder serves of one dataset: each shard's root and its sealed chunks' CIDs. */
export interface HeldChunks {
  readonly manifest: { readonly shards: readonly { readonly root: string }[] };
  readonly chunkCids: readonly (readonly string[])[];
}

/** The sealed chunks of every dataset a node holds, served from its ContentStore; datasets come and go. */
export interface HeldChunkIndex extends SealedChunkStore {
  add(dataset: HeldChunks): void;
  remove(dataset: HeldChunks): void;
}

/**
 * An index from shard root to chunk CIDs over a ContentStore: the `SealedChunkStore` that `serveDataset` answers
 * from, so the chunk server reads ciphertext straight from the store (nothing held in memory but the CIDs).
 *
 * @example
 * const index = heldChunkIndex(store); index.add(stored); await serveDataset(net, index);
 */
export function heldChunkIndex(store: ContentStore): HeldChunkIndex {
  const byRoot = new Map<string, readonly string[]>();
  return {
    add(dataset) {
      dataset.manifest.shards.forEach((shard, i) => {
        const cids = dataset.chunkCids[i];
        if (cids) byRoot.set(shard.root.toLowerCase(), cids);
      });
    },
    remove(dataset) {
      for (const shard of dataset.manifest.shards) byRoot.delete(shard.root.toLowerCase());
    },
    async get(root: Hex, chunkIndex: number) {
      const cid = byRoot.get(root.toLowerCase())?.[chunkIndex];
      return cid === undefined ? undefined : await store.get(cid);
    },
  };
}
