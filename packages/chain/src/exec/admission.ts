/**
 * Admission of a raw transaction into the pool: it decodes, is signed for this chain, pays at least the intrinsic
 * gas, fits a block, and its sender can pay for it at the head state. Each refusal has its own code.
 */
import type { Common } from '@ethereumjs/common';
import { RLP } from '@ethereumjs/rlp';
import type { MerkleStateManager } from '@ethereumjs/statemanager';
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx';
import { ChainError } from '../errors.ts';

/** Blob transactions carry sidecars this chain does not gossip; EIP-7702 needs Prague. */
const ACCEPTED_TYPES = new Set([0, 1, 2]);

export function decodeRawTransaction(raw: Uint8Array, common: Common): TypedTransaction {
  if (raw.length === 0) throw new ChainError('CHAIN_TX_INVALID', 'empty transaction');
  const chainId = peekChainId(raw);
  if (chainId !== undefined && chainId !== common.chainId()) {
    throw new ChainError('CHAIN_TX_CHAIN_ID', 'transaction is signed for another chain', {
      details: { chainId, expected: common.chainId() },
    });
  }
  let tx: TypedTransaction;
  try {
    tx = createTxFromRLP(raw, { common });
  } catch (cause) {
    throw new ChainError('CHAIN_TX_INVALID', `transaction does not decode: ${(cause as Error).message}`, { cause });
  }
  if (!ACCEPTED_TYPES.has(tx.type)) {
    throw new ChainError('CHAIN_TX_INVALID', `transaction type ${tx.type} is not accepted`);
  }
  if (!tx.isSigned() || !tx.verifySignature()) throw new ChainError('CHAIN_TX_INVALID', 'invalid signature');
  // A legacy transaction without EIP-155 replay protection could be replayed from any chain.
  if (tx.type === 0 && !tx.supports(155)) {
    throw new ChainError('CHAIN_TX_CHAIN_ID', 'legacy transaction without EIP-155 chain id');
  }
  return tx;
}

export async function checkAffordable(
  tx: TypedTransaction,
  state: MerkleStateManager,
  limits: { blockGasLimit: bigint; baseFeeWei: bigint },
): Promise<bigint> {
  const intrinsic = tx.getIntrinsicGas();
  if (tx.gasLimit < intrinsic) {
    throw new ChainError('CHAIN_TX_GAS', 'intrinsic gas too low', { details: { gasLimit: tx.gasLimit, intrinsic } });
  }
  if (tx.gasLimit > limits.blockGasLimit) {
    throw new ChainError('CHAIN_TX_GAS', 'exceeds block gas limit', { details: { gasLimit: tx.gasLimit } });
  }
  const feeCap = 'maxFeePerGas' in tx ? tx.maxFeePerGas : (tx as { gasPrice: bigint }).gasPrice;
  if (feeCap < limits.baseFeeWei) {
    throw new ChainError('CHAIN_TX_UNDERPRICED', 'max fee per gas less than block base fee', {
      details: { feeCap, baseFee: limits.baseFeeWei },
    });
  }
  const account = await state.getAccount(tx.getSenderAddress());
  const balance = account?.balance ?? 0n;
  const cost = tx.gasLimit * feeCap + tx.value;
  if (balance < cost) {
    throw new ChainError('CHAIN_TX_FUNDS', 'insufficient funds for gas * price + value', {
      details: { balance, cost },
    });
  }
  return account?.nonce ?? 0n;
}

/** The chain id a typed transaction names (its first RLP field), before a full decode; undefined for legacy. */
function peekChainId(raw: Uint8Array): bigint | undefined {
  const type = raw[0] as number;
  if (type >= 0x7f || type === 0) return undefined;
  try {
    // The full decode checks the rest; the first field of every typed payload is the chain id.
    const fields = RLP.decode(raw.subarray(1)) as unknown as Uint8Array[];
    const first = fields[0];
    if (!(first instanceof Uint8Array)) return undefined;
    return first.length === 0 ? 0n : BigInt(`0x${Buffer.from(first).toString('hex')}`);
  } catch {
    return undefined;
  }
}
