/** The API handlers of the Explorer and dashboard routes: 503 without a chain, chain failures as LEDGER_RPC_UNAVAILABLE. */
import { AicError, isAicError } from '@aic/core';
import type { Hex } from 'viem';
import type { ApiHandlers } from '../api/routes.ts';
import type { ExplorerService } from './explorer-service.ts';

export type ExplorerHandlers = Pick<
  ApiHandlers,
  | 'accountEarnings'
  | 'accountRewards'
  | 'explorerBlocks'
  | 'explorerBlock'
  | 'explorerTx'
  | 'explorerJob'
  | 'explorerJobs'
  | 'explorerAccount'
  | 'explorerAsset'
  | 'explorerEpochs'
  | 'explorerSearch'
>;

export function createExplorerHandlers(explorer: ExplorerService | undefined): ExplorerHandlers {
  const run = async <T>(read: (service: ExplorerService) => Promise<T>): Promise<T> => {
    if (explorer === undefined) {
      throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
    }
    try {
      return await read(explorer);
    } catch (cause) {
      if (isAicError(cause)) throw cause;
      throw new AicError('LEDGER_RPC_UNAVAILABLE', 'the chain RPC did not answer the explorer read', { cause });
    }
  };
  return {
    accountEarnings: ({ query }) => run((s) => s.earnings(query.address as Hex)),
    accountRewards: ({ query }) => run((s) => s.rewards(query.address as Hex)),
    explorerBlocks: ({ query }) => run((s) => s.blocks(query)),
    explorerBlock: ({ query }) => run((s) => s.block(query.number)),
    explorerTx: ({ query }) => run((s) => s.tx(query.hash as Hex)),
    explorerJob: ({ query }) => run((s) => s.job(query.jobId)),
    explorerJobs: ({ query }) => run((s) => s.jobs(query)),
    explorerAccount: ({ query }) => run((s) => s.account(query.address as Hex)),
    explorerAsset: ({ query }) => run((s) => s.asset(query.tokenId)),
    explorerEpochs: () => run((s) => s.epochs()),
    explorerSearch: ({ query }) => run((s) => s.search(query.q)),
  };
}
