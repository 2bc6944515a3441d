export {
  chunkAt,
  chunkCount,
  chunkLeaf,
  chunkLeafPrefix,
  chunkProof,
  type Hex,
  shardChunkLeaves,
  shardRoot,
  shardRootOfLeaves,
  verifyChunk,
} from './chunks.ts';
export { datasetRoot, type ShardCommitment, type ShardLayout, shardLeaf, shardProof } from './dataset-root.ts';
