/**
 * Reads of the state at any imported block's root: accounts, code, storage, and `eth_call`/`eth_estimateGas`
 * executions on a throw-away state manager (the trie keeps every root, so nothing is replayed). Never writes.
 */
import { type Block, type BlockHeader, createBlock } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import type { EVMMockBlockchainInterface } from '@ethereumjs/evm';
import { createMPT } from '@ethereumjs/mpt';
import { Caches, type MerkleStateManager } from '@ethereumjs/statemanager';
import { createLegacyTx } from '@ethereumjs/tx';
import { type Address, createZeroAddress, type DB, ValueEncoding } from '@ethereumjs/util';
import { createVM, runTx } from '@ethereumjs/vm';
import { BlockStateManager } from './block-state.ts';

/** The trie's node store: the chain's TrieDb, or the executor's StateNodeCache over it. */
type NodeDb = DB<string, Uint8Array>;

export interface CallRequest {
  from?: Address;
  to?: Address;
  data?: Uint8Array;
  value?: bigint;
  gasLimit?: bigint;
}

export interface CallOutcome {
  success: boolean;
  returnData: Uint8Array;
  /** Gas the transaction would be charged (after refunds), intrinsic gas included. */
  gasUsed: bigint;
  /** EVM error name when it failed ('revert', 'out of gas', ...). */
  error?: string;
}

/** Opens the state at `root` (read-only use). */
export async function openState(db: NodeDb, root: Uint8Array, common: Common): Promise<MerkleStateManager> {
  const trie = await createMPT({ db, root, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes });
  return new BlockStateManager({ trie, common, caches: new Caches() });
}

/** True when the trie holds the node of `root` (a database that lost its state fails this). */
export async function hasStateRoot(db: NodeDb, root: Uint8Array): Promise<boolean> {
  const trie = await createMPT({ db, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes });
  return trie.checkRoot(root);
}

/** Runs `request` as an unsigned transaction on the state of `header` (fees off: eth_call semantics). */
export async function callAt(
  db: NodeDb,
  common: Common,
  header: BlockHeader,
  request: CallRequest,
  blockchain: EVMMockBlockchainInterface,
): Promise<CallOutcome> {
  return (await openCaller(db, common, header, blockchain))(request);
}

/**
 * A caller on the state of `header`: one VM and state manager for many calls (eth_estimateGas runs the same call a
 * few times; building a VM and re-reading the touched trie nodes for each run made one estimate take seconds on a
 * loaded machine). Each call runs inside a checkpoint that is reverted, so calls never see each other's writes.
 */
export async function openCaller(
  db: NodeDb,
  common: Common,
  header: BlockHeader,
  blockchain: EVMMockBlockchainInterface,
): Promise<(request: CallRequest) => Promise<CallOutcome>> {
  const state = await openState(db, header.stateRoot, common);
  const vm = await createVM({ common: common.copy(), stateManager: state, blockchain });
  const block = callBlock(header, common);
  let queue: Promise<unknown> = Promise.resolve();
  const runOne = async (request: CallRequest): Promise<CallOutcome> => {
    await state.checkpoint();
    try {
      return await runCall(vm, block, header, request, common);
    } finally {
      await state.revert();
    }
  };
  // Serial: two calls inside one state manager's checkpoints at once would interleave their writes.
  return (request) => {
    const run = queue.then(() => runOne(request));
    queue = run.catch(() => {});
    return run;
  };
}

async function runCall(
  vm: Awaited<ReturnType<typeof createVM>>,
  block: Block,
  header: BlockHeader,
  request: CallRequest,
  common: Common,
): Promise<CallOutcome> {
  const gasLimit = request.gasLimit ?? header.gasLimit;
  const tx = createLegacyTx(
    {
      ...(request.to === undefined ? {} : { to: request.to }),
      data: request.data ?? new Uint8Array(),
      value: request.value ?? 0n,
      gasLimit,
      gasPrice: 0n,
      nonce: 0n,
    },
    { common, freeze: false },
  );
  const from = request.from;
  // The EVM asks the transaction for its sender; an eth_call has none, so it speaks for `from` (or address zero).
  Object.defineProperty(tx, 'getSenderAddress', { value: () => from ?? createZeroAddress() });
  try {
    const result = await runTx(vm, {
      tx,
      block,
      skipBalance: true,
      skipNonce: true,
      skipBlockGasLimitValidation: true,
      skipHardForkValidation: true,
    });
    const error = result.execResult.exceptionError?.error;
    return {
      success: error === undefined,
      returnData: result.execResult.returnValue,
      gasUsed: result.totalGasSpent,
      ...(error === undefined ? {} : { error: String(error) }),
    };
  } catch (cause) {
    // runTx refuses before executing (gas limit below intrinsic gas, ...): a failed call, not a crash.
    return { success: false, returnData: new Uint8Array(), gasUsed: gasLimit, error: (cause as Error).message };
  }
}

/**
 * The least gas limit with which `request` succeeds (binary search, as geth does), or the failed outcome at the cap.
 */
export async function estimateGasAt(
  run: (gasLimit: bigint) => Promise<CallOutcome>,
  capGas: bigint,
): Promise<{ gas: bigint } | { failure: CallOutcome }> {
  const atCap = await run(capGas);
  if (!atCap.success) return { failure: atCap };
  // Most calls need exactly what they use (no refund, no 63/64 reserve): a plain transfer is then 21,000.
  if ((await run(atCap.gasUsed)).success) return { gas: atCap.gasUsed };
  let lo = atCap.gasUsed;
  // Refunds and the 63/64 rule make the needed limit exceed the gas used; try a close guess before searching.
  let hi = (atCap.gasUsed * 64n) / 63n + 5_000n;
  if (hi > capGas || !(await run(hi)).success) hi = capGas;
  while (hi - lo > 1n && hi - lo > hi / 1000n) {
    const mid = (lo + hi) / 2n;
    if ((await run(mid)).success) hi = mid;
    else lo = mid;
  }
  return { gas: hi };
}

function callBlock(header: BlockHeader, common: Common): Block {
  return createBlock(
    {
      header: {
        number: header.number,
        timestamp: header.timestamp,
        coinbase: header.coinbase,
        gasLimit: header.gasLimit,
        baseFeePerGas: 0n,
        parentHash: header.parentHash,
        excessBlobGas: header.excessBlobGas ?? 0n,
      },
    },
    { common, skipConsensusFormatValidation: true },
  );
}
