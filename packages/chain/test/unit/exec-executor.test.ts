import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import { bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, describe, expect, it } from 'vitest';
import { ChainExecutor } from '../../src/exec/executor.ts';
import type { GenesisSpec } from '../../src/exec/genesis.ts';
import { ChainStore } from '../../src/store/chain-store.ts';
import { createMemoryKv, openLevelKv } from '../../src/store/kv.ts';

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const FROM = privateKeyToAccount(KEY).address;
const TO = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as const;
const genesis: GenesisSpec = {
  chainId: 31_338,
  gasLimit: 30_000_000n,
  baseFeePerGasWei: 1_000_000_000n,
  alloc: [{ address: FROM, balanceWei: 10n ** 24n }],
};

const memoryChain = () => ChainExecutor.open({ genesis, store: new ChainStore(createMemoryKv()) });

function transfer(executor: ChainExecutor, nonce: bigint, over: Partial<{ value: bigint; gasLimit: bigint }> = {}) {
  return createFeeMarket1559Tx(
    {
      chainId: 31_338n,
      nonce,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1n,
      gasLimit: over.gasLimit ?? 21_000n,
      to: TO,
      value: over.value ?? 1_000n,
    },
    { common: executor.common },
  )
    .sign(Buffer.from(KEY.slice(2), 'hex'))
    .serialize();
}

async function balanceOf(executor: ChainExecutor, address: string): Promise<bigint> {
  const state = await executor.stateAt(executor.headDecoded().header);
  return (await state.getAccount(createAddressFromString(address)))?.balance ?? 0n;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAicError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('ChainExecutor', () => {
  it('computes the same genesis hash on every node', async () => {
    const a = await memoryChain();
    const b = await memoryChain();
    expect(bytesToHex(a.genesisHash)).toBe(bytesToHex(b.genesisHash));
    expect(a.head().number).toBe(0n);
  });

  it('builds a block that another node imports to the same state root', async () => {
    const proposer = await memoryChain();
    const validator = await memoryChain();
    await proposer.addRawTransaction(transfer(proposer, 0n));
    await proposer.addRawTransaction(transfer(proposer, 1n));
    const block = await proposer.buildBlock({ timestampSec: 2n, coinbase: TO });
    expect(block.txs).toHaveLength(2);
    await proposer.importBlock(block);
    const imported = await validator.importBlock(block);
    expect(imported.isNew).toBe(true);
    expect(bytesToHex(validator.head().stateRoot)).toBe(bytesToHex(proposer.head().stateRoot));
    expect(validator.head().number).toBe(1n);
    expect((await validator.importBlock(block)).isNew).toBe(false);
    expect(await balanceOf(validator, TO)).toBeGreaterThan(2_000n);
    expect(await proposer.admission.pendingNonce(FROM)).toBe(2n);
  });

  it('refuses transactions with typed codes and keeps the pending nonce', async () => {
    const chain = await memoryChain();
    expect(await codeOf(chain.addRawTransaction(new Uint8Array([0x02, 0xc0])))).toBe('CHAIN_TX_INVALID');
    const otherChain = await privateKeyToAccount(KEY).signTransaction({
      chainId: 1,
      type: 'eip1559',
      nonce: 0,
      to: TO,
      gas: 21_000n,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1n,
    });
    expect(await codeOf(chain.addRawTransaction(hexToBytes(otherChain)))).toBe('CHAIN_TX_CHAIN_ID');
    expect(await codeOf(chain.addRawTransaction(transfer(chain, 0n, { gasLimit: 20_000n })))).toBe('CHAIN_TX_GAS');
    expect(await codeOf(chain.addRawTransaction(transfer(chain, 0n, { value: 10n ** 25n })))).toBe('CHAIN_TX_FUNDS');
    expect(await codeOf(chain.addRawTransaction(transfer(chain, 500n)))).toBe('CHAIN_TX_NONCE');
    await chain.addRawTransaction(transfer(chain, 0n));
    expect(await chain.admission.pendingNonce(FROM)).toBe(1n);
    await chain.importBlock(await chain.buildBlock({ timestampSec: 1n, coinbase: TO }));
    expect(await codeOf(chain.addRawTransaction(transfer(chain, 0n, { value: 7n })))).toBe('CHAIN_TX_NONCE');
  });

  it('rejects a block whose state root was tampered with, and a block with an unknown parent', async () => {
    const proposer = await memoryChain();
    const validator = await memoryChain();
    await proposer.addRawTransaction(transfer(proposer, 0n));
    const block = await proposer.buildBlock({ timestampSec: 2n, coinbase: TO });
    const { decodeHeader } = await import('../../src/exec/headers.ts');
    const { createBlockHeader } = await import('@ethereumjs/block');
    const header = decodeHeader(block.header, proposer.common).header;
    const forged = createBlockHeader(
      { ...header.toJSON(), stateRoot: new Uint8Array(32).fill(7) },
      { common: proposer.common, setHardfork: false },
    );
    expect(await codeOf(validator.importBlock({ ...block, header: forged.serialize() }))).toBe('CHAIN_BAD_STATE_ROOT');
    const orphan = createBlockHeader(
      { ...header.toJSON(), parentHash: new Uint8Array(32).fill(1) },
      { common: proposer.common, setHardfork: false },
    );
    expect(await codeOf(validator.importBlock({ ...block, header: orphan.serialize() }))).toBe('CHAIN_UNKNOWN_PARENT');
    expect(validator.head().number).toBe(0n);
    // The honest block still imports after the rejected ones.
    await validator.importBlock(block);
    expect(validator.head().number).toBe(1n);
  });

  it('calls the seal validator before executing and refuses what it rejects', async () => {
    const chain = await memoryChain();
    const block = await chain.buildBlock({ timestampSec: 2n, coinbase: TO });
    const seen: bigint[] = [];
    const code = await codeOf(
      chain.importBlock(
        { ...block, seal: new Uint8Array([1]) },
        {
          validateSeal: ({ header }) => {
            seen.push(header.number);
            throw new Error('not eligible');
          },
        },
      ),
    );
    expect(code).toBe('CHAIN_BAD_SEAL');
    expect(seen).toEqual([1n]);
    expect(chain.head().number).toBe(0n);
  });

  it('reorgs to another imported branch with setHead, and back', async () => {
    const a = await memoryChain();
    await a.addRawTransaction(transfer(a, 0n, { value: 111n }));
    const a1 = await a.buildBlock({ timestampSec: 2n, coinbase: TO });
    const b = await memoryChain();
    await b.addRawTransaction(transfer(b, 0n, { value: 222n }));
    const b1 = await b.buildBlock({ timestampSec: 3n, coinbase: FROM });
    await a.importBlock(a1);
    const before = await balanceOf(a, TO);
    const imported = await a.importBlock(b1);
    expect(bytesToHex(a.head().hash)).not.toBe(bytesToHex(imported.header.hash)); // a sibling does not move the head
    await a.setHead(imported.header.hash);
    expect(bytesToHex(a.head().hash)).toBe(bytesToHex(imported.header.hash));
    expect(await balanceOf(a, TO)).toBe(222n);
    const back = await a.headerByNumber(1n);
    expect(bytesToHex(back?.info.hash ?? new Uint8Array())).toBe(bytesToHex(imported.header.hash));
    await a.setHead((await a.importBlock(a1)).header.hash);
    expect(await balanceOf(a, TO)).toBe(before);
  });

  it('resumes at its head from disk without replay, and refuses another chain or a lost head', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aic-chain-exec-'));
    dirs.push(dir);
    const first = await ChainExecutor.open({ genesis, store: new ChainStore(await openLevelKv(dir)) });
    await first.addRawTransaction(transfer(first, 0n, { value: 5_000n }));
    await first.importBlock(await first.buildBlock({ timestampSec: 2n, coinbase: FROM }));
    const head = bytesToHex(first.head().hash);
    await first.close();
    const second = await ChainExecutor.open({
      genesis,
      store: new ChainStore(await openLevelKv(dir)),
      requireExisting: true,
    });
    expect(bytesToHex(second.head().hash)).toBe(head);
    expect(await balanceOf(second, TO)).toBe(5_000n);
    await second.close();
    const other: GenesisSpec = { ...genesis, alloc: [{ address: TO, balanceWei: 1n }] };
    const wrong = ChainExecutor.open({ genesis: other, store: new ChainStore(await openLevelKv(dir)) });
    expect(await codeOf(wrong)).toBe('CHAIN_GENESIS_MISMATCH');
    const empty = mkdtempSync(join(tmpdir(), 'aic-chain-exec-'));
    dirs.push(empty);
    const missing = ChainExecutor.open({
      genesis,
      store: new ChainStore(await openLevelKv(empty)),
      requireExisting: true,
    });
    expect(await codeOf(missing)).toBe('CHAIN_STORE_MISSING');
  });
});
