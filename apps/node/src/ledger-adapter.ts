import { AicError, isAicError } from '@aic/core';
import type { FreshPayerPort } from '@aic/gpu-vessel';
import { connectLedger, eventsOf, type LedgerClient, rewardsPoolAbi } from '@aic/ledger';
import { createExplorerService } from './explorer/explorer-service.ts';
import { rateAsPayers } from './jobs/payer-ratings.ts';
import type { NodeLedger } from './ledger-port.ts';
import { readDatasetAnchor, readPlazaAssets, readPlazaContracts, readProviderStandings } from './web/plaza-assets.ts';

/** A ledger client connected on first use; a failed connection is tried again on the next use (the deployment file
 * may appear after the node started). */
export function lazyLedgerClient(init: Parameters<typeof connectLedger>[0]): () => Promise<LedgerClient> {
  let client: Promise<LedgerClient> | undefined;
  return () => {
    client ??= connectLedger(init).catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };
}

/**
 * The node's ledger through the typed @aic/ledger client over JSON-RPC: reads, and (with the node's key) the few
 * writes the node makes for its own account. The deployment file is read on first use, so a node starts (and serves
 * everything else) even before the chain is up.
 */
export function createLedgerReader(init: {
  rpcUrl: string;
  deploymentFile: string;
  privateKey?: Uint8Array;
  /** The node's job payer accounts: ratings are sent from those that paid what is rated (jobs/payer-ratings.ts). */
  payers?: FreshPayerPort;
}): NodeLedger {
  const ledgerClient = lazyLedgerClient(init);
  const rpcFailure = (cause: unknown) =>
    isAicError(cause)
      ? cause
      : new AicError('LEDGER_RPC_UNAVAILABLE', `chain RPC at ${init.rpcUrl} did not answer`, { cause });
  return {
    explorer: createExplorerService(ledgerClient),
    async claimRewards() {
      const ledger = await ledgerClient();
      if (!ledger.walletClient) throw new AicError('LEDGER_NO_SIGNER', 'this node has no key for chain writes');
      const receipt = await ledger.confirm('RewardsPool.claim', () => ledger.rewards.write.claim());
      const [claimed] = eventsOf(receipt, ledger.rewards.address, rewardsPoolAbi, 'RewardClaimed');
      return { amountWei: claimed?.args.amount ?? 0n, transactionHash: receipt.transactionHash };
    },
    async rate(kind, id, rating) {
      const ledger = await ledgerClient();
      if (!ledger.walletClient) throw new AicError('LEDGER_NO_SIGNER', 'this node has no key for chain writes');
      return { ratings: await rateAsPayers(ledger, init.payers, { kind, id, rating }) };
    },
    async rewards(address) {
      const ledger = await ledgerClient();
      try {
        const [currentEpoch, account, claimableWei, schedule] = await Promise.all([
          ledger.rewards.read.currentEpoch(),
          ledger.rewards.read.accountOf([address]),
          ledger.rewards.read.claimable([address]),
          ledger.rewards.read.schedule(),
        ]);
        return {
          currentEpoch: Number(currentEpoch),
          score: account.score,
          scoreEpoch: Number(account.epoch),
          claimableWei,
          emissionPerEpochWei: schedule[2],
        };
      } catch (cause) {
        throw rpcFailure(cause);
      }
    },
    async plazaAssets(query) {
      const ledger = await ledgerClient();
      try {
        return await readPlazaAssets(ledger, query);
      } catch (cause) {
        throw rpcFailure(cause);
      }
    },
    async plazaContracts() {
      return readPlazaContracts(await ledgerClient());
    },
    async plazaProviders(addresses) {
      const ledger = await ledgerClient();
      try {
        return await readProviderStandings(ledger, addresses);
      } catch (cause) {
        throw rpcFailure(cause);
      }
    },
    async datasetAnchor(tokenId) {
      const ledger = await ledgerClient();
      try {
        return await readDatasetAnchor(ledger, tokenId);
      } catch (cause) {
        throw rpcFailure(cause);
      }
    },
    async balances(address) {
      const ledger = await ledgerClient();
      try {
        const [aicWei, nativeWei] = await Promise.all([
          ledger.balanceOf(address),
          ledger.publicClient.getBalance({ address }),
        ]);
        return { chainId: ledger.deployment.chainId, aicWei, nativeWei };
      } catch (cause) {
        if (isAicError(cause)) throw cause;
        throw new AicError('LEDGER_RPC_UNAVAILABLE', `chain RPC at ${init.rpcUrl} did not answer`, { cause });
      }
    },
  };
}
