export {
  buildDataset,
  type DatasetDescription,
  type DigitizedRows,
  type ImportedDataset,
  type PublishOptions,
} from './build-dataset.ts';
export { seededPermutation } from './shuffle.ts';
