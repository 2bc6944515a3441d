/**
 * A job role's context over an in-memory chain: the AssetRegistry's assets by id, ComputeMarket's quote, escrow
 * (createAndFundJob, counted, with its JobCreated event) and event reads. Enough for the requester's quote and
 * submit and for the asset checks of every role, without a devnet.
 */
import { AicError } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import type { Hex } from 'viem';
import type { AgentContext } from '../../src/agent/context.ts';
import type { JobAssetPort } from '../../src/jobs/asset-port.ts';

export const REQUESTER = '0x00000000000000000000000000000000000000aa';
const ZERO_ROOT = `0x${'0'.repeat(64)}` as Hex;

export interface FakeChain {
  ctx: AgentContext;
  /** kind: 1 Dataset, 2 Model, 3 TrainedAI (an id not set reads as kind 0 with a zero root, like the chain). */
  assets: Map<string, { kind: number; contentRoot: Hex }>;
  escrows: { specHash: Hex; datasetId: number; modelId: number }[];
  /** Makes the next escrow land on chain but its answer get lost (an RPC timeout after sending), failing with
   * `error` (default: a plain `fetch failed`). */
  loseNextAnswer(error?: Error): void;
  /** Makes the next escrow revert (nothing lands). */
  revertNext(): void;
  /** AssetRegistry.mint calls (mintAsset), in order; their AssetMinted events are what getContractEvents reads. */
  minted: { tokenId: bigint; kind: number; manifestCid: string; contentRoot: Hex }[];
}

export function fakeJobChain(assets?: JobAssetPort): FakeChain {
  const registry = new Map<string, { kind: number; contentRoot: Hex }>();
  const escrows: FakeChain['escrows'] = [];
  const created: { args: { jobId: bigint; requester: string; specHash: Hex; escrow: bigint } }[] = [];
  let loseAnswer: Error | undefined;
  let revert = false;
  const minted: FakeChain['minted'] = [];
  const ledger = {
    account: () => REQUESTER,
    registry: {
      address: '0x00000000000000000000000000000000000000dd',
      read: {
        assetOf: async ([id]: [bigint]) => ({
          manifestCid: '',
          ...(registry.get(String(id)) ?? { kind: 0, contentRoot: ZERO_ROOT }),
        }),
      },
    },
    market: { address: '0x00000000000000000000000000000000000000cc' },
    quoteJob: async (request: { providerBudgetWei: bigint; verifierFeeWei: bigint }) => ({
      totalWei: request.providerBudgetWei + request.verifierFeeWei + 10n,
      protocolFeeWei: 10n,
      datasetFeeWei: 0n,
      modelFeeWei: 0n,
      verifierFeeWei: request.verifierFeeWei,
    }),
    createAndFundJob: async (request: {
      specHash: Hex;
      datasetId: number;
      modelId: number;
      providerBudgetWei: bigint;
    }) => {
      if (revert) {
        revert = false;
        throw new AicError('LEDGER_REVERTED', 'the chain refused the call: PriceAboveBudget');
      }
      escrows.push({ specHash: request.specHash, datasetId: request.datasetId, modelId: request.modelId });
      const jobId = BigInt(escrows.length);
      const escrow = request.providerBudgetWei + 10n;
      created.push({ args: { jobId, requester: REQUESTER, specHash: request.specHash, escrow } });
      if (loseAnswer) {
        const error = loseAnswer;
        loseAnswer = undefined;
        throw error;
      }
      return { jobId, escrowWei: escrow };
    },
    mintAsset: async (input: { kind: number; manifestCid: string; contentRoot: Hex }) => {
      const tokenId = BigInt(100 + minted.length);
      minted.push({ tokenId, kind: input.kind, manifestCid: input.manifestCid, contentRoot: input.contentRoot });
      return { tokenId };
    },
    // getTransactionCount: no transaction ever waits in this chain's mempool (escrows land at once).
    publicClient: {
      getContractEvents: async (query?: { eventName?: string }) =>
        query?.eventName === 'AssetMinted' ? minted.map((m) => ({ args: { ...m, owner: REQUESTER } })) : created,
      getTransactionCount: async () => 0,
    },
  } as unknown as LedgerClient;
  const ctx = {
    net: {} as AgentContext['net'],
    ledger,
    send: <T>(task: () => Promise<T>) => task(),
    watcher: {} as AgentContext['watcher'],
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    ...(assets ? { assets } : {}),
  } as AgentContext;
  return {
    ctx,
    assets: registry,
    escrows,
    minted,
    loseNextAnswer: (error = new Error('fetch failed')) => {
      loseAnswer = error;
    },
    revertNext: () => {
      revert = true;
    },
  };
}
