/**
 * The state manager blocks execute on: EthereumJS's MerkleStateManager with storage writes kept in its storage
 * cache until the block's flush, as its caches are designed to. In @ethereumjs/statemanager 10.1.3 `putStorage`
 * reads `this._caches?.storage?.put(…) ?? (await this._writeContractStorage(…))`: `put` returns undefined, so every
 * SSTORE also walked, rewrote and re-hashed the contract's storage trie (two per ERC-20 transfer, the largest part of
 * a transfer's state cost). Here a cached SSTORE goes to the cache only; `flush` (at the block's end, or at
 * `getStateRoot`) writes each slot once. The resulting trie, and so every state root, is the same.
 */
import { RLP } from '@ethereumjs/rlp';
import { MerkleStateManager } from '@ethereumjs/statemanager';
import { type Address, unpadBytes } from '@ethereumjs/util';
import { ChainError } from '../errors.ts';

export class BlockStateManager extends MerkleStateManager {
  override async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    const storage = this._caches?.storage;
    if (storage === undefined) return super.putStorage(address, key, value);
    // The same refusals as the parent's (the EVM never triggers them: its keys are 32 bytes, values ≤ 32).
    if (key.length !== 32 || value.length > 32) {
      throw new ChainError('CHAIN_INVALID_BLOCK', 'storage key must be 32 bytes and its value at most 32');
    }
    if ((await this.getAccount(address)) === undefined) {
      throw new ChainError('CHAIN_INVALID_BLOCK', 'storage written on an account that does not exist');
    }
    storage.put(address, key, RLP.encode(unpadBytes(value)));
  }
}
