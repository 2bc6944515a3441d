import type { Hex } from '../commitments/index.ts';
import type { SealedChunkStore } from './chunk-server.ts';

/**
 * An in-memory store of one dataset's sealed chunks (`encryptShard` output per shard, in manifest order), keyed by
 * the manifest's shard roots.
 *
 * @example
 * const store = sealedChunkStore(manifest, shards.map((s, i) => encryptShard(key, manifest.datasetRoot, i, s)));
 */
export function sealedChunkStore(
  manifest: { readonly shards: readonly { readonly root: string }[] },
  sealedShards: readonly (readonly Uint8Array[])[],
): SealedChunkStore {
  const byRoot = new Map<Hex, readonly Uint8Array[]>();
  manifest.shards.forEach((shard, index) => {
    const sealed = sealedShards[index];
    if (sealed) byRoot.set(shard.root as Hex, sealed);
  });
  return { get: (root, chunkIndex) => byRoot.get(root)?.[chunkIndex] };
}
