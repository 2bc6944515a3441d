/**
 * `addRawTransaction`: decode and check a signed transaction against the head state, then pool it. The head state
 * manager is reused while the head stays (its caches make repeated nonce/balance reads cheap).
 */
import type { MerkleStateManager } from '@ethereumjs/statemanager';
import { bytesToHex, createAddressFromString } from '@ethereumjs/util';
import type { Hex } from 'viem';
import { checkAffordable, decodeRawTransaction } from './admission.ts';
import type { ChainExecutor } from './executor.ts';
import { openState } from './state-reader.ts';

type TxListener = (hash: Hex) => void;

export class PoolAdmission {
  private state: { root: string; manager: MerkleStateManager } | undefined;
  private readonly listeners = new Set<TxListener>();

  constructor(private readonly executor: ChainExecutor) {}

  /** Called with each newly pooled transaction's hash (a dev sealer builds on it). */
  onPending(listener: TxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async add(raw: Uint8Array): Promise<Hex> {
    const { txCommon: common, pool } = this.executor;
    const tx = decodeRawTransaction(raw, common);
    const hash = bytesToHex(tx.hash()) as Hex;
    if (pool.get(hash)) return hash;
    const head = this.executor.headDecoded().header;
    const state = await this.headState();
    const stateNonce = await checkAffordable(tx, state, {
      blockGasLimit: head.gasLimit,
      baseFeeWei: head.calcNextBaseFee(),
    });
    const sender = tx.getSenderAddress().toString();
    pool.add({ tx, hash, sender, raw }, stateNonce);
    for (const listener of this.listeners) listener(hash);
    return hash;
  }

  /** The nonce `address` would use next: the head state's nonce plus its pooled run. */
  async pendingNonce(address: string): Promise<bigint> {
    const state = await this.headState();
    const account = await state.getAccount(createAddressFromString(address));
    return this.executor.pool.pendingNonce(address.toLowerCase(), account?.nonce ?? 0n);
  }

  private async headState(): Promise<MerkleStateManager> {
    const head = this.executor.headDecoded().header;
    const root = bytesToHex(head.stateRoot);
    if (this.state?.root !== root) {
      this.state = { root, manager: await openState(this.executor.stateNodes, head.stateRoot, this.executor.common) };
    }
    return this.state.manager;
  }
}
