import { AicError } from '@aic/core';
import { datasetRoot } from '../commitments/index.ts';
import { MAX_MANIFEST_BYTES } from '../limits.ts';
import { type DatasetManifest, datasetManifestSchema, type SourceKind } from './schema.ts';

/** A problem found in a manifest: where (a dotted path like `shards[0].rows`) and why. */
export interface ManifestIssue {
  readonly path: string;
  readonly reason: string;
}

const PREPROCESSING_OF: Record<SourceKind, DatasetManifest['preprocessing']['kind']> = {
  'tabular-csv': 'tabular',
  'image-folder': 'image',
  'text-jsonl': 'text',
  'text-pair-jsonl': 'text',
  'audio-wav': 'audio',
};

function pathToString(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
    '',
  );
}

function invalid(issues: readonly ManifestIssue[]): never {
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path || '(root)'}: ${i.reason}`)
    .join('; ');
  throw new AicError('DATA_MANIFEST_INVALID', summary, { details: { issues } });
}

const elements = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

function checkSchemaConsistency(m: DatasetManifest, issues: ManifestIssue[]): void {
  if (PREPROCESSING_OF[m.sourceKind] !== m.preprocessing.kind) {
    issues.push({
      path: 'preprocessing.kind',
      reason: `a ${m.sourceKind} dataset has ${PREPROCESSING_OF[m.sourceKind]} preprocessing`,
    });
  }
  const lastDim = m.features.shape[m.features.shape.length - 1] ?? 1;
  if (m.features.names && m.features.names.length !== lastDim) {
    issues.push({ path: 'features.names', reason: `needs one name per entry of the last axis (${lastDim})` });
  }
  if (m.task === 'classification') {
    if (!m.classes?.length) issues.push({ path: 'classes', reason: 'a classification dataset names its classes' });
    if (m.labels.dtype !== 'I32') issues.push({ path: 'labels.dtype', reason: 'class ids are I32' });
  }
  if (m.normalization.kind === 'zscore') {
    const { mean, std } = m.normalization;
    if (mean.length !== std.length) issues.push({ path: 'normalization.std', reason: 'needs as many entries as mean' });
    if (mean.length !== 1 && mean.length !== lastDim) {
      issues.push({ path: 'normalization.mean', reason: `needs 1 or ${lastDim} entries (the last feature axis)` });
    }
  }
}

function checkRowsAndShards(m: DatasetManifest, issues: ManifestIssue[]): void {
  const shardRows = m.shards.reduce((a, s) => a + s.rows, 0);
  if (shardRows !== m.rows) issues.push({ path: 'rows', reason: `shards hold ${shardRows} rows` });
  if (m.split.trainRows + m.split.testRows !== m.rows) {
    issues.push({ path: 'split', reason: `trainRows + testRows must equal rows (${m.rows})` });
  }
  const featureRowBytes = elements(m.features.shape) * 4;
  const labelRowBytes = elements(m.labels.shape) * 4;
  for (const [i, s] of m.shards.entries()) {
    const at = `shards[${i}].layout`;
    if (s.layout.featureRowBytes !== featureRowBytes) {
      issues.push({ path: `${at}.featureRowBytes`, reason: `features need ${featureRowBytes} bytes per row` });
    }
    if (s.layout.labelRowBytes !== labelRowBytes) {
      issues.push({ path: `${at}.labelRowBytes`, reason: `labels need ${labelRowBytes} bytes per row` });
    }
    const featuresEnd = s.layout.featuresOffset + s.rows * s.layout.featureRowBytes;
    const labelsEnd = s.layout.labelsOffset + s.rows * s.layout.labelRowBytes;
    if (Math.max(featuresEnd, labelsEnd) > s.byteLength) {
      issues.push({ path: at, reason: `rows run past the end of the ${s.byteLength}-byte shard` });
    }
  }
}

function parseText(text: string): unknown {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_MANIFEST_BYTES) {
    throw new AicError('DATA_MANIFEST_TOO_LARGE', `manifest is ${bytes} bytes, the limit is ${MAX_MANIFEST_BYTES}`, {
      details: { bytes, maxBytes: MAX_MANIFEST_BYTES },
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AicError('DATA_MANIFEST_INVALID', 'manifest is not valid JSON', {
      cause,
      details: { issues: [{ path: '', reason: 'not valid JSON' }] },
    });
  }
}

/**
 * Validates an untrusted dataset manifest (JSON text or parsed value): the schema, then consistency (row counts,
 * split, shard layouts, class names, normalization sizes) and finally that `datasetRoot` is the root of the shard
 * commitments. Throws AicError DATA_MANIFEST_INVALID with `details.issues = [{ path, reason }]`, or
 * DATA_MANIFEST_TOO_LARGE.
 *
 * @example
 * const manifest = parseDatasetManifest(await readFile('iris/manifest.json', 'utf8'));
 */
export function parseDatasetManifest(input: unknown): DatasetManifest {
  const value = typeof input === 'string' ? parseText(input) : input;
  const parsed = datasetManifestSchema.safeParse(value);
  if (!parsed.success) {
    invalid(parsed.error.issues.map((issue) => ({ path: pathToString(issue.path), reason: issue.message })));
  }
  const manifest = parsed.data;
  const issues: ManifestIssue[] = [];
  checkSchemaConsistency(manifest, issues);
  checkRowsAndShards(manifest, issues);
  if (issues.length === 0 && datasetRoot(manifest.shards) !== manifest.datasetRoot) {
    issues.push({ path: 'datasetRoot', reason: 'is not the Merkle root of the shard commitments' });
  }
  if (issues.length > 0) invalid(issues);
  return manifest;
}
