/**
 * Block import: header rules against the parent, the seal (the consensus layer's callback, before any execution),
 * the block's data (each transaction valid and signed, transactionsTrie, no uncles, no withdrawals; what runBlock's
 * block validation checks, with the transactions root in one pass: ordered-trie.ts), then re-execution on the
 * parent's state with runBlock's root checks (stateRoot, receiptTrie, logsBloom, gasUsed). runBlock's own block
 * validation is skipped only because everything it checks was checked here first. A block this process built is
 * not executed twice.
 */

import { isAicError } from '@aic/core';
import { Block } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx';
import { runBlock, type VM } from '@ethereumjs/vm';
import { ChainError } from '../errors.ts';
import type { StoredReceipt } from '../store/records.ts';
import type { ImportOptions, PovBlock } from './block-types.ts';
import { checkHeaderAgainstParent, type DecodedHeader } from './headers.ts';
import { EMPTY_TRIE_ROOT, orderedTrieRoot } from './ordered-trie.ts';
import { storedReceipt } from './receipts.ts';

export interface ImportInput {
  block: PovBlock;
  decoded: DecodedHeader;
  parent: DecodedHeader;
  cached: StoredReceipt[] | undefined;
  options: ImportOptions;
  txCommon: Common;
  /**
   * The transaction this node already admitted with exactly these bytes (its pool entry), if any: reused as
   * decoded, with its sender recovered, and not re-validated (admission checked everything
   * `getValidationErrors` does: signature, EIP-2, intrinsic gas).
   */
  admitted?: (raw: Uint8Array) => TypedTransaction | undefined;
}

export async function executeImport(vm: VM, input: ImportInput): Promise<StoredReceipt[]> {
  const { block, decoded, parent, options } = input;
  checkHeaderAgainstParent(decoded.header, parent.header, vm.common);
  if (options.validateSeal) {
    try {
      await options.validateSeal({ block, header: decoded.info, parent: parent.info });
    } catch (cause) {
      if (isAicError(cause)) throw cause;
      throw new ChainError('CHAIN_BAD_SEAL', 'the seal was rejected', { cause });
    }
  }
  if (input.cached) return input.cached;
  const reused = new Set<TypedTransaction>();
  const txs = block.txs.map((raw, index) => {
    const admitted = input.admitted?.(raw);
    if (admitted === undefined) return decodeBlockTx(raw, index, input.txCommon);
    reused.add(admitted);
    return admitted;
  });
  // The constructor, not createBlock: createBlock re-creates every transaction (and its params) from its data.
  const ethBlock = new Block(decoded.header, txs, [], [], { common: vm.common, setHardfork: false });
  checkBlockData(ethBlock, decoded, reused);
  let result: Awaited<ReturnType<typeof runBlock>>;
  try {
    result = await runBlock(vm, {
      block: ethBlock,
      root: parent.header.stateRoot,
      // The header was checked against its parent above, the block's data by checkBlockData.
      skipHeaderValidation: true,
      skipBlockValidation: true,
      // One Common (Cancun) for blocks and transactions: nothing to compare per transaction.
      skipHardForkValidation: true,
      setHardfork: false,
    });
  } catch (cause) {
    const message = (cause as Error).message ?? '';
    const code = /stateRoot/i.test(message) ? 'CHAIN_BAD_STATE_ROOT' : 'CHAIN_INVALID_BLOCK';
    throw new ChainError(code, `block ${decoded.info.number} does not execute to its header: ${firstLine(message)}`, {
      cause,
    });
  }
  const baseFee = decoded.header.baseFeePerGas ?? 0n;
  return txs.map((tx, i) => storedReceipt(tx, result.results[i] as (typeof result.results)[number], baseFee));
}

/**
 * runBlock's `validateData` (and its gas limit bound), the transactions root computed in one pass; transactions
 * this node admitted skip only the per-transaction checks admission already made, not the block's (base fee).
 */
function checkBlockData(block: Block, decoded: DecodedHeader, admitted: ReadonlySet<TypedTransaction>): void {
  const fail = (message: string): never => {
    throw new ChainError('CHAIN_INVALID_BLOCK', `block ${decoded.info.number}: ${message}`);
  };
  const { header } = block;
  if (header.gasLimit >= 0x8000000000000000n) fail('gas limit above 2^63 - 1');
  const baseFee = header.baseFeePerGas ?? 0n;
  for (const [index, tx] of block.transactions.entries()) {
    if (!tx.isSigned()) fail(`transaction ${index} is unsigned`);
    // Transaction types 0–2 only (decode refuses others): no blob gas to count.
    const feeCap = 'maxFeePerGas' in tx ? tx.maxFeePerGas : (tx as { gasPrice: bigint }).gasPrice;
    if (feeCap < baseFee) fail(`transaction ${index} cannot pay the base fee`);
    if (admitted.has(tx)) continue;
    const errors = tx.getValidationErrors();
    if (errors.length > 0) fail(`invalid transaction ${index}: ${errors.join(', ').slice(0, 200)}`);
  }
  if ((header.blobGasUsed ?? 0n) !== 0n) fail('blobGasUsed is not 0 (no blob transactions)');
  const txRoot = orderedTrieRoot(block.transactions.map((tx) => tx.serialize()));
  if (!equalBytes(txRoot, header.transactionsTrie)) fail('invalid transaction trie');
  if (!block.uncleHashIsValid()) fail('invalid uncle hash');
  if (header.withdrawalsRoot === undefined || !equalBytes(header.withdrawalsRoot, EMPTY_TRIE_ROOT)) {
    fail('invalid withdrawals trie (a PoV block has no withdrawals)');
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function decodeBlockTx(raw: Uint8Array, index: number, common: Common): TypedTransaction {
  try {
    const tx = createTxFromRLP(raw, { common });
    if (tx.type > 2) throw new RangeError(`transaction type ${tx.type} is not accepted`);
    return tx;
  } catch (cause) {
    throw new ChainError('CHAIN_INVALID_BLOCK', `transaction ${index} does not decode`, { cause });
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.slice(0, 200) ?? '';
}
