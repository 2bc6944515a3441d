// Names that help text and argument checks need at start-up, kept here so `aic --help` does not load the Model
// Vessel (TensorFlow.js). A unit test checks them against the Model Vessel's own lists.

/** The model templates (`TEMPLATES` of @aic/model-vessel). */
export const MODEL_TEMPLATE_IDS = ['mnist', 'iris', 'intent'] as const;
/** The runtime backends (`RUNTIME_BACKENDS` of @aic/model-vessel). */
export const MODEL_RUNTIME_BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;
