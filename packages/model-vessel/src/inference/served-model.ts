import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from '../graph/build-model.ts';
import { DEFAULT_MODEL_LIMITS, type ModelLimits } from '../limits.ts';
import type { ModelManifest } from '../manifest/schema.ts';
import { validateManifest } from '../manifest/validate.ts';
import { type RuntimeBackend, useBackend } from '../runtime/backend.ts';
import { compileModel, loadTrainedModel } from '../runtime/trained-model.ts';

/** Seed of the initial weights a Model NFT is served with before any training (the runtime's default job seed). */
export const PUBLISHED_MODEL_SEED = 0;

/**
 * Builds the model a node serves for an asset, from untrusted manifest text or value: with `weights` (a TrainedAI's
 * result file) those weights, checked against the architecture; without them the manifest's own deterministic
 * initialization (a published Model NFT as its author published it: seeded weights, a pure function of the
 * manifest). Throws the manifest errors, SAFETENSORS_*, MODEL_WEIGHTS_INVALID or MODEL_WEIGHTS_NOT_FINITE.
 */
export async function loadServedModel(
  manifestInput: unknown,
  weights: Uint8Array | undefined,
  backend: RuntimeBackend,
  limits: ModelLimits = DEFAULT_MODEL_LIMITS,
): Promise<{ manifest: ModelManifest; model: tfl.LayersModel }> {
  const { manifest, graph } = validateManifest(manifestInput, limits);
  if (weights !== undefined) {
    return { manifest, model: await loadTrainedModel(manifest, weights, backend, limits) };
  }
  await useBackend(backend);
  const model = buildModel(graph, PUBLISHED_MODEL_SEED);
  compileModel(model, manifest.architecture.loss);
  return { manifest, model };
}
