/**
 * The caller's side of paid inference: run a Model or TrainedAI NFT on a node that holds it, paid by one of this
 * node account's PLAZA uses. The node refuses before contacting anyone when the chain shows no usage right
 * (MODEL_CALL_UNPAID, nothing consumed); otherwise it runs the model itself when it holds it, else asks the holders
 * the holdings book names, then the asset's owner on chain (whose node keeps a TrainedAI's weights).
 */
import { AicError, isAicError } from '@aic/core';
import { callModel, MAX_SAMPLES_PER_CALL } from '@aic/model-vessel';
import type { Logger } from 'pino';
import type { NodeNetwork } from '../network-port.ts';
import type { ModelHoldingsBook } from './model-holdings.ts';
import type { Address, ModelLedger } from './model-ledger.ts';
import type { ModelServing } from './model-serving.ts';

/** Most input values in one call (bounds what one API request makes the serving node hold). */
const MAX_CALL_VALUES = 4_000_000;

export interface ModelCallOutcome {
  outputs: number[][];
  labels?: string[];
  servedBy: string;
  usesLeft: bigint;
}

/** Refusals by the serving node that another holder would give too: passed on as they are, no other holder tried. */
const FINAL_REMOTE_CODES = new Set(['MODEL_CALL_UNPAID', 'MODEL_CALL_INPUT_INVALID']);

export interface ModelCallsComponents {
  network: NodeNetwork;
  ledger: ModelLedger;
  serving: ModelServing;
  holdings?: ModelHoldingsBook | undefined;
  logger: Logger;
}

export function createModelCalls(c: ModelCallsComponents) {
  return {
    async call(modelId: string, samples: readonly unknown[]): Promise<ModelCallOutcome> {
      const tokenId = BigInt(modelId);
      const me = c.network.address as Address;
      const { inputs, width } = flattenSamples(samples);
      if (!(await c.ledger.hasAccess(tokenId, me))) {
        throw new AicError('MODEL_CALL_UNPAID', `${me} holds no usage right on model ${modelId}: buy uses first`, {
          details: { modelId, caller: me },
        });
      }
      const count = samples.length;
      const answer = await run(c, modelId, { inputs, count, width, me });
      const outputs = splitRows(answer.outputs, count);
      const usesLeft = await c.ledger.usesLeft(tokenId, me);
      return { outputs, ...(answer.labels ? { labels: answer.labels } : {}), servedBy: answer.servedBy, usesLeft };
    },
  };
}

type Answer = { outputs: Float32Array; labels?: string[] | undefined; servedBy: string };

async function run(
  c: ModelCallsComponents,
  modelId: string,
  call: { inputs: Float32Array; count: number; width: number; me: Address },
): Promise<Answer> {
  const own = await c.serving.get(modelId);
  if (own) {
    const result = await own.call({ caller: call.me, inputs: call.inputs, count: call.count });
    return {
      outputs: result.outputs,
      labels: result.labels ? [...result.labels] : undefined,
      servedBy: c.network.peerId,
    };
  }
  const net = c.network.aic;
  if (!net) throw new AicError('MODEL_NOT_SERVED', `model ${modelId} is not held here and this node has no network`);
  let lastError: unknown;
  for (const holder of await holdersOf(c, modelId)) {
    // a holder not connected now is dialled at the addresses it announced (then by PeerId, from the peer store)
    for (const target of holder.targets) {
      try {
        const answer = await callModel(net, target, {
          modelId,
          inputs: call.inputs,
          shape: [call.width],
          count: call.count,
        });
        return { outputs: answer.outputs, labels: answer.labels, servedBy: holder.peerId };
      } catch (error) {
        const remote = isAicError(error, 'NETWORK_REMOTE_ERROR') ? error : undefined;
        const code = remote?.details.code;
        if (remote && typeof code === 'string' && FINAL_REMOTE_CODES.has(code)) {
          throw new AicError(code as 'MODEL_CALL_UNPAID', `the serving node refused: ${remote.message}`, {
            details: { modelId, servedBy: holder.peerId },
            cause: error,
          });
        }
        const err = isAicError(error) ? error.toLine() : String(error);
        c.logger.info({ modelId, peer: holder.peerId, err }, 'holder did not serve');
        lastError = error;
        // the holder answered and refused: its other addresses would not change that
        if (remote) break;
      }
    }
  }
  throw new AicError('MODEL_NOT_SERVED', `no reachable node serves model ${modelId}`, {
    details: { modelId },
    ...(lastError === undefined ? {} : { cause: lastError }),
  });
}

interface ModelHolder {
  peerId: string;
  /** What to dial, in order: the PeerId when connected, else its announced addresses, then the PeerId. */
  targets: string[];
}

/** Serving holders first (holdings book), then the chain owner's node among the peers this node knows. */
async function holdersOf(c: ModelCallsComponents, modelId: string): Promise<ModelHolder[]> {
  const peers = c.network.getPeers();
  const connected = new Set(peers.filter((p) => p.connected).map((p) => p.peerId));
  const holders: ModelHolder[] = [];
  const add = (peerId: string, multiaddrs: readonly string[]) => {
    if (peerId === c.network.peerId || holders.some((h) => h.peerId === peerId)) return;
    const dialable = multiaddrs.map((a) => (a.includes('/p2p/') ? a : `${a}/p2p/${peerId}`)).slice(0, 4);
    holders.push({ peerId, targets: connected.has(peerId) ? [peerId] : [...dialable, peerId] });
  };
  for (const h of c.holdings?.holdersOf('model', modelId) ?? []) add(h.peerId, h.multiaddrs ?? []);
  const owner = (await c.ledger.assetOf(BigInt(modelId))).owner.toLowerCase();
  for (const p of peers) if (p.address?.toLowerCase() === owner) add(p.peerId, p.multiaddrs);
  return holders;
}

/** Samples (each a number array, nested as the input shape) as one row-major Float32Array; all the same length. */
export function flattenSamples(samples: readonly unknown[]): { inputs: Float32Array; width: number } {
  const bad = (reason: string): never => {
    throw new AicError('MODEL_CALL_INPUT_INVALID', reason);
  };
  if (samples.length < 1 || samples.length > MAX_SAMPLES_PER_CALL) bad(`give 1..${MAX_SAMPLES_PER_CALL} samples`);
  const values: number[] = [];
  let width = -1;
  for (const sample of samples) {
    const start = values.length;
    flattenInto(sample, values, 0, bad);
    const length = values.length - start;
    if (width >= 0 && length !== width) bad(`every sample must have ${width} values, one has ${length}`);
    width = length;
    if (values.length > MAX_CALL_VALUES) bad(`at most ${MAX_CALL_VALUES} input values per call`);
  }
  if (width < 1) bad('a sample needs at least one value');
  return { inputs: Float32Array.from(values), width };
}

function flattenInto(value: unknown, out: number[], depth: number, bad: (reason: string) => never): void {
  if (depth > 8) bad('a sample nests more than 8 levels');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) bad('input values must be finite numbers');
    out.push(value);
    return;
  }
  if (!Array.isArray(value)) bad('a sample is a number or an array of numbers (nested as the input shape)');
  for (const item of value as unknown[]) {
    flattenInto(item, out, depth + 1, bad);
    if (out.length > MAX_CALL_VALUES) bad(`at most ${MAX_CALL_VALUES} input values per call`);
  }
}

function splitRows(outputs: Float32Array, count: number): number[][] {
  const width = outputs.length / count;
  return Array.from({ length: count }, (_, i) => Array.from(outputs.subarray(i * width, (i + 1) * width)));
}
