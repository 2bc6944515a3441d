export { type HeldChunkIndex, type HeldChunks, heldChunkIndex } from './held-chunks.ts';
export {
  checkChunkCids,
  type PublishedDatasetContent,
  publishDatasetDir,
  type StoredDataset,
  storeDataset,
} from './publish-dataset.ts';
