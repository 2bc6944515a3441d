/**
 * The transaction pool: signed transactions waiting for a block, per sender in nonce order. Admission (signature,
 * chain id, nonce, funds, intrinsic gas) is checked by the executor against the head state before `add`; the pool
 * keeps the nonce bookkeeping (pending nonce = the state nonce plus the run of consecutive pooled nonces).
 */
import type { TypedTransaction } from '@ethereumjs/tx';
import { bytesToHex } from '@ethereumjs/util';
import { ChainError } from '../errors.ts';

export interface PooledTx {
  tx: TypedTransaction;
  hash: string;
  sender: string;
  raw: Uint8Array;
}

export interface TxPoolLimits {
  maxTxs: number;
  maxPerSender: number;
  maxNonceGap: number;
}

/** A replacement must raise the fee cap by at least this share (geth's 10 %). */
const REPLACE_BUMP_PERCENT = 10n;

export class TxPool {
  private readonly bySender = new Map<string, Map<bigint, PooledTx>>();
  private readonly byHash = new Map<string, PooledTx>();

  constructor(private readonly limits: TxPoolLimits) {}

  get size(): number {
    return this.byHash.size;
  }

  get(hash: string): PooledTx | undefined {
    return this.byHash.get(hash);
  }

  /** The next nonce `sender` would use: `stateNonce` plus the consecutive pooled nonces from it. */
  pendingNonce(sender: string, stateNonce: bigint): bigint {
    const txs = this.bySender.get(sender);
    let nonce = stateNonce;
    while (txs?.has(nonce)) nonce++;
    return nonce;
  }

  /** Adds an admitted transaction; raises CHAIN_TX_NONCE / CHAIN_TX_UNDERPRICED / CHAIN_TX_POOL_FULL. */
  add(entry: PooledTx, stateNonce: bigint): void {
    if (this.byHash.has(entry.hash)) return;
    const nonce = entry.tx.nonce;
    if (nonce < stateNonce) {
      throw new ChainError('CHAIN_TX_NONCE', 'nonce too low', { details: { nonce, stateNonce } });
    }
    const pending = this.pendingNonce(entry.sender, stateNonce);
    if (nonce > pending + BigInt(this.limits.maxNonceGap)) {
      throw new ChainError('CHAIN_TX_NONCE', 'nonce too far ahead of the pending nonce', {
        details: { nonce, pending },
      });
    }
    let txs = this.bySender.get(entry.sender);
    const existing = txs?.get(nonce);
    if (existing) {
      const minimum = (feeCap(existing.tx) * (100n + REPLACE_BUMP_PERCENT)) / 100n;
      if (feeCap(entry.tx) < minimum) {
        throw new ChainError('CHAIN_TX_UNDERPRICED', 'replacement transaction underpriced', { details: { nonce } });
      }
      this.byHash.delete(existing.hash);
    } else {
      if (this.byHash.size >= this.limits.maxTxs)
        throw new ChainError('CHAIN_TX_POOL_FULL', 'transaction pool is full');
      if ((txs?.size ?? 0) >= this.limits.maxPerSender) {
        throw new ChainError('CHAIN_TX_POOL_FULL', 'too many pending transactions from this sender');
      }
    }
    if (!txs) {
      txs = new Map();
      this.bySender.set(entry.sender, txs);
    }
    txs.set(nonce, entry);
    this.byHash.set(entry.hash, entry);
  }

  /** Each sender's transactions in nonce order, senders in arrival order (what a block builder tries). */
  *candidates(): Generator<PooledTx[]> {
    for (const txs of this.bySender.values()) {
      yield [...txs.values()].sort((a, b) => (a.tx.nonce < b.tx.nonce ? -1 : 1));
    }
  }

  remove(hash: string): void {
    const entry = this.byHash.get(hash);
    if (!entry) return;
    this.byHash.delete(hash);
    const txs = this.bySender.get(entry.sender);
    txs?.delete(entry.tx.nonce);
    if (txs?.size === 0) this.bySender.delete(entry.sender);
  }

  /** Drops what a new head made stale: every tx of `sender` with a nonce below its state nonce there. */
  prune(stateNonce: (sender: string) => Promise<bigint>): Promise<void> {
    const senders = [...this.bySender.keys()];
    return (async () => {
      for (const sender of senders) {
        const nonce = await stateNonce(sender);
        for (const entry of [...(this.bySender.get(sender)?.values() ?? [])]) {
          if (entry.tx.nonce < nonce) this.remove(entry.hash);
        }
      }
    })();
  }
}

function feeCap(tx: TypedTransaction): bigint {
  return 'maxFeePerGas' in tx ? tx.maxFeePerGas : (tx as { gasPrice: bigint }).gasPrice;
}

export function txHashHex(tx: TypedTransaction): string {
  return bytesToHex(tx.hash());
}
