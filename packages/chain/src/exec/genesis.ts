/**
 * Genesis from an allocation list: the accounts (balance, optional nonce/code/storage for system contracts) are
 * written into the state trie and the genesis header commits to the resulting root. Every field is fixed by the
 * spec (timestamp included), so every node computes the same genesis hash.
 */
import { createBlockHeader } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import type { MerkleStateManager } from '@ethereumjs/statemanager';
import { Account, createAddressFromString, hexToBytes, setLengthLeft } from '@ethereumjs/util';
import type { Hex } from 'viem';
import type { PovBlock } from './block-types.ts';

export interface GenesisAccount {
  address: Hex;
  balanceWei: bigint;
  nonce?: bigint;
  code?: Hex;
  /** Storage slot → value (both 32-byte hex, left-padded if shorter). */
  storage?: Record<Hex, Hex>;
}

export interface GenesisSpec {
  chainId: number;
  alloc: GenesisAccount[];
  gasLimit: bigint;
  baseFeePerGasWei: bigint;
  /** Genesis time, seconds; 0 unless the chain's slots count from a real start time. */
  timestampSec?: bigint;
  extraData?: Hex;
}

/** Writes the allocation into `state` (an empty trie) and returns the genesis block (unsealed: genesis needs none). */
export async function writeGenesis(spec: GenesisSpec, state: MerkleStateManager, common: Common): Promise<PovBlock> {
  await state.checkpoint();
  for (const entry of spec.alloc) {
    const address = createAddressFromString(entry.address);
    await state.putAccount(address, new Account(entry.nonce ?? 0n, entry.balanceWei));
    if (entry.code !== undefined) await state.putCode(address, hexToBytes(entry.code));
    for (const [slot, value] of Object.entries(entry.storage ?? {})) {
      await state.putStorage(address, setLengthLeft(hexToBytes(slot as Hex), 32), hexToBytes(value as Hex));
    }
  }
  await state.commit();
  const stateRoot = await state.getStateRoot();
  const header = createBlockHeader(
    {
      number: 0n,
      stateRoot,
      gasLimit: spec.gasLimit,
      baseFeePerGas: spec.baseFeePerGasWei,
      timestamp: spec.timestampSec ?? 0n,
      extraData: spec.extraData === undefined ? new Uint8Array() : hexToBytes(spec.extraData),
    },
    { common },
  );
  return { header: header.serialize(), txs: [], seal: new Uint8Array() };
}
