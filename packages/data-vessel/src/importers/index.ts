export {
  fftInPlace,
  frameCount,
  type LogMelConfig,
  logMelInto,
  type MonoAudio,
  melFilterbank,
  parseWav,
  resampleLinear,
} from './audio/index.ts';
export { type AudioImportOptions, importWav } from './audio.ts';
export {
  COLUMN_TYPES,
  type ColumnDecision,
  type ColumnType,
  isNumberText,
} from './column-types.ts';
export { parseCsv, parseCsvLines } from './csv-parse.ts';
export { type ImageImportOptions, importImages } from './image.ts';
export { decodeImage, MAX_IMAGE_MEGAPIXELS, type RgbaImage, resizeToUnitFloats } from './image-decode.ts';
export type { LabelledFile } from './labelled-file.ts';
export { type CsvImport, type CsvImportOptions, importCsv, importCsvWithReport } from './tabular.ts';
export { importTextJsonl, type TextImportOptions } from './text.ts';
export {
  buildVocabulary,
  encodeText,
  PAD_ID,
  RESERVED_TOKENS,
  SEPARATOR_ID,
  tokenizeText,
  UNKNOWN_ID,
} from './tokenizer.ts';
