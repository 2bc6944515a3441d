/**
 * The typed ledger client: the only way other AIC components touch the chain. Wraps every contract with viem
 * (ABI-typed reads and writes), waits for receipts, decodes events and turns reverts into AicErrors.
 *
 * @example
 * const ledger = createLedgerClient({ publicClient, walletClient, deployment });
 * const balance = await ledger.token.read.balanceOf([address]);
 * const { jobId } = await ledger.createAndFundJob(request);
 */
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractEventName,
  type DecodeEventLogReturnType,
  decodeEventLog,
  getContract,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { createAssetActions } from './actions/assets.ts';
import { createJobActions } from './actions/jobs.ts';
import { createLogActions } from './actions/logs.ts';
import { createPermitSigner } from './actions/permit.ts';
import {
  aicTokenAbi,
  assetRegistryAbi,
  computeMarketAbi,
  dataRequestsAbi,
  payrollAbi,
  plazaAbi,
  rewardsPoolAbi,
  storageMarketAbi,
} from './artifacts/index.ts';
import type { AicDeployment } from './deployment.ts';
import { toLedgerError } from './errors.ts';

export type LedgerWallet = WalletClient<Transport, Chain, Account>;

export interface LedgerClientInit {
  publicClient: PublicClient;
  /** Needed for writes; a read-only client omits it. */
  walletClient?: LedgerWallet;
  deployment: AicDeployment;
}

/** The contracts and plumbing every action builds on. */
export function createLedgerBase(init: LedgerClientInit) {
  const { publicClient, walletClient, deployment } = init;
  // A read-only client (no wallet) has no `write` at run time; typing it as present keeps one client type.
  const client = { public: publicClient, wallet: walletClient as LedgerWallet };
  const c = deployment.contracts;
  const contracts = {
    token: getContract({ address: c.AICToken, abi: aicTokenAbi, client }),
    registry: getContract({ address: c.AssetRegistry, abi: assetRegistryAbi, client }),
    plaza: getContract({ address: c.Plaza, abi: plazaAbi, client }),
    market: getContract({ address: c.ComputeMarket, abi: computeMarketAbi, client }),
    rewards: getContract({ address: c.RewardsPool, abi: rewardsPoolAbi, client }),
    payroll: getContract({ address: c.Payroll, abi: payrollAbi, client }),
    storage: getContract({ address: c.StorageMarket, abi: storageMarketAbi, client }),
    dataRequests: getContract({ address: c.DataRequests, abi: dataRequestsAbi, client }),
  };

  /** Sends a write (already started by `send`), waits for it and fails with an AicError if it reverted. */
  async function confirm(call: string, send: () => Promise<Hash>): Promise<TransactionReceipt> {
    let hash: Hash;
    try {
      hash = await send();
    } catch (error) {
      throw toLedgerError(error, call);
    }
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw toLedgerError(new Error(`transaction ${hash} reverted`), call);
    return receipt;
  }

  const base = {
    deployment,
    publicClient,
    walletClient,
    ...contracts,
    confirm,
    /** The signer's address (throws for a read-only client). */
    account(): Address {
      if (!walletClient) throw toLedgerError(new Error('read-only ledger client'), 'account');
      return walletClient.account.address;
    },
    /** AIC balance in wei. */
    balanceOf(address: Address): Promise<bigint> {
      return contracts.token.read.balanceOf([address]);
    },
  };
  return base;
}

export type LedgerBase = ReturnType<typeof createLedgerBase>;

/** Creates the typed client over one deployment: every contract plus the actions of assets, PLAZA and jobs. */
export function createLedgerClient(init: LedgerClientInit) {
  const base = createLedgerBase(init);
  const signPermit = createPermitSigner(base);
  return {
    ...base,
    signPermit,
    ...createAssetActions(base, signPermit),
    ...createJobActions(base, signPermit),
    ...createLogActions(base),
  };
}

export type LedgerClient = ReturnType<typeof createLedgerClient>;

/** Decodes the logs of `receipt` emitted by `address` against `abi`, keeping the named event. */
export function eventsOf<const TAbi extends Abi, TName extends ContractEventName<TAbi>>(
  receipt: TransactionReceipt,
  address: Address,
  abi: TAbi,
  eventName: TName,
): DecodeEventLogReturnType<TAbi, TName>[] {
  const found: DecodeEventLogReturnType<TAbi, TName>[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address.toLowerCase()) continue;
    try {
      const decoded = decodeEventLog({ abi, data: log.data, topics: log.topics });
      // decodeEventLog matches by topic, not by the eventName it is given: filter here.
      if (decoded.eventName === eventName) found.push(decoded as DecodeEventLogReturnType<TAbi, TName>);
    } catch {
      // another event of the same contract
    }
  }
  return found;
}
