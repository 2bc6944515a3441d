/**
 * Every event of the AIC contracts in a block range, decoded and in chain order, with each block's timestamp: the
 * raw material of the Contribution Rating System (anyone can recompute the scores from it).
 */
import type { Abi } from 'viem';
import { artifacts } from '../artifacts/index.ts';
import type { LedgerBase } from '../client.ts';

export type LedgerContractName =
  | 'AICToken'
  | 'AssetRegistry'
  | 'Plaza'
  | 'ComputeMarket'
  | 'StorageMarket'
  | 'RewardsPool';

export interface LedgerLog {
  readonly contract: LedgerContractName;
  readonly eventName: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly blockNumber: bigint;
  readonly logIndex: number;
  readonly timestamp: bigint;
}

const RATED_CONTRACTS: readonly LedgerContractName[] = [
  'AICToken',
  'AssetRegistry',
  'Plaza',
  'ComputeMarket',
  'StorageMarket',
  'RewardsPool',
];

export function createLogActions(base: LedgerBase) {
  return {
    /** Decoded events of every AIC contract in [fromBlock, toBlock], ordered by (block, log index). */
    async fetchLedgerLogs(range: { fromBlock: bigint; toBlock?: bigint }): Promise<LedgerLog[]> {
      const toBlock = range.toBlock ?? (await base.publicClient.getBlockNumber());
      const perContract = await Promise.all(
        RATED_CONTRACTS.map(async (contract) => {
          const logs = await base.publicClient.getContractEvents({
            address: base.deployment.contracts[contract],
            abi: artifacts[contract].abi as Abi,
            fromBlock: range.fromBlock,
            toBlock,
          });
          return logs.map((log) => ({ contract, log }));
        }),
      );
      const all = perContract
        .flat()
        .sort((a, b) => Number(a.log.blockNumber - b.log.blockNumber) || a.log.logIndex - b.log.logIndex);
      const timestamps = new Map<bigint, bigint>();
      for (const { log } of all) {
        if (!timestamps.has(log.blockNumber)) {
          timestamps.set(
            log.blockNumber,
            (await base.publicClient.getBlock({ blockNumber: log.blockNumber })).timestamp,
          );
        }
      }
      return all.map(({ contract, log }) => ({
        contract,
        eventName: (log as { eventName: string }).eventName,
        args: (log as { args: Record<string, unknown> }).args,
        blockNumber: log.blockNumber,
        logIndex: log.logIndex,
        timestamp: timestamps.get(log.blockNumber)!,
      }));
    },
  };
}
