/** Ethereum JSON-RPC result objects (geth's field names and hex encodings) from the chain's records. */
import type { BlockHeader } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx';
import { bigIntToHex, bytesToHex } from '@ethereumjs/util';
import type { PovBlock } from '../exec/block-types.ts';
import type { StoredLog, StoredReceipt } from '../store/records.ts';
import { bloomOf } from './bloom.ts';

type Json = Record<string, unknown>;

export interface TxPosition {
  blockHash: Uint8Array;
  blockNumber: bigint;
  index: number;
  baseFeeWei: bigint;
}

export function decodeTx(raw: Uint8Array, common: Common): TypedTransaction {
  return createTxFromRLP(raw, { common });
}

export function formatBlock(
  header: BlockHeader,
  hash: Uint8Array,
  block: PovBlock,
  full: boolean,
  common: Common,
): Json {
  const base = header.baseFeePerGas ?? 0n;
  const transactions = block.txs.map((raw, index) => {
    const tx = decodeTx(raw, common);
    return full
      ? formatTx(tx, { blockHash: hash, blockNumber: header.number, index, baseFeeWei: base })
      : bytesToHex(tx.hash());
  });
  return {
    number: bigIntToHex(header.number),
    hash: bytesToHex(hash),
    parentHash: bytesToHex(header.parentHash),
    nonce: bytesToHex(header.nonce),
    mixHash: bytesToHex(header.mixHash),
    sha3Uncles: bytesToHex(header.uncleHash),
    logsBloom: bytesToHex(header.logsBloom),
    transactionsRoot: bytesToHex(header.transactionsTrie),
    stateRoot: bytesToHex(header.stateRoot),
    receiptsRoot: bytesToHex(header.receiptTrie),
    miner: header.coinbase.toString(),
    difficulty: '0x0',
    totalDifficulty: '0x0',
    extraData: bytesToHex(header.extraData),
    size: bigIntToHex(BigInt(block.header.length + block.txs.reduce((n, tx) => n + tx.length, 0))),
    gasLimit: bigIntToHex(header.gasLimit),
    gasUsed: bigIntToHex(header.gasUsed),
    timestamp: bigIntToHex(header.timestamp),
    baseFeePerGas: bigIntToHex(base),
    withdrawalsRoot: header.withdrawalsRoot ? bytesToHex(header.withdrawalsRoot) : undefined,
    blobGasUsed: bigIntToHex(header.blobGasUsed ?? 0n),
    excessBlobGas: bigIntToHex(header.excessBlobGas ?? 0n),
    parentBeaconBlockRoot: header.parentBeaconBlockRoot ? bytesToHex(header.parentBeaconBlockRoot) : undefined,
    withdrawals: [],
    uncles: [],
    transactions,
  };
}

export function formatTx(tx: TypedTransaction, at: TxPosition | undefined): Json {
  const json = tx.toJSON() as Json;
  const feeCap = 'maxFeePerGas' in tx ? tx.maxFeePerGas : (tx as { gasPrice: bigint }).gasPrice;
  const gasPrice = at ? tx.getEffectivePriorityFee(at.baseFeeWei) + at.baseFeeWei : feeCap;
  return {
    ...json,
    hash: bytesToHex(tx.hash()),
    from: tx.getSenderAddress().toString(),
    to: tx.to ? tx.to.toString() : null,
    input: bytesToHex(tx.data),
    gas: bigIntToHex(tx.gasLimit),
    gasPrice: bigIntToHex(gasPrice),
    type: bigIntToHex(BigInt(tx.type)),
    yParity: tx.type === 0 ? undefined : json.v,
    blockHash: at ? bytesToHex(at.blockHash) : null,
    blockNumber: at ? bigIntToHex(at.blockNumber) : null,
    transactionIndex: at ? bigIntToHex(BigInt(at.index)) : null,
  };
}

export function formatLog(log: StoredLog, at: TxPosition, txHash: Uint8Array, logIndex: number): Json {
  return {
    address: bytesToHex(log.address),
    topics: log.topics.map((t) => bytesToHex(t)),
    data: bytesToHex(log.data),
    blockHash: bytesToHex(at.blockHash),
    blockNumber: bigIntToHex(at.blockNumber),
    transactionHash: bytesToHex(txHash),
    transactionIndex: bigIntToHex(BigInt(at.index)),
    logIndex: bigIntToHex(BigInt(logIndex)),
    removed: false,
  };
}

export function formatReceipt(
  tx: TypedTransaction,
  receipt: StoredReceipt,
  at: TxPosition,
  firstLogIndex: number,
): Json {
  const txHash = tx.hash();
  return {
    transactionHash: bytesToHex(txHash),
    transactionIndex: bigIntToHex(BigInt(at.index)),
    blockHash: bytesToHex(at.blockHash),
    blockNumber: bigIntToHex(at.blockNumber),
    from: bytesToHex(receipt.from),
    to: tx.to ? tx.to.toString() : null,
    cumulativeGasUsed: bigIntToHex(receipt.cumulativeGasUsed),
    gasUsed: bigIntToHex(receipt.gasUsed),
    effectiveGasPrice: bigIntToHex(receipt.effectiveGasPrice),
    contractAddress: receipt.contractAddress.length === 20 ? bytesToHex(receipt.contractAddress) : null,
    logs: receipt.logs.map((log, i) => formatLog(log, at, txHash, firstLogIndex + i)),
    logsBloom: bytesToHex(bloomOf(receipt.logs)),
    status: receipt.status === 1 ? '0x1' : '0x0',
    type: bigIntToHex(BigInt(tx.type)),
  };
}
