/**
 * Paying a job from the browser's wallet (issue 14): the wallet approves the quoted AIC to ComputeMarket and sends
 * createAndFundJob with the exact request the node prepared (its specHash is the hash of the ticket the node keeps),
 * then signs the EIP-712 statement that hands the job to this node. Every transaction and signature is the wallet's;
 * the node's key pays nothing. All chain reads go through the wallet too (the page's CSP allows no other RPC).
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
import type { RouteResponse } from '../api.ts';

export type PreparedJob = RouteResponse<'prepareJob'>;

const tokenAbi = parseAbi([
  'function approve(address spender, uint256 value) returns (bool)',
  'function balanceOf(address owner) view returns (uint256)',
]);
const marketAbi = parseAbi([
  'struct JobRequest { uint32 datasetId; uint32 modelId; uint96 providerBudget; uint96 verifierFee; uint8 minHwClass; uint16 checkpointCount; uint32 deadline; bytes32 specHash; }',
  'struct Permit { uint256 value; uint256 deadline; uint8 v; bytes32 r; bytes32 s; }',
  'function createAndFundJob(JobRequest request, Permit permit) returns (uint256 jobId)',
  'event JobCreated(uint256 indexed jobId, address indexed requester, uint32 datasetId, uint32 modelId, bytes32 specHash, uint96 escrow)',
]);
/** No permit: the escrow is pulled from the allowance the approve transaction set. */
const NO_PERMIT = { value: 0n, deadline: 0n, v: 0, r: `0x${'0'.repeat(64)}`, s: `0x${'0'.repeat(64)}` } as const;

export interface WalletAccount {
  provider: EIP1193Provider;
  address: Address;
  chainId: number;
}

/** Asks the wallet for its account (the wallet may show its connect prompt). */
export async function connectWallet(provider: EIP1193Provider): Promise<WalletAccount> {
  const [address] = (await provider.request({ method: 'eth_requestAccounts' })) as Address[];
  if (address === undefined) throw new Error('the wallet gave no account');
  const chainId = Number.parseInt((await provider.request({ method: 'eth_chainId' })) as string, 16);
  return { provider, address, chainId };
}

/** The wallet's AIC balance, read through the wallet. */
export async function aicBalanceOf(wallet: WalletAccount, token: Address): Promise<bigint> {
  const client = createPublicClient({ transport: custom(wallet.provider) });
  return await client.readContract({
    address: token,
    abi: tokenAbi,
    functionName: 'balanceOf',
    args: [wallet.address],
  });
}

/** Switches the wallet to the node's chain when it is on another (the wallet may ask its user). */
export async function ensureChain(wallet: WalletAccount, chainId: number): Promise<void> {
  if (wallet.chainId === chainId) return;
  await wallet.provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: numberToHex(chainId) }] });
  wallet.chainId = chainId;
}

export type PayStep = 'approve' | 'escrow' | 'sign';

/** Approves and escrows the prepared job from the wallet; resolves to the job id of its JobCreated event. */
export async function payPreparedJob(
  wallet: WalletAccount,
  prepared: PreparedJob,
  onStep: (step: PayStep) => void,
): Promise<{ jobId: bigint; escrowWei: bigint; transactions: Hex[] }> {
  const chain = {
    id: prepared.chainId,
    name: `chain ${prepared.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [] as string[] } },
  };
  const walletClient = createWalletClient({ account: wallet.address, chain, transport: custom(wallet.provider) });
  const publicClient = createPublicClient({ chain, transport: custom(wallet.provider) });
  const total = BigInt(prepared.quote.totalWei);
  const { market, token } = prepared.contracts as { market: Address; token: Address };
  onStep('approve');
  const approve = await walletClient.writeContract({
    address: token,
    abi: tokenAbi,
    functionName: 'approve',
    args: [market, total],
  });
  await publicClient.waitForTransactionReceipt({ hash: approve, pollingInterval: 500 });
  onStep('escrow');
  const r = prepared.request;
  const escrow = await walletClient.writeContract({
    address: market,
    abi: marketAbi,
    functionName: 'createAndFundJob',
    args: [
      {
        datasetId: r.datasetId,
        modelId: r.modelId,
        providerBudget: BigInt(r.providerBudget),
        verifierFee: BigInt(r.verifierFee),
        minHwClass: r.minHwClass,
        checkpointCount: r.checkpointCount,
        deadline: r.deadline,
        specHash: r.specHash as Hex,
      },
      NO_PERMIT,
    ],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash: escrow, pollingInterval: 500 });
  if (receipt.status !== 'success') throw new Error('the escrow transaction reverted');
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== market.toLowerCase()) continue;
    try {
      const event = decodeEventLog({ abi: marketAbi, data: log.data, topics: log.topics });
      if (event.eventName === 'JobCreated') {
        return { jobId: event.args.jobId, escrowWei: event.args.escrow, transactions: [approve, escrow] };
      }
    } catch {
      // another event of the market
    }
  }
  throw new Error('the escrow transaction has no JobCreated event');
}

/** The wallet signs that this node may take the job on (the node checks the signer is the job's requester). */
export async function signAdoption(
  wallet: WalletAccount,
  prepared: PreparedJob,
  jobId: bigint,
  signedAtMs: number,
): Promise<Hex> {
  const walletClient = createWalletClient({ account: wallet.address, transport: custom(wallet.provider) });
  return await walletClient.signTypedData({
    account: wallet.address,
    domain: { name: 'AIC node API', version: '1' },
    types: {
      AdoptJob: [
        { name: 'node', type: 'address' },
        { name: 'jobId', type: 'uint256' },
        { name: 'signedAtMs', type: 'uint64' },
      ],
    },
    primaryType: 'AdoptJob',
    message: { node: prepared.node as Address, jobId, signedAtMs: BigInt(signedAtMs) },
  });
}
