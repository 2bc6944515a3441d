export {
  buildDataset,
  type DatasetDescription,
  type DigitizedRows,
  type ImportedDataset,
  type PublishOptions,
} from './build-dataset.ts';
export { rawCid } from './cid.ts';
export { readShard, type ShardTensors } from './read-shard.ts';
export { seededPermutation } from './shuffle.ts';
