export {
  chunkAt,
  chunkCount,
  chunkLeaf,
  chunkProof,
  type Hex,
  shardChunkLeaves,
  shardRoot,
  verifyChunk,
} from './chunks.ts';
export { datasetRoot, type ShardCommitment, type ShardLayout, shardLeaf, shardProof } from './dataset-root.ts';
