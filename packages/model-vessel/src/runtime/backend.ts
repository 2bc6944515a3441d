import { AicError } from '@aic/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/**
 * Execution backends. `cpu` (pure JS) and `wasm` are deterministic; `webgpu` is the fast GPU mode, verified with a
 * tolerance. Commitments are comparable only within one backend, so the backend is part of the job spec.
 */
export const RUNTIME_BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;
export type RuntimeBackend = (typeof RUNTIME_BACKENDS)[number];

/** True for backends whose results are bit-identical for the same job. */
export const isDeterministicBackend = (backend: RuntimeBackend): boolean => backend !== 'webgpu';

async function registerWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Threads stay off: SIMD only, so the result does not depend on the machine's core count.
  wasm.setThreadsCount(1);
}

// Dawn for Node (npm `webgpu`) gives a `navigator.gpu`; the tfjs webgpu backend registers only when it exists.
async function registerWebgpu(): Promise<void> {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav?.gpu === undefined) {
    const dawnModule = 'webgpu'; // optional dependency: a variable keeps bundlers and tsc from requiring it
    try {
      const dawn = (await import(dawnModule)) as { create: (o: string[]) => unknown; globals: object };
      Object.assign(globalThis, dawn.globals);
      Object.defineProperty(globalThis, 'navigator', { value: { gpu: dawn.create([]) }, configurable: true });
    } catch (cause) {
      throw new AicError(
        'RUNTIME_BACKEND_UNAVAILABLE',
        'webgpu needs navigator.gpu (install the npm `webgpu` package and a Vulkan driver)',
        {
          details: { backend: 'webgpu' },
          cause,
        },
      );
    }
  }
  await import('@tensorflow/tfjs-backend-webgpu');
}

/**
 * Makes `backend` the active TensorFlow.js backend, loading it on first use.
 * Throws RUNTIME_BACKEND_UNAVAILABLE when it cannot run here (e.g. webgpu without navigator.gpu).
 */
export async function useBackend(backend: RuntimeBackend): Promise<void> {
  if (tf.getBackend() === backend) return;
  if (backend === 'wasm' && tf.findBackendFactory('wasm') === null) await registerWasm();
  if (backend === 'webgpu' && tf.findBackendFactory('webgpu') === null) await registerWebgpu();
  let ok = false;
  try {
    ok = await tf.setBackend(backend);
  } catch (cause) {
    throw new AicError('RUNTIME_BACKEND_UNAVAILABLE', `backend ${backend} failed to start`, {
      details: { backend },
      cause,
    });
  }
  if (!ok)
    throw new AicError('RUNTIME_BACKEND_UNAVAILABLE', `backend ${backend} failed to start`, { details: { backend } });
  await tf.ready();
}
