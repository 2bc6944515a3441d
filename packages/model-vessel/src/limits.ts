/**
 * Limits of the security boundary. A manifest or job outside them is refused before anything is built or run.
 * They bound memory (parameters, input size, batch), time (steps, FLOPs) and parser cost (JSON size and depth).
 */
export interface ModelLimits {
  /** Largest manifest JSON text, in bytes. */
  readonly maxManifestBytes: number;
  /** Deepest nesting of arrays/objects in a manifest. */
  readonly maxJsonDepth: number;
  /** Most layers in a model. */
  readonly maxLayers: number;
  /** Most parameters (trainable and not) in a model. */
  readonly maxParameters: number;
  /** Most elements in one input sample. */
  readonly maxInputElements: number;
  /** Most elements in any layer's output for one sample (bounds activation memory). */
  readonly maxActivationElements: number;
  /** Most floating-point operations for one forward pass of one sample (estimate). */
  readonly maxFlopsPerSample: number;
  /** Most optimizer steps in one job. */
  readonly maxSteps: number;
  /** Largest batch. */
  readonly maxBatchSize: number;
}

export const DEFAULT_MODEL_LIMITS: ModelLimits = {
  maxManifestBytes: 256 * 1024,
  maxJsonDepth: 24,
  maxLayers: 64,
  maxParameters: 20_000_000,
  maxInputElements: 1_048_576,
  maxActivationElements: 4_194_304,
  maxFlopsPerSample: 20_000_000_000,
  maxSteps: 2_000_000,
  maxBatchSize: 4096,
};
