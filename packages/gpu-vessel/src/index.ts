/**
 * @aic/gpu-vessel: the GPU Vessel (DESIGN.md §6–7) — what a compute provider runs: hardware descriptor and
 * detection, self-benchmark, hardware-class challenges, the sandboxed training worker process, and the provider and
 * verifier agents of verified jobs.
 */
export {};
