import { createMPT } from '@ethereumjs/mpt';
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager';
import { Account, createAddressFromString } from '@ethereumjs/util';
import { describe, expect, it, vi } from 'vitest';
import { BlockStateManager } from '../../src/exec/block-state.ts';
import { createPovCommon } from '../../src/exec/common.ts';

const common = createPovCommon(31_338);
const contract = createAddressFromString('0x00000000000000000000000000000000000000cc');
const slot = (i: number) => {
  const key = new Uint8Array(32);
  key[30] = i >> 8;
  key[31] = i & 0xff;
  return key;
};

/** The same storage history (writes, overwrites, zeroing, a reverted checkpoint) on `manager`; its final root. */
async function history(manager: MerkleStateManager): Promise<Uint8Array> {
  await manager.checkpoint();
  await manager.putAccount(contract, new Account(1n, 10n));
  for (let i = 0; i < 50; i++) await manager.putStorage(contract, slot(i), Uint8Array.of(i + 1));
  await manager.checkpoint();
  await manager.putStorage(contract, slot(3), Uint8Array.of(0xee));
  await manager.revert();
  for (let i = 0; i < 50; i += 5) await manager.putStorage(contract, slot(i), new Uint8Array());
  await manager.putStorage(contract, slot(7), Uint8Array.of(0, 0, 9));
  await manager.commit();
  // A second block on top of the first.
  await manager.checkpoint();
  for (let i = 40; i < 60; i++) await manager.putStorage(contract, slot(i), Uint8Array.of(2, i));
  await manager.commit();
  return manager.getStateRoot();
}

describe('BlockStateManager', () => {
  it('reaches the same state root as MerkleStateManager and reads the same values', async () => {
    const upstream = new MerkleStateManager({
      trie: await createMPT({ useKeyHashing: true }),
      common,
      caches: new Caches(),
    });
    const ours = new BlockStateManager({
      trie: await createMPT({ useKeyHashing: true }),
      common,
      caches: new Caches(),
    });
    const root = await history(upstream);
    expect(await history(ours)).toEqual(root);
    for (const i of [0, 3, 5, 7, 41, 59]) {
      expect(await ours.getStorage(contract, slot(i))).toEqual(await upstream.getStorage(contract, slot(i)));
    }
  });

  it('writes the storage trie at the flush, not at each SSTORE (upstream writes at both)', async () => {
    const writesOf = (manager: MerkleStateManager) =>
      vi.spyOn(manager as unknown as { _writeContractStorage: () => Promise<void> }, '_writeContractStorage');
    for (const [Manager, atSstore] of [
      [BlockStateManager, 0],
      [MerkleStateManager, 3],
    ] as const) {
      const manager = new Manager({ trie: await createMPT({ useKeyHashing: true }), common, caches: new Caches() });
      const writes = writesOf(manager);
      await manager.checkpoint();
      await manager.putAccount(contract, new Account(1n, 10n));
      for (let i = 0; i < 3; i++) await manager.putStorage(contract, slot(i), Uint8Array.of(5));
      expect(writes).toHaveBeenCalledTimes(atSstore);
      expect(await manager.getStorage(contract, slot(1))).toEqual(Uint8Array.of(5));
      await manager.commit();
      expect(writes).toHaveBeenCalledTimes(atSstore + 3);
    }
  });
});
