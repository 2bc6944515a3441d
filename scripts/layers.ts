/**
 * The layer of every workspace package (DESIGN.md: core ← Skeleton ← Vessels ← Organism, apps on top).
 * A package may import another @aic package only from a strictly lower layer, or along an edge listed in
 * SAME_LAYER_EDGES (kept short and acyclic on purpose). scripts/check-layers.ts enforces this.
 */
export const LAYERS: Record<string, number> = {
  '@aic/core': 0,
  // Skeleton
  '@aic/ledger': 1,
  '@aic/network': 1,
  '@aic/allocator': 1,
  '@aic/verification': 1,
  '@aic/rating': 1,
  '@aic/chain': 1,
  // Vessels
  '@aic/data-vessel': 2,
  '@aic/model-vessel': 2,
  '@aic/gpu-vessel': 2,
  // Organism and apps
  '@aic/node': 3,
  '@aic/cli': 4,
  '@aic/web': 4,
  '@aic/devnet': 5,
  '@aic/bench': 6,
};

/** Same-layer imports that are allowed: [importer, imported]. */
export const SAME_LAYER_EDGES: ReadonlyArray<readonly [string, string]> = [
  // The GPU Vessel runs jobs in the Model Vessel's deterministic runtime (DESIGN.md §6: one runtime, many devices).
  ['@aic/gpu-vessel', '@aic/model-vessel'],
  // The PoV chain gossips blocks over the Skeleton's network and reads verified work from the contracts' events
  // (DESIGN.md §10: blocks earned by verified training).
  ['@aic/chain', '@aic/network'],
  ['@aic/chain', '@aic/ledger'],
];
