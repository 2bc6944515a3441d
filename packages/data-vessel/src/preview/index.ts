export { type DatasetPreviewJson, previewFromJson, previewToJson } from './codec.ts';
export { createPreview } from './create.ts';
export {
  chunksCovering,
  DEFAULT_PREVIEW_ROWS,
  locateRow,
  previewSeed,
  rowByteRanges,
  selectPreviewRows,
} from './select.ts';
export type { DatasetPreview, PreviewChunk, PreviewRow, VerifiedPreviewRow } from './types.ts';
export { previewRowValues, verifyPreview } from './verify.ts';
