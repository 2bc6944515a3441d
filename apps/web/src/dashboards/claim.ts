/**
 * Claiming Proof-of-Value rewards: from the member's own wallet (it signs RewardsPool.claim(); the node's key is not
 * involved, and every chain call goes through the wallet, as the page's CSP allows no other RPC), or in node-owner
 * mode through the node's API with its token (the node signs for its own account).
 */
import {
  type Address,
  createPublicClient,
  createWalletClient,
  custom,
  decodeEventLog,
  type EIP1193Provider,
  type Hex,
  numberToHex,
  parseAbi,
} from 'viem';
import { ApiError, type RouteResponse } from '../api.ts';

const rewardsAbi = parseAbi([
  'function claim() returns (uint256 amount)',
  'event RewardClaimed(address indexed contributor, uint256 amount)',
]);

export interface Claimed {
  amountWei: bigint;
  transactionHash: Hex;
}

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

export function injectedWallet(): EIP1193Provider | undefined {
  return typeof window === 'undefined' ? undefined : window.ethereum;
}

/** The wallet's account (asks to connect when needed). */
export async function walletAddress(provider: EIP1193Provider): Promise<Address> {
  const [address] = (await provider.request({ method: 'eth_requestAccounts' })) as Address[];
  if (address === undefined) throw new Error('the wallet gave no account');
  return address;
}

export async function claimWithWallet(
  provider: EIP1193Provider,
  account: Address,
  rewardsPool: Address,
  chainId: number,
): Promise<Claimed> {
  const current = Number.parseInt((await provider.request({ method: 'eth_chainId' })) as string, 16);
  if (current !== chainId) {
    await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: numberToHex(chainId) }] });
  }
  const chain = {
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [] as string[] } },
  };
  const wallet = createWalletClient({ account, chain, transport: custom(provider) });
  const reader = createPublicClient({ chain, transport: custom(provider) });
  const hash = await wallet.writeContract({ address: rewardsPool, abi: rewardsAbi, functionName: 'claim' });
  const receipt = await reader.waitForTransactionReceipt({ hash, pollingInterval: 500 });
  if (receipt.status !== 'success') throw new Error(`the claim transaction ${hash} reverted`);
  let amountWei = 0n;
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== rewardsPool.toLowerCase()) continue;
    try {
      const event = decodeEventLog({ abi: rewardsAbi, data: log.data, topics: log.topics });
      if (event.eventName === 'RewardClaimed') amountWei += event.args.amount;
    } catch {
      // another RewardsPool event in the same transaction
    }
  }
  return { amountWei, transactionHash: hash };
}

export async function claimAsNodeOwner(token: string): Promise<Claimed> {
  let response: Response;
  try {
    response = await fetch(new URL('/v1/rewards/claim', window.location.origin), {
      method: 'POST',
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    });
  } catch (cause) {
    throw new ApiError(0, 'API_UNREACHABLE', `the node did not answer (${String(cause)})`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = body as { code?: unknown; message?: unknown } | undefined;
    throw new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : 'API_BAD_RESPONSE',
      typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
    );
  }
  const claimed = body as RouteResponse<'claimRewards'>;
  return { amountWei: BigInt(claimed.claimedWei), transactionHash: claimed.transactionHash as Hex };
}
