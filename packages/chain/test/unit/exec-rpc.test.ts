/** The JSON-RPC handlers in process (no HTTP): call/estimate/revert data, pending nonces, logs filters, fee history. */
import { bytesToHex } from '@ethereumjs/util';
import { privateKeyToAccount } from 'viem/accounts';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChainExecutor } from '../../src/exec/executor.ts';
import { createRpcHandler } from '../../src/rpc/server.ts';
import { ChainStore } from '../../src/store/chain-store.ts';
import { createMemoryKv } from '../../src/store/kv.ts';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const FROM = privateKeyToAccount(KEY).address;
const REVERTER = '0x00000000000000000000000000000000000000aa';
const LOGGER = '0x00000000000000000000000000000000000000bb';
const TOPIC = `0x${'11'.repeat(32)}`;
// Runtime code: revert with 0xdeadbeef; and: mstore(0, 42), log1(0, 32, TOPIC), stop.
const REVERT_CODE = '0x63deadbeef60e01b60005260046000fd';
const LOG_CODE: `0x${string}` = `0x602a6000527f${'11'.repeat(32)}60206000a100`;

describe('chain JSON-RPC handlers', () => {
  let executor: ChainExecutor;
  let rpc: (
    method: string,
    params?: unknown[],
  ) => Promise<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }>;

  beforeAll(async () => {
    executor = await ChainExecutor.open({
      genesis: {
        chainId: 31_338,
        gasLimit: 30_000_000n,
        baseFeePerGasWei: 1_000_000_000n,
        alloc: [
          { address: FROM, balanceWei: 10n ** 21n },
          { address: REVERTER, balanceWei: 0n, code: REVERT_CODE },
          { address: LOGGER, balanceWei: 0n, code: LOG_CODE },
        ],
      },
      store: new ChainStore(createMemoryKv()),
    });
    const handle = createRpcHandler({
      executor,
      clientVersion: 'test',
      logsMaxBlockRange: 100,
      callGasCap: 10_000_000n,
      suggestedTipWei: 1n,
    });
    rpc = async (method, params = []) => (await handle({ jsonrpc: '2.0', id: 1, method, params })) as never;
  });

  it('returns revert data in error.data with code 3 for eth_call and eth_estimateGas', async () => {
    for (const method of ['eth_call', 'eth_estimateGas']) {
      const answer = await rpc(method, [{ from: FROM, to: REVERTER, data: '0x' }, 'latest']);
      expect(answer.error).toMatchObject({ code: 3, message: 'execution reverted', data: '0xdeadbeef' });
    }
  });

  it('estimates 21,000 for a plain transfer and more for a call that logs', async () => {
    expect((await rpc('eth_estimateGas', [{ from: FROM, to: FROM, value: '0x1' }])).result).toBe('0x5208');
    const logging = BigInt((await rpc('eth_estimateGas', [{ from: FROM, to: LOGGER }])).result as string);
    expect(logging).toBeGreaterThan(21_000n);
  });

  it('counts pooled transactions in the pending nonce and finds mined logs by topic', async () => {
    const account = privateKeyToAccount(KEY);
    const gas = BigInt((await rpc('eth_estimateGas', [{ from: FROM, to: LOGGER }])).result as string);
    const raw = await account.signTransaction({
      type: 'eip1559',
      chainId: 31_338,
      nonce: 0,
      to: LOGGER,
      gas,
      maxFeePerGas: 5_000_000_000n,
      maxPriorityFeePerGas: 1n,
    });
    const hash = (await rpc('eth_sendRawTransaction', [raw])).result;
    expect((await rpc('eth_getTransactionCount', [FROM, 'pending'])).result).toBe('0x1');
    expect((await rpc('eth_getTransactionCount', [FROM, 'latest'])).result).toBe('0x0');
    expect(((await rpc('eth_getTransactionByHash', [hash])).result as { blockHash: unknown }).blockHash).toBeNull();
    await executor.importBlock(await executor.buildBlock({ timestampSec: 12n, coinbase: FROM }));
    const receipt = (await rpc('eth_getTransactionReceipt', [hash])).result as { status: string; logs: unknown[] };
    expect(receipt.status).toBe('0x1');
    const logs = (await rpc('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', topics: [TOPIC] }]))
      .result as Array<{
      address: string;
      data: string;
      transactionHash: string;
    }>;
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ address: LOGGER, transactionHash: hash, data: `0x${'00'.repeat(31)}2a` });
    const none = await rpc('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', topics: [`0x${'22'.repeat(32)}`] }]);
    expect(none.result).toEqual([]);
    expect((await rpc('eth_getLogs', [{ fromBlock: '0x0', toBlock: '0x1000' }])).error?.code).toBe(-32602);
    const history = (await rpc('eth_feeHistory', ['0x4', 'latest', [50]])).result as {
      baseFeePerGas: string[];
      gasUsedRatio: number[];
      reward: string[][];
    };
    expect(history.baseFeePerGas).toHaveLength(3); // 2 blocks exist (genesis, 1) + the next block's
    expect(history.gasUsedRatio).toHaveLength(2);
    expect(history.reward[1]).toEqual(['0x1']);
    const block = (await rpc('eth_getBlockByNumber', ['latest', true])).result as {
      hash: string;
      transactions: Array<{ hash: string }>;
    };
    expect(block.hash).toBe(bytesToHex(executor.head().hash));
    expect(block.transactions[0]?.hash).toBe(hash);
  });
});
