import { AicError } from '@aic/core';
import { readSafetensors, tensorFromArray, tensorToArray, writeSafetensors } from '@aic/core/safetensors';
import { type AicNetwork, modelCallProtocol, type RequestHandler } from '@aic/network';
import type { ModelService } from './model-service.ts';
import { MAX_SAMPLES_PER_CALL } from './predict.ts';

type ModelCallRequest = Parameters<
  RequestHandler<{ modelId: string; inputs: Uint8Array; paymentProof: Uint8Array }, never>
>[0];

// Inputs and outputs travel as safetensors files holding one F32 tensor ("inputs" / "outputs", batch first).
const IO_LIMITS = { maxHeaderBytes: 64 * 1024, maxTensors: 1, maxRank: 9 };

function decodeInputs(bytes: Uint8Array): { inputs: Float32Array; count: number } {
  const tensor = readSafetensors(bytes, IO_LIMITS).tensors.get('inputs');
  if (tensor?.dtype !== 'F32' || tensor.shape.length < 1) {
    throw new AicError('MODEL_CALL_INPUT_INVALID', 'inputs must be one F32 tensor named "inputs", batch first');
  }
  return { inputs: tensorToArray(tensor) as Float32Array, count: tensor.shape[0] as number };
}

/**
 * Where the handler finds the service of a model id: a Map, or a lookup that loads a model lazily (a node loads the
 * weights of a settled TrainedAI on its first call).
 */
export interface ModelSource {
  get(modelId: string): ModelService | undefined | Promise<ModelService | undefined>;
}

/**
 * The network handler of `/aic/model-call/1.0.0` for the models this node serves (by asset id). The caller is the
 * request's authenticated signer; payment is checked by each model service against the ledger's usage rights, so
 * `paymentProof` is not needed yet. Errors answer with their code (MODEL_NOT_SERVED, MODEL_CALL_UNPAID, …).
 */
export function createModelCallHandler(services: ModelSource) {
  return async (request: ModelCallRequest, context: { sender: `0x${string}` }): Promise<{ outputs: Uint8Array }> => {
    const service = await services.get(request.modelId);
    if (!service) throw new AicError('MODEL_NOT_SERVED', `model ${request.modelId} is not served here`);
    const { inputs, count } = decodeInputs(request.inputs);
    const result = await service.call({ caller: context.sender, inputs, count });
    const metadata: Record<string, string> = result.labels ? { labels: JSON.stringify(result.labels) } : {};
    return { outputs: writeSafetensors({ outputs: tensorFromArray(result.outputs, result.outputShape) }, metadata) };
  };
}

/** Serves `services` on a started network. */
export function serveModels(net: AicNetwork, services: ModelSource): Promise<void> {
  return net.handle(modelCallProtocol, createModelCallHandler(services));
}

/**
 * Calls a model served by `peer`: `count` samples of row-major `inputs` with per-sample `shape`. Returns the outputs
 * ([count, ...]) and class labels when the model declares them. A refusal throws the network's
 * NETWORK_REMOTE_ERROR carrying the server's code (e.g. MODEL_CALL_UNPAID) in its details.
 */
export async function callModel(
  net: AicNetwork,
  peer: Parameters<AicNetwork['request']>[0],
  call: { modelId: string; inputs: Float32Array; shape: readonly number[]; count: number },
): Promise<{ outputs: Float32Array; shape: readonly number[]; labels?: string[] }> {
  if (call.count < 1 || call.count > MAX_SAMPLES_PER_CALL) {
    throw new AicError('MODEL_CALL_INPUT_INVALID', `count must be 1..${MAX_SAMPLES_PER_CALL}`);
  }
  const inputs = writeSafetensors({ inputs: tensorFromArray(call.inputs, [call.count, ...call.shape]) });
  // a refusal by the server (its AicError code) arrives as NETWORK_REMOTE_ERROR with the code in details
  const answer = await net.request(peer, modelCallProtocol, {
    modelId: call.modelId,
    inputs,
    paymentProof: new Uint8Array(0),
  });
  const file = readSafetensors(answer.outputs, IO_LIMITS);
  const tensor = file.tensors.get('outputs');
  if (tensor?.dtype !== 'F32') throw new AicError('MODEL_CALL_FAILED', 'the answer holds no F32 "outputs" tensor');
  const labels = file.metadata.labels === undefined ? undefined : (JSON.parse(file.metadata.labels) as string[]);
  const outputs = tensorToArray(tensor) as Float32Array;
  return labels ? { outputs, shape: tensor.shape, labels } : { outputs, shape: tensor.shape };
}
