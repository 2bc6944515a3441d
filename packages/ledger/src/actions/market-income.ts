/**
 * What ComputeMarket holds for an account and pays it on request (issue 15: settlement accrues instead of paying, to
 * save gas): credits ({withdraw}), usage fees accrued to the assets it owns ({claimAssetFees}) and, for the treasury,
 * protocol fees ({sweepProtocolFees}). Balance checks count this as earned; nodes and the CLI claim it.
 */
import { type Address, getAddress } from 'viem';
import type { LedgerBase } from '../client.ts';

type MarketReader = Pick<LedgerBase, 'market' | 'registry'>;

/** Ids 1..totalMinted: every asset (fine for a devnet or a test; a node passes the assets it knows it owns). */
export async function allAssetIds(base: MarketReader): Promise<bigint[]> {
  const minted = await base.registry.read.totalMinted();
  return Array.from({ length: Number(minted) }, (_, i) => BigInt(i + 1));
}

/** Of `assetIds`, those `account` owns now with fees accrued, and their fees. A lineage asset's fees are left out:
 * its claim splits them through Payroll, so they are not the owner's alone. */
export async function accruedAssetFeesOf(
  base: MarketReader,
  account: Address,
  assetIds: readonly bigint[],
): Promise<Array<{ assetId: bigint; feesWei: bigint }>> {
  const who = getAddress(account);
  const rows = await Promise.all(
    assetIds.map(async (assetId) => {
      const feesWei = await base.market.read.assetFees([assetId]);
      if (feesWei === 0n) return undefined;
      const [owner, , , hasLineage] = await base.registry.read.payeeOf([assetId]);
      return getAddress(owner) === who && !hasLineage ? { assetId, feesWei } : undefined;
    }),
  );
  return rows.filter((r) => r !== undefined);
}

/**
 * AIC ComputeMarket will pay `account` when asked: its credits, the accrued protocol fees while it is the treasury,
 * and the fees accrued to those of `assetIds` (default: every asset) it owns. Example:
 * `balance + (await marketClaimableOf(ledger, who))` is what `who` earned from the market so far.
 */
export async function marketClaimableOf(
  base: MarketReader,
  account: Address,
  assetIds?: readonly bigint[],
): Promise<bigint> {
  const ids = assetIds ?? (await allAssetIds(base));
  const [owed, [, treasury], accrued, assets] = await Promise.all([
    base.market.read.owed([account]),
    base.market.read.params(),
    base.market.read.protocolFeesAccrued(),
    accruedAssetFeesOf(base, account, ids),
  ]);
  const house = getAddress(treasury) === getAddress(account) ? accrued : 0n;
  return assets.reduce((sum, a) => sum + a.feesWei, owed + house);
}

/**
 * Collects what ComputeMarket holds for the signer: claims the fees of those of `assetIds` (default: every asset) it
 * owns (a lineage asset's through Payroll), sweeps the protocol fees while it is the treasury, then withdraws its
 * credits. Returns the AIC it paid to the signer's balance directly (Payroll shares are withdrawn from Payroll).
 */
export async function collectMarketIncome(
  ledger: MarketReader & Pick<LedgerBase, 'confirm' | 'account'>,
  assetIds?: readonly bigint[],
): Promise<{ claimedAssetIds: bigint[]; sweptWei: bigint; withdrawnWei: bigint }> {
  const me = getAddress(ledger.account());
  const ids = assetIds ?? (await allAssetIds(ledger));
  const claimedAssetIds: bigint[] = [];
  for (const assetId of ids) {
    if ((await ledger.market.read.assetFees([assetId])) === 0n) continue;
    const [owner] = await ledger.registry.read.payeeOf([assetId]);
    if (getAddress(owner) !== me) continue;
    await ledger.confirm('ComputeMarket.claimAssetFees', () => ledger.market.write.claimAssetFees([assetId]));
    claimedAssetIds.push(assetId);
  }
  const [[, treasury], accrued] = await Promise.all([
    ledger.market.read.params(),
    ledger.market.read.protocolFeesAccrued(),
  ]);
  let sweptWei = 0n;
  if (getAddress(treasury) === me && accrued > 0n) {
    await ledger.confirm('ComputeMarket.sweepProtocolFees', () => ledger.market.write.sweepProtocolFees());
    sweptWei = accrued;
  }
  const withdrawnWei = await ledger.market.read.owed([me]);
  if (withdrawnWei > 0n) await ledger.confirm('ComputeMarket.withdraw', () => ledger.market.write.withdraw());
  return { claimedAssetIds, sweptWei, withdrawnWei };
}
