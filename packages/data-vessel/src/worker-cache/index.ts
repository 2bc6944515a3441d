export { type ChunkSource, type LoadedShard, loadShard } from './load-shard.ts';
export { createShardCache, type ShardCache, type ShardCacheInit } from './shard-cache.ts';
