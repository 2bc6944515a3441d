export { type ChunkSource, DEFAULT_FETCH_CONCURRENCY, type LoadedShard, loadShard } from './load-shard.ts';
export { type SealedChunkSource, sealedChunkSource } from './sealed-source.ts';
export { createShardCache, type ShardCache, type ShardCacheInit } from './shard-cache.ts';
