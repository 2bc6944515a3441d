import type { RuntimeBackend } from '@aic/model-vessel';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/**
 * Makes `backend` the active TensorFlow.js backend. The cpu backend is switched to here directly, so the
 * challenge and the benchmark on cpu do not load the whole Model Vessel runtime; wasm and webgpu go through the
 * runtime's `useBackend` (it knows how to register them, e.g. Dawn for Node).
 */
export async function activateBackend(backend: RuntimeBackend): Promise<void> {
  if (tf.getBackend() === backend) return;
  if (backend === 'cpu' && (await tf.setBackend('cpu'))) return;
  const { useBackend } = await import('@aic/model-vessel');
  await useBackend(backend);
}
