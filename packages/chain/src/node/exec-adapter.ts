/**
 * The validator service's chain port over exec/'s ChainExecutor. Transactions the node's JSON-RPC admits
 * (`eth_sendRawTransaction` → `executor.addRawTransaction`) are reported to the service so it gossips them;
 * gossiped ones enter the pool through the same admission checks but are not reported again.
 */
import type { Hex } from 'viem';
import type { PovBlock, PovHeaderInfo, SealValidator } from '../exec/block-types.ts';
import type { ChainExecutor } from '../exec/executor.ts';
import { decodeHeader } from '../exec/headers.ts';
import type { ValidatorChain } from './ports.ts';

export async function validatorChainOf(executor: ChainExecutor, coinbase: Hex): Promise<ValidatorChain> {
  const listeners = new Set<(raw: Uint8Array) => void>();
  const admit = executor.addRawTransaction.bind(executor);
  // The one seam between the JSON-RPC and the gossip: the RPC calls this method on the executor it was given.
  executor.addRawTransaction = async (raw: Uint8Array) => {
    const hash = await admit(raw);
    for (const listener of listeners) listener(raw);
    return hash;
  };
  const infoOf = async (hash: Uint8Array) => (await executor.headerByHash(hash))?.info;
  let finalized = (await infoOf(executor.finalized())) ?? executor.head();
  return {
    head: () => executor.head(),
    finalized: () => finalized,
    header: infoOf,
    block: (hash) => executor.store.getBlock(hash),
    async canonicalBlock(number: bigint): Promise<PovBlock | undefined> {
      const header = await executor.headerByNumber(number);
      return header === undefined ? undefined : executor.store.getBlock(header.info.hash);
    },
    build: (parent: PovHeaderInfo, timestampSec: bigint, extraData: Uint8Array) =>
      executor.buildBlock({ parentHash: parent.hash, timestampSec, coinbase, extraData }),
    decodeHeader: (block) => decodeHeader(block.header, executor.common).info,
    import: (block, validateSeal: SealValidator) => executor.importBlock(block, { validateSeal }),
    setHead: (hash) => executor.setHead(hash),
    async setFinalized(hash: Uint8Array) {
      const info = await infoOf(hash);
      // Finality only moves forward (a late attestation for an older block changes nothing).
      if (info === undefined || info.number <= finalized.number) return;
      await executor.setFinalized(hash);
      finalized = info;
    },
    async addTransactions(raw: Uint8Array[]) {
      let refused = 0;
      for (const tx of raw) await admit(tx).catch(() => refused++);
      return refused;
    },
    onLocalTransaction(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
