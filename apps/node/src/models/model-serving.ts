/**
 * The serving side of paid inference in a node: the models it holds (model-catalog.ts) answer
 * `/aic/model-call/1.0.0` calls, loaded lazily on their first call. A call runs only when PLAZA shows the caller
 * holds a usage right, and a use bought with `buyUses` is consumed on chain (this node signs `consumeUses` as the
 * asset's owner) before the answer leaves. The income was split when the uses were bought (PLAZA → treasury fee,
 * the current owner, upstream along the lineage through Payroll), so serving moves no AIC.
 */
import { readFile } from 'node:fs/promises';
import { AicError, isAicError } from '@aic/core';
import {
  createModelService,
  loadServedModel,
  type ModelService,
  type ModelSource,
  type RuntimeBackend,
  serveModels,
} from '@aic/model-vessel';
import { type AicNetwork, modelCallProtocol } from '@aic/network';
import type { Logger } from 'pino';
import type { HeldModel, ModelCatalog } from './model-catalog.ts';
import type { ContentStore } from './model-content.ts';
import type { ModelHoldingsBook } from './model-holdings.ts';
import type { Address, ModelLedger } from './model-ledger.ts';

/** Inference runs on the CPU backend: every node has it, and it is the runtime's deterministic one. */
const SERVING_BACKEND: RuntimeBackend = 'cpu';

export interface ModelServing {
  /** The service of a model this node holds, loading it on first use; undefined when it holds none. */
  get(modelId: string): Promise<ModelService | undefined>;
  /** Handles the model-call protocol and announces every held model. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Announces a model that became held while running (just published). */
  announce(model: HeldModel): Promise<void>;
}

export interface ModelServingComponents {
  net: AicNetwork | undefined;
  ledger: ModelLedger;
  catalog: ModelCatalog;
  content: ContentStore;
  holdings?: ModelHoldingsBook | undefined;
  logger: Logger;
}

export function createModelServing(c: ModelServingComponents): ModelServing {
  const loaded = new Map<string, Promise<{ service: ModelService; dispose(): void }>>();

  const load = async (held: HeldModel) => {
    const manifest = held.manifestCid === undefined ? held.manifest : await manifestText(c.content, held.manifestCid);
    const weights = held.weightsPath === undefined ? undefined : new Uint8Array(await readFile(held.weightsPath));
    const { manifest: checked, model } = await loadServedModel(manifest, weights, SERVING_BACKEND);
    const tokenId = BigInt(held.modelId);
    const service = createModelService(
      { manifest: checked, model, tokenId },
      {
        hasAccess: (id, account) => c.ledger.hasAccess(id, account),
        recordUse: (id, account) => recordUse(c.ledger, id, account),
      },
    );
    c.logger.info({ modelId: held.modelId, kind: held.kind }, 'model loaded for serving');
    return { service, dispose: () => model.dispose() };
  };

  const announce = async (held: HeldModel) => {
    if (!c.holdings) return;
    // the root is the chain's (a holding another node cannot check against the chain is not worth announcing)
    const asset = await c.ledger.assetOf(BigInt(held.modelId));
    await c.holdings.announce({
      kind: 'model',
      assetId: held.modelId,
      root: asset.contentRoot,
      bytes: held.manifestCid === undefined ? 0 : ((await c.content.get(held.manifestCid))?.length ?? 0),
      role: held.kind === 'model' ? 'owner' : 'serving',
    });
  };

  const get = async (modelId: string): Promise<ModelService | undefined> => {
    let entry = loaded.get(modelId);
    if (entry === undefined) {
      const held = await c.catalog.get(modelId);
      if (held === undefined) return undefined;
      entry = load(held);
      loaded.set(modelId, entry);
      // a model that fails to load is not kept: the next call tries again (and reports the same typed error)
      entry.then(
        // a TrainedAI settled while this node ran becomes findable by others once it served once
        () => announce(held).catch((err: unknown) => warn(c.logger, err, 'model holding not announced')),
        () => loaded.delete(modelId),
      );
    }
    return (await entry).service;
  };

  const source: ModelSource = { get };
  return {
    get,
    announce: (held) => announce(held).catch((err: unknown) => warn(c.logger, err, 'model holding not announced')),
    async start() {
      if (!c.net) return;
      await serveModels(c.net, source);
      for (const held of await c.catalog.list()) {
        await announce(held).catch((err: unknown) => warn(c.logger, err, 'model holding not announced'));
      }
    },
    async stop() {
      await c.net?.unhandle(modelCallProtocol).catch(() => undefined);
      for (const entry of loaded.values()) await entry.then((e) => e.dispose()).catch(() => undefined);
      loaded.clear();
    },
  };
}

/**
 * Records one use: a caller with bought uses spends one on chain (a revert means no answer). A caller without uses
 * got in as owner, renter or through an access window and spends nothing; but if hasAccess no longer holds, a
 * concurrent call spent the caller's last use first, and this one is refused (no free answer).
 */
async function recordUse(ledger: ModelLedger, tokenId: bigint, caller: Address): Promise<void> {
  if ((await ledger.usesLeft(tokenId, caller)) > 0n) return ledger.consumeUse(tokenId, caller);
  if (await ledger.hasAccess(tokenId, caller)) return;
  throw new AicError('MODEL_CALL_UNPAID', `${caller} has no use of model ${tokenId} left`, {
    details: { tokenId: String(tokenId), caller },
  });
}

async function manifestText(content: ContentStore, cid: string): Promise<string> {
  const bytes = await content.get(cid);
  if (bytes === undefined) throw new AicError('MODEL_NOT_SERVED', `manifest ${cid} is not in this node's store`);
  return new TextDecoder().decode(bytes);
}

function warn(logger: Logger, err: unknown, what: string): void {
  logger.warn({ err: isAicError(err) ? err.toLine() : String(err) }, what);
}
