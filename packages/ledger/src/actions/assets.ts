/** Asset and PLAZA actions: mint an asset NFT, buy usage rights. */
import type { Address, Hex } from 'viem';
import { assetRegistryAbi, plazaAbi } from '../artifacts/index.ts';
import { eventsOf, type LedgerBase } from '../client.ts';
import { toLedgerError } from '../errors.ts';
import { type AssetKind, NO_PERMIT } from '../types.ts';
import type { PermitSigner } from './permit.ts';

export interface MintAssetInput {
  kind: AssetKind;
  manifestCid: string;
  contentRoot: Hex;
  pricePerUseWei: bigint;
  licenseId?: number;
  lineage?: ReadonlyArray<{ parentId: bigint; shareBps: number }>;
  royaltyReceiver?: Address;
  royaltyBps?: bigint;
}

export function createAssetActions(base: LedgerBase, signPermit: PermitSigner) {
  return {
    /** Mints an asset NFT to the client's account and returns its token id. */
    async mintAsset(input: MintAssetInput): Promise<{ tokenId: bigint }> {
      const args = {
        kind: input.kind,
        manifestCid: input.manifestCid,
        contentRoot: input.contentRoot,
        pricePerUse: input.pricePerUseWei,
        licenseId: input.licenseId ?? 0,
        lineage: [...(input.lineage ?? [])],
        royaltyReceiver: input.royaltyReceiver ?? base.account(),
        royaltyBps: input.royaltyBps ?? 0n,
      };
      const receipt = await base.confirm('AssetRegistry.mint', () => base.registry.write.mint([args]));
      const [minted] = eventsOf(receipt, base.registry.address, assetRegistryAbi, 'AssetMinted');
      if (!minted) throw toLedgerError(new Error('no AssetMinted event'), 'AssetRegistry.mint');
      return { tokenId: minted.args.tokenId };
    },

    /** Transfers an asset NFT the client's account owns to `to` (safeTransferFrom: a contract must accept it). */
    async transferAsset(tokenId: bigint, to: Address): Promise<void> {
      await base.confirm('AssetRegistry.safeTransferFrom', () =>
        base.registry.write.safeTransferFrom([base.account(), to, tokenId]),
      );
    },

    /** Buys `uses` uses of an asset through PLAZA, paying with a permit (no approve transaction). */
    async buyUses(tokenId: bigint, uses: bigint): Promise<{ paidWei: bigint }> {
      const [, , price] = await base.registry.read.payeeOf([tokenId]);
      const total = price * uses;
      const permit = await signPermit(base.plaza.address, total);
      const receipt = await base.confirm('Plaza.buyUses', () =>
        base.plaza.write.buyUses([tokenId, uses, total, permit]),
      );
      const [bought] = eventsOf(receipt, base.plaza.address, plazaAbi, 'UsesBought');
      return { paidWei: bought?.args.paid ?? total };
    },

    /** Whether `account` may use asset `tokenId` now (owner, renter, uses left or access window). */
    hasAccess(tokenId: bigint, account: Address): Promise<boolean> {
      return base.plaza.read.hasAccess([tokenId, account]);
    },

    NO_PERMIT,
  };
}
