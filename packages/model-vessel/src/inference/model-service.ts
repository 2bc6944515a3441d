import { AicError } from '@aic/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelManifest } from '../manifest/schema.ts';
import { predict } from './predict.ts';

/** What the service needs from the ledger: whether an account holds a usage right on the model's asset NFT. */
export interface ModelServiceComponents {
  /** Plaza.hasAccess(tokenId, account): owner, renter, uses left, or an open time window. */
  hasAccess(tokenId: bigint, account: `0x${string}`): Promise<boolean>;
  /** Records one paid use after a successful call (Plaza.consumeUses by the serving owner); optional. */
  recordUse?(tokenId: bigint, account: `0x${string}`): Promise<void>;
}

export interface ModelServiceInit {
  readonly manifest: ModelManifest;
  readonly model: tfl.LayersModel;
  /** The model's asset NFT on the AssetRegistry. */
  readonly tokenId: bigint;
}

/** One call: the caller (authenticated by the network layer's signed message) and its input samples. */
export interface ModelCall {
  readonly caller: `0x${string}`;
  readonly inputs: Float32Array;
  readonly count: number;
}

export interface ModelCallResult {
  readonly outputs: Float32Array;
  readonly outputShape: readonly number[];
  /** Class names of the output units, when the manifest declares them. */
  readonly labels?: readonly string[];
}

/**
 * The inference side of a served model: a call runs only when the ledger shows the caller holds a usage right on
 * the model's NFT (paid through PLAZA); otherwise MODEL_CALL_UNPAID, and nothing runs. Inputs are checked against
 * the manifest (MODEL_CALL_INPUT_INVALID). The network handler that carries calls wraps this.
 *
 * @example
 * const service = createModelService({ manifest, model, tokenId }, { hasAccess: (id, who) => ledger.hasAccess(id, who) });
 * const { outputs } = await service.call({ caller, inputs, count: 1 });
 */
export function createModelService(init: ModelServiceInit, components: ModelServiceComponents) {
  const output = init.manifest.outputs[0];
  return {
    async call(call: ModelCall): Promise<ModelCallResult> {
      if (!(await components.hasAccess(init.tokenId, call.caller))) {
        throw new AicError('MODEL_CALL_UNPAID', `${call.caller} holds no usage right on model ${init.tokenId}`, {
          details: { tokenId: init.tokenId.toString(), caller: call.caller },
        });
      }
      const outputs = await predict(init.model, init.manifest, call.inputs, call.count);
      // the use is recorded before the answer leaves, so a failed record means no free answer
      await components.recordUse?.(init.tokenId, call.caller);
      const outputShape = [call.count, ...(output?.shape ?? [])];
      return output?.labels ? { outputs, outputShape, labels: output.labels } : { outputs, outputShape };
    },
  };
}

export type ModelService = ReturnType<typeof createModelService>;
