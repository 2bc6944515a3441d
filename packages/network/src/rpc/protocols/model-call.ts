import { z } from 'zod';
import { assetId } from '../../wire/messages/fields.ts';
import { defineProtocol } from '../protocol.ts';

/**
 * Model call (inference): inputs and outputs as safetensors bytes. Handler: the Model Vessel (a later issue).
 */
export const modelCallProtocol = defineProtocol({
  id: '/aic/model-call/1.0.0',
  request: z.strictObject({
    modelId: assetId,
    inputs: z.instanceof(Uint8Array),
    paymentProof: z.instanceof(Uint8Array),
  }),
  response: z.strictObject({ outputs: z.instanceof(Uint8Array) }),
  maxRequestBytes: 4 * 1024 * 1024,
  maxResponseBytes: 4 * 1024 * 1024,
  timeoutMs: 60_000,
});
