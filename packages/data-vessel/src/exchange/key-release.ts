import { AicError, isAicError } from '@aic/core';
import { type AicNetwork, addressFromPeerId, datasetKeyReleaseProtocol, type RequestContext } from '@aic/network';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Hex } from '../commitments/index.ts';
import { publicKeyFromPeerId, unwrapDatasetKey, wrapDatasetKey } from '../crypto/index.ts';

/** A dataset whose key this holder may release. */
export interface ReleasableDataset {
  readonly datasetRoot: Hex;
  readonly key: Uint8Array;
}

/** The holder's side of key release. */
export interface KeyReleaseInit {
  /** Datasets by asset id (the Dataset NFT's token id, decimal). */
  readonly datasets: ReadonlyMap<string, ReleasableDataset>;
  /**
   * The release rule, asked for every request (the node reads the chain: the job's assigned provider, drawn verifier
   * or arbiter for a funded job on this dataset; a usage-right holder where the licence allows download).
   * `worker` is the Noise-authenticated requester's address; `jobId` comes from the request (zero when not for a
   * job). A throw refuses with DATA_KEY_RIGHT_UNVERIFIED.
   */
  mayRelease(request: KeyReleaseRequest): Promise<boolean>;
}

/** What the release rule is asked. */
export interface KeyReleaseRequest {
  readonly datasetId: string;
  readonly worker: `0x${string}`;
  readonly jobId: Hex;
}

/** The job id of a request that is not for a compute job (direct usage). */
export const NO_JOB_ID = `0x${'0'.repeat(64)}` as const;

function sameKey(claimed: Uint8Array, actual: Uint8Array): boolean {
  try {
    const compressed = secp256k1.Point.fromBytes(claimed).toBytes(true);
    return compressed.length === actual.length && compressed.every((byte, i) => byte === actual[i]);
  } catch {
    return false;
  }
}

/**
 * The `/aic/dataset-key/1.0.0` handler. The worker is the authenticated remote peer (Noise + the request's
 * signature): its address comes from its PeerId, never from the request. The key is wrapped to the PeerId's public
 * key only after the release rule (`mayRelease`) allows this worker for this job. Refusals (answered with their
 * code): DATA_KEY_UNKNOWN_DATASET, DATA_KEY_REQUEST_INVALID (the claimed public key is not the peer's),
 * DATA_KEY_UNPAID (the rule says no), DATA_KEY_RIGHT_UNVERIFIED (the chain could not be asked: refuse rather than
 * release).
 */
export function createKeyReleaseHandler(init: KeyReleaseInit) {
  return async (
    request: { datasetId: string; jobId?: string; workerPublicKey: Uint8Array },
    context: Pick<RequestContext, 'peer'>,
  ): Promise<{ wrappedKey: Uint8Array }> => {
    const dataset = init.datasets.get(request.datasetId);
    if (!dataset) throw new AicError('DATA_KEY_UNKNOWN_DATASET', `dataset ${request.datasetId} is not held here`);
    const workerKey = publicKeyFromPeerId(context.peer.toString());
    if (!sameKey(request.workerPublicKey, workerKey)) {
      throw new AicError('DATA_KEY_REQUEST_INVALID', 'workerPublicKey is not the public key of the requesting peer');
    }
    const worker = addressFromPeerId(context.peer);
    const jobId = (request.jobId ?? NO_JOB_ID) as Hex;
    const allowed = await init.mayRelease({ datasetId: request.datasetId, worker, jobId }).catch((cause: unknown) => {
      throw new AicError('DATA_KEY_RIGHT_UNVERIFIED', 'the release rule could not be checked', { cause });
    });
    if (!allowed) {
      throw new AicError('DATA_KEY_UNPAID', `${worker} may not receive the key of dataset ${request.datasetId}`, {
        details: { datasetId: request.datasetId, jobId },
      });
    }
    return { wrappedKey: wrapDatasetKey(dataset.key, workerKey, dataset.datasetRoot) };
  };
}

/** Serves dataset key release on a started network. */
export function serveDatasetKeys(net: AicNetwork, init: KeyReleaseInit): Promise<void> {
  return net.handle(datasetKeyReleaseProtocol, createKeyReleaseHandler(init));
}

/** What a worker asks for. */
export interface DatasetKeyRequest {
  readonly datasetId: string;
  /** The committed dataset root (from the NFT): the wrapped key opens only as the key of this dataset. */
  readonly datasetRoot: Hex;
  /** The worker's secp256k1 private key (its libp2p and Ethereum key), used locally to unwrap, never sent. */
  readonly privateKey: Uint8Array;
  /** The compute job the data is for; zero when buying usage directly. */
  readonly jobId?: Hex;
}

/**
 * Asks `holder` for a dataset key and unwraps it. A refusal throws DATA_KEY_REFUSED with the holder's code in
 * `details.code` (e.g. DATA_KEY_UNPAID); a key that does not open throws DATA_KEY_UNWRAP_FAILED.
 *
 * @example
 * const key = await requestDatasetKey(worker, ownerAddr, { datasetId: '7', datasetRoot, privateKey });
 */
export async function requestDatasetKey(
  net: AicNetwork,
  holder: Parameters<AicNetwork['request']>[0],
  request: DatasetKeyRequest,
): Promise<Uint8Array> {
  const workerPublicKey = publicKeyFromPeerId(net.peerId.toString());
  let wrappedKey: Uint8Array;
  try {
    ({ wrappedKey } = await net.request(holder, datasetKeyReleaseProtocol, {
      datasetId: request.datasetId,
      jobId: request.jobId ?? NO_JOB_ID,
      workerPublicKey,
    }));
  } catch (error) {
    const code = isAicError(error) && typeof error.details.code === 'string' ? error.details.code : undefined;
    throw new AicError('DATA_KEY_REFUSED', `the holder did not release the key of dataset ${request.datasetId}`, {
      cause: error,
      details: { code: code ?? (isAicError(error) ? error.code : 'UNKNOWN'), datasetId: request.datasetId },
    });
  }
  return unwrapDatasetKey(wrappedKey, request.privateKey, request.datasetRoot);
}
