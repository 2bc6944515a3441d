/**
 * Fixed sizes and limits of the Data Vessel, written down once (README "Limits").
 */

/**
 * Shards are cut into chunks of exactly this many bytes (the last chunk of a shard may be shorter).
 * 256 KiB: small enough that a storage challenge answer or a preview row stays well under the network's message
 * limit, large enough that a 100 MB shard has only 400 leaves.
 */
export const CHUNK_SIZE_BYTES = 256 * 1024;

/** Target size of one safetensors shard; importers pick rows per shard so a shard stays near it. */
export const TARGET_SHARD_BYTES = 8 * 1024 * 1024;

/** Largest manifest text accepted (the vocabulary of a text dataset lives in it). */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

/** Most shards in one dataset. */
export const MAX_SHARDS = 100_000;

/** Most rows a preview may show. */
export const MAX_PREVIEW_ROWS = 64;
