/** Receipts as the store keeps them, from what EthereumJS returns for each executed transaction. */
import type { TypedTransaction } from '@ethereumjs/tx';
import type { RunTxResult } from '@ethereumjs/vm';
import type { StoredReceipt } from '../store/records.ts';

export function storedReceipt(tx: TypedTransaction, result: RunTxResult, baseFeeWei: bigint): StoredReceipt {
  const receipt = result.receipt as typeof result.receipt & { status?: 0 | 1 };
  return {
    from: tx.getSenderAddress().bytes,
    status: receipt.status === 1 ? 1 : 0,
    cumulativeGasUsed: receipt.cumulativeBlockGasUsed,
    gasUsed: result.totalGasSpent,
    effectiveGasPrice: tx.getEffectivePriorityFee(baseFeeWei) + baseFeeWei,
    contractAddress: result.createdAddress?.bytes ?? new Uint8Array(),
    logs: receipt.logs.map(([address, topics, data]) => ({ address, topics, data })),
  };
}
