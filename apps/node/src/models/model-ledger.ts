/**
 * The chain side of models as assets, over the typed @aic/ledger client with the node's key: mint a Model NFT, read
 * an asset and its usage rights, buy uses on PLAZA (permit-signed) and, as the asset's server, consume them. The
 * client connects on first use (like ledger-adapter.ts), so a node starts before its chain does.
 */
import { AicError } from '@aic/core';
import { createSerialQueue } from '@aic/gpu-vessel';
import { AssetKind, connectLedger, eventsOf, type LedgerClient, plazaAbi } from '@aic/ledger';

export type Address = `0x${string}`;

export interface AssetOnChain {
  kind: number;
  owner: Address;
  pricePerUseWei: bigint;
  contentRoot: `0x${string}`;
  manifestCid: string;
}

export interface UsesQuote {
  pricePerUseWei: bigint;
  totalWei: bigint;
  /** The part of totalWei PLAZA passes to the treasury. */
  protocolFeeWei: bigint;
}

export interface ModelLedger {
  /** The node's own account (the signer of every write here). */
  account(): Promise<Address>;
  mintModel(input: {
    manifestCid: string;
    contentRoot: `0x${string}`;
    pricePerUseWei: bigint;
    lineage?: ReadonlyArray<{ parentId: bigint; shareBps: number }>;
  }): Promise<bigint>;
  /** AssetRegistry.setPricePerUse, signed by this node (the owner or an approved operator). */
  setPricePerUse(tokenId: bigint, pricePerUseWei: bigint): Promise<{ transactionHash: string }>;
  assetOf(tokenId: bigint): Promise<AssetOnChain>;
  hasAccess(tokenId: bigint, account: Address): Promise<boolean>;
  usesLeft(tokenId: bigint, account: Address): Promise<bigint>;
  /** Plaza.consumeUses(tokenId, user, 1), signed by this node (it must be the asset's owner, operator or renter). */
  consumeUse(tokenId: bigint, user: Address): Promise<void>;
  quoteUses(tokenId: bigint, uses: bigint): Promise<UsesQuote>;
  /** Plaza.buyUses with a permit for exactly the quoted total, refused on chain above `maxTotalWei`. */
  buyUses(tokenId: bigint, uses: bigint, maxTotalWei: bigint): Promise<{ paidWei: bigint; transactionHash: string }>;
}

export function createModelLedger(init: {
  rpcUrl: string;
  deploymentFile: string;
  privateKey: Uint8Array;
}): ModelLedger {
  let client: Promise<LedgerClient> | undefined;
  const ledger = () => {
    client ??= connectLedger(init).catch((error: unknown) => {
      client = undefined; // the deployment file may appear later
      throw error;
    });
    return client;
  };
  // This node's writes go one at a time, so two of them never race for the same account nonce.
  const send = createSerialQueue();
  return {
    account: async () => (await ledger()).account(),
    async mintModel(input) {
      const l = await ledger();
      const { tokenId } = await send(() => l.mintAsset({ kind: AssetKind.Model, ...input }));
      return tokenId;
    },
    async setPricePerUse(tokenId, pricePerUseWei) {
      const l = await ledger();
      const receipt = await send(() =>
        l.confirm('AssetRegistry.setPricePerUse', () => l.registry.write.setPricePerUse([tokenId, pricePerUseWei])),
      );
      return { transactionHash: receipt.transactionHash };
    },
    async assetOf(tokenId) {
      const l = await ledger();
      const [asset, owner] = await Promise.all([
        l.registry.read.assetOf([tokenId]),
        l.registry.read.ownerOf([tokenId]),
      ]);
      return {
        kind: Number(asset.kind),
        owner,
        pricePerUseWei: BigInt(asset.pricePerUse),
        contentRoot: asset.contentRoot,
        manifestCid: asset.manifestCid,
      };
    },
    hasAccess: async (tokenId, account) => (await ledger()).plaza.read.hasAccess([tokenId, account]),
    usesLeft: async (tokenId, account) => (await ledger()).plaza.read.usesLeft([tokenId, account]),
    async consumeUse(tokenId, user) {
      const l = await ledger();
      await send(() => l.confirm('Plaza.consumeUses', () => l.plaza.write.consumeUses([tokenId, user, 1n])));
    },
    async quoteUses(tokenId, uses) {
      const l = await ledger();
      const [[, , pricePerUse], [feeBps]] = await Promise.all([
        l.registry.read.payeeOf([tokenId]),
        l.plaza.read.feeInfo(),
      ]);
      const totalWei = BigInt(pricePerUse) * uses;
      return { pricePerUseWei: BigInt(pricePerUse), totalWei, protocolFeeWei: (totalWei * BigInt(feeBps)) / 10_000n };
    },
    async buyUses(tokenId, uses, maxTotalWei) {
      const l = await ledger();
      return send(async () => {
        const [, , pricePerUse] = await l.registry.read.payeeOf([tokenId]);
        const total = BigInt(pricePerUse) * uses;
        if (total > maxTotalWei) {
          throw new AicError(
            'API_BUDGET_CAP_EXCEEDED',
            `${uses} uses cost ${total} wei, over maxTotal ${maxTotalWei} wei`,
            {
              details: { totalWei: String(total), maxTotalWei: String(maxTotalWei) },
            },
          );
        }
        const permit = await l.signPermit(l.plaza.address, total);
        const receipt = await l.confirm('Plaza.buyUses', () =>
          l.plaza.write.buyUses([tokenId, uses, maxTotalWei, permit]),
        );
        const [bought] = eventsOf(receipt, l.plaza.address, plazaAbi, 'UsesBought');
        return { paidWei: bought?.args.paid ?? total, transactionHash: receipt.transactionHash };
      });
    },
  };
}
