/**
 * Paying PLAZA from the member's wallet: the wallet signs `approve(Plaza, total)` on the AIC token and then the
 * Plaza call itself (buyUses, buy or rent, without a permit), never the node's key. Each transaction is waited for
 * and a revert is reported with the call's name.
 */
import type { Address, Hash } from 'viem';
import type { RouteResponse } from '../api.ts';
import { NO_PERMIT, plazaAbi, tokenAbi } from './plaza-abi.ts';
import { requestAccount, type WalletChain, walletChain } from './wallet-chain.ts';

export type PlazaContracts = RouteResponse<'plazaContracts'>;

export type PlazaPurchase =
  | { kind: 'uses'; tokenId: bigint; uses: bigint; total: bigint }
  | { kind: 'nft'; tokenId: bigint; total: bigint }
  | { kind: 'rent'; tokenId: bigint; days: number; total: bigint };

export interface PaidPurchase {
  account: Address;
  transactions: Hash[];
  balanceBefore: bigint;
  balanceAfter: bigint;
  usesLeft: bigint;
}

/** A refusal to show next to the form (no wallet, wrong chain, not enough AIC, a revert). */
export class PurchaseError extends Error {}

export async function connectWallet(contracts: PlazaContracts): Promise<{ wallet: WalletChain; account: Address }> {
  const wallet = await walletChain(contracts.chainId);
  if (wallet === undefined) throw new PurchaseError('No browser wallet found: install an EIP-1193 wallet to pay.');
  if (wallet.chainId !== contracts.chainId) {
    throw new PurchaseError(
      `The wallet is on chain ${wallet.chainId}: switch it to chain ${contracts.chainId} ("Add devnet chain").`,
    );
  }
  return { wallet, account: await requestAccount(wallet) };
}

async function send(wallet: WalletChain, what: string, write: () => Promise<Hash>): Promise<Hash> {
  let hash: Hash;
  try {
    hash = await write();
  } catch (cause) {
    throw new PurchaseError(`The wallet did not send ${what}: ${shortReason(cause)}`);
  }
  const receipt = await wallet.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new PurchaseError(`${what} reverted (transaction ${hash}).`);
  return hash;
}

function shortReason(cause: unknown): string {
  const text =
    cause instanceof Error ? ((cause as { shortMessage?: string }).shortMessage ?? cause.message) : String(cause);
  return text.split('\n')[0] ?? text;
}

/** Runs one purchase from the wallet: balance check, approve (when anything is owed), the Plaza call. */
export async function payFromWallet(contracts: PlazaContracts, purchase: PlazaPurchase): Promise<PaidPurchase> {
  const { wallet, account } = await connectWallet(contracts);
  const token = contracts.token as Address;
  const plaza = contracts.plaza as Address;
  const chain = wallet.walletClient.chain;
  const balanceOf = () =>
    wallet.publicClient.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [account] });
  const balanceBefore = await balanceOf();
  if (balanceBefore < purchase.total) {
    throw new PurchaseError(
      `The wallet holds ${balanceBefore} wei of AIC; this purchase costs ${purchase.total} wei. Top it up first.`,
    );
  }
  const transactions: Hash[] = [];
  if (purchase.total > 0n) {
    transactions.push(
      await send(wallet, 'the approval', () =>
        wallet.walletClient.writeContract({
          account,
          chain,
          address: token,
          abi: tokenAbi,
          functionName: 'approve',
          args: [plaza, purchase.total],
        }),
      ),
    );
  }
  const call = () => {
    switch (purchase.kind) {
      case 'uses':
        return wallet.walletClient.writeContract({
          account,
          chain,
          address: plaza,
          abi: plazaAbi,
          functionName: 'buyUses',
          args: [purchase.tokenId, purchase.uses, purchase.total, NO_PERMIT],
        });
      case 'nft':
        return wallet.walletClient.writeContract({
          account,
          chain,
          address: plaza,
          abi: plazaAbi,
          functionName: 'buy',
          args: [purchase.tokenId, purchase.total, NO_PERMIT],
        });
      case 'rent':
        return wallet.walletClient.writeContract({
          account,
          chain,
          address: plaza,
          abi: plazaAbi,
          functionName: 'rent',
          args: [purchase.tokenId, purchase.days, purchase.total, NO_PERMIT],
        });
    }
  };
  const callName = { uses: 'Plaza.buyUses', nft: 'Plaza.buy', rent: 'Plaza.rent' }[purchase.kind];
  transactions.push(await send(wallet, callName, call));
  const [balanceAfter, usesLeft] = await Promise.all([
    balanceOf(),
    wallet.publicClient.readContract({
      address: plaza,
      abi: plazaAbi,
      functionName: 'usesLeft',
      args: [purchase.tokenId, account],
    }),
  ]);
  return { account, transactions, balanceBefore, balanceAfter, usesLeft };
}

/** What PLAZA offers for an asset besides uses: a live sale listing and rental terms (read through the wallet). */
export async function readOffers(
  wallet: WalletChain,
  contracts: PlazaContracts,
  tokenId: bigint,
  owner: string,
): Promise<{ salePrice: bigint | undefined; rental: { pricePerDay: bigint; maxDays: number } | undefined }> {
  const plaza = contracts.plaza as Address;
  const [sale, terms] = await Promise.all([
    wallet.publicClient.readContract({ address: plaza, abi: plazaAbi, functionName: 'saleOf', args: [tokenId] }),
    wallet.publicClient.readContract({ address: plaza, abi: plazaAbi, functionName: 'termsOf', args: [tokenId] }),
  ]);
  const rental = terms[1];
  const offered = rental.maxDays > 0 && rental.offeredBy.toLowerCase() === owner.toLowerCase();
  return {
    salePrice: sale.seller === '0x0000000000000000000000000000000000000000' ? undefined : sale.price,
    rental: offered ? { pricePerDay: rental.pricePerDay, maxDays: rental.maxDays } : undefined,
  };
}
