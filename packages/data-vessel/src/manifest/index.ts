export { type DatasetPublication, datasetPublication, manifestFileBytes } from './publication.ts';
export {
  type DatasetManifest,
  datasetManifestSchema,
  type Normalization,
  type Preprocessing,
  type ShardEntry,
  SOURCE_KINDS,
  type SourceKind,
} from './schema.ts';
export { type ManifestIssue, parseDatasetManifest } from './validate.ts';
