import { isAicError } from '@aic/core';
import { createBlockHeader } from '@ethereumjs/block';
import { RLP } from '@ethereumjs/rlp';
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import { bigIntToBytes, concatBytes } from '@ethereumjs/util';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { ChainExecutor } from '../../src/exec/executor.ts';
import type { GenesisSpec } from '../../src/exec/genesis.ts';
import { decodeHeader } from '../../src/exec/headers.ts';
import { ChainStore } from '../../src/store/chain-store.ts';
import { createMemoryKv } from '../../src/store/kv.ts';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const FROM = privateKeyToAccount(KEY).address;
const TO = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as const;
const genesis: GenesisSpec = {
  chainId: 31_338,
  gasLimit: 30_000_000n,
  baseFeePerGasWei: 1_000_000_000n,
  alloc: [{ address: FROM, balanceWei: 10n ** 24n }],
};
const open = () => ChainExecutor.open({ genesis, store: new ChainStore(createMemoryKv()) });

function transfer(executor: ChainExecutor, nonce: bigint): Uint8Array {
  return createFeeMarket1559Tx(
    { chainId: 31_338n, nonce, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n, gasLimit: 21_000n, to: TO },
    { common: executor.common },
  )
    .sign(Buffer.from(KEY.slice(2), 'hex'))
    .serialize();
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

describe('block import checks the block data before executing it', () => {
  it('refuses reordered, missing or extra transactions, withdrawals, then imports the honest block', async () => {
    const proposer = await open();
    const validator = await open();
    for (const nonce of [0n, 1n, 2n]) await proposer.addRawTransaction(transfer(proposer, nonce));
    const block = await proposer.buildBlock({ timestampSec: 2n, coinbase: TO });
    expect(block.txs).toHaveLength(3);
    const [a, b, c] = block.txs as [Uint8Array, Uint8Array, Uint8Array];
    for (const txs of [
      [b, a, c],
      [a, b],
      [a, b, c, c],
    ]) {
      expect(await codeOf(validator.importBlock({ ...block, txs }))).toBe('CHAIN_INVALID_BLOCK');
    }
    const header = decodeHeader(block.header, proposer.common).header;
    const withdrawals = createBlockHeader(
      { ...header.toJSON(), withdrawalsRoot: new Uint8Array(32).fill(3) },
      { common: proposer.common, setHardfork: false },
    );
    expect(await codeOf(validator.importBlock({ ...block, header: withdrawals.serialize() }))).toBe(
      'CHAIN_INVALID_BLOCK',
    );
    expect(validator.head().number).toBe(0n);
    await validator.importBlock(block);
    expect(validator.head().stateRoot).toEqual(decodeHeader(block.header, proposer.common).info.stateRoot);
  });

  it('reuses the transactions a validator admitted, and still checks the block they come in', async () => {
    const proposer = await open();
    const validator = await open();
    const raws = [0n, 1n].map((nonce) => transfer(proposer, nonce));
    for (const raw of raws) {
      await proposer.addRawTransaction(raw);
      await validator.addRawTransaction(raw);
    }
    const block = await proposer.buildBlock({ timestampSec: 2n, coinbase: TO });
    const [a, b] = block.txs as [Uint8Array, Uint8Array];
    expect(await codeOf(validator.importBlock({ ...block, txs: [b, a] }))).toBe('CHAIN_INVALID_BLOCK');
    await validator.importBlock(block);
    expect(validator.head().stateRoot).toEqual(decodeHeader(block.header, proposer.common).info.stateRoot);
    // Included: the validator's pool lets them go.
    expect(validator.pool.size).toBe(0);
  });

  it('refuses a transaction whose signature is not valid (high s)', async () => {
    const proposer = await open();
    const validator = await open();
    await proposer.addRawTransaction(transfer(proposer, 0n));
    const block = await proposer.buildBlock({ timestampSec: 2n, coinbase: TO });
    const tx = createFeeMarket1559Tx(
      {
        chainId: 31_338n,
        nonce: 0n,
        maxFeePerGas: 10_000_000_000n,
        maxPriorityFeePerGas: 1n,
        gasLimit: 21_000n,
        to: TO,
      },
      { common: proposer.common },
    ).sign(Buffer.from(KEY.slice(2), 'hex'));
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    // The malleated twin (n − s, flipped parity) recovers the same key, and EIP-2 refuses it.
    const fields = tx.raw();
    fields[9] = tx.v === 0n ? Uint8Array.of(1) : new Uint8Array();
    fields[11] = bigIntToBytes(n - (tx.s as bigint));
    const twin = concatBytes(Uint8Array.of(2), RLP.encode(fields));
    expect(await codeOf(validator.importBlock({ ...block, txs: [twin] }))).toBe('CHAIN_INVALID_BLOCK');
  });
});
