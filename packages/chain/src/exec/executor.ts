/**
 * The PoV chain's execution layer: EthereumJS's VM over a persisted state trie, a transaction pool, block building
 * for the proposer, block import (re-execution and root checks) for everyone else, and the canonical chain with
 * cheap reorgs (every block's state stays in the trie by its root; `setHead` only rewrites the number index).
 * Fork choice and seals are the consensus layer's: it supplies the SealValidator and calls `setHead`.
 *
 * @example
 * const executor = await ChainExecutor.open({ genesis, store: new ChainStore(await openLevelKv(dir)) });
 * const block = await executor.buildBlock({ timestampSec, coinbase });
 * await executor.importBlock({ ...block, seal }, { validateSeal });
 */
import type { BlockHeader } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import { createMPT } from '@ethereumjs/mpt';
import { Caches, type MerkleStateManager } from '@ethereumjs/statemanager';
import { bytesToHex, createAddressFromString, ValueEncoding } from '@ethereumjs/util';
import { createVM, type VM } from '@ethereumjs/vm';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { Hex } from 'viem';
import { ChainError } from '../errors.ts';
import type { ChainStore } from '../store/chain-store.ts';
import type { StoredReceipt } from '../store/records.ts';
import { BlockStateManager } from './block-state.ts';
import type { ImportOptions, ImportResult, PovBlock, PovHeaderInfo } from './block-types.ts';
import { povBlockHash } from './block-types.ts';
import { buildOnParent } from './build.ts';
import { createPovCommon, createTxCommon } from './common.ts';
import { type GenesisSpec, writeGenesis } from './genesis.ts';
import { type DecodedHeader, decodeHeader } from './headers.ts';
import { executeImport } from './import.ts';
import { CHAIN_EXEC_DEFAULTS } from './params.ts';
import { PoolAdmission } from './pool-admission.ts';
import { StateNodeCache } from './state-node-cache.ts';
import { hasStateRoot, openState } from './state-reader.ts';
import { TxPool } from './tx-pool.ts';

export interface ChainExecutorInit {
  genesis: GenesisSpec;
  store: ChainStore;
  /** Refuse to start on an empty store (a node that must resume, not start a new chain): CHAIN_STORE_MISSING. */
  requireExisting?: boolean;
  pool?: Partial<{ maxTxs: number; maxPerSender: number; maxNonceGap: number }>;
}

export interface BuildOptions {
  /** Parent block hash; the head by default. */
  parentHash?: Uint8Array;
  timestampSec: bigint;
  coinbase: Hex;
  extraData?: Uint8Array;
  /** Stop after this many transactions (besides the gas limit). */
  maxTxs?: number;
}

type HeadListener = (head: PovHeaderInfo) => void;

export class ChainExecutor {
  readonly pool: TxPool;
  readonly admission: PoolAdmission;
  private headHeader!: DecodedHeader;
  private finalizedHash!: Uint8Array;
  private safeHash!: Uint8Array;
  private readonly headers = new Map<string, DecodedHeader>();
  /** Receipts of blocks this process built, so importing its own sealed block does not re-execute it. */
  private readonly built = new Map<string, StoredReceipt[]>();
  private readonly headListeners = new Set<HeadListener>();
  private lock: Promise<unknown> = Promise.resolve();

  /** The Common transactions are decoded with (see createTxCommon). */
  readonly txCommon: Common;

  private constructor(
    readonly common: Common,
    readonly store: ChainStore,
    readonly genesisHash: Uint8Array,
    private readonly vm: VM,
    /** The trie nodes of the executing state, in memory over `store.trieDb` (persisted after each block). */
    readonly stateNodes: StateNodeCache,
    init: ChainExecutorInit,
  ) {
    this.pool = new TxPool({
      maxTxs: init.pool?.maxTxs ?? CHAIN_EXEC_DEFAULTS.poolMaxTxs,
      maxPerSender: init.pool?.maxPerSender ?? CHAIN_EXEC_DEFAULTS.poolMaxPerSender,
      maxNonceGap: init.pool?.maxNonceGap ?? CHAIN_EXEC_DEFAULTS.poolMaxNonceGap,
    });
    this.txCommon = createTxCommon(common, CHAIN_EXEC_DEFAULTS.senderCacheSize);
    this.admission = new PoolAdmission(this);
  }

  /** Opens the chain on `store`: writes genesis into an empty store, or resumes at the stored head. */
  static async open(init: ChainExecutorInit): Promise<ChainExecutor> {
    const common = createPovCommon(init.genesis.chainId);
    const { store } = init;
    // Caches: accounts/storage/code are read and written in memory during a block and written to the trie once
    // per block (without them every access walks the trie on disk and every write re-hashes nodes); the trie's
    // nodes, storage tries' included, are read from memory and written to disk once per block (StateNodeCache).
    const stateNodes = new StateNodeCache(store.trieDb, CHAIN_EXEC_DEFAULTS.trieNodeCacheSize);
    const trie = await createMPT({ db: stateNodes, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes });
    const stateManager = new BlockStateManager({ trie, common, caches: new Caches() });
    const genesisBlock = await writeGenesis(init.genesis, stateManager, common);
    await stateNodes.persist();
    const genesisHash = povBlockHash(genesisBlock);
    const empty = (await store.getMeta('genesis')) === undefined;
    if (empty && init.requireExisting === true) {
      throw new ChainError('CHAIN_STORE_MISSING', 'the chain database holds no chain to resume');
    }
    const vm = await createVM({ common, stateManager, blockchain: blockHashes(store) });
    const executor = new ChainExecutor(common, store, genesisHash, vm, stateNodes, init);
    if (empty) {
      await store.putBlock(genesisHash, genesisBlock, []);
      await store.setCanonical({
        entries: [{ number: 0n, hash: genesisHash, txHashes: [] }],
        drop: [],
        head: genesisHash,
        meta: { genesis: genesisHash, finalized: genesisHash, safe: genesisHash },
      });
    }
    await executor.resume();
    return executor;
  }

  private async resume(): Promise<void> {
    const stored = await this.store.getMeta('genesis');
    if (!stored || bytesToHex(stored) !== bytesToHex(this.genesisHash)) {
      throw new ChainError('CHAIN_GENESIS_MISMATCH', 'the database holds another chain (genesis differs)', {
        details: { stored: stored && bytesToHex(stored), expected: bytesToHex(this.genesisHash) },
      });
    }
    const corrupt = (what: string): never => {
      throw new ChainError('CHAIN_STORE_CORRUPT', `the chain database lost ${what}`);
    };
    const headHash = (await this.store.getMeta('head')) ?? corrupt('its head pointer');
    this.headHeader = (await this.headerByHash(headHash)) ?? corrupt('its head block');
    if (!(await hasStateRoot(this.store.trieDb, this.headHeader.header.stateRoot))) corrupt("the head block's state");
    this.finalizedHash = (await this.store.getMeta('finalized')) ?? this.genesisHash;
    this.safeHash = (await this.store.getMeta('safe')) ?? this.finalizedHash;
  }

  head(): PovHeaderInfo {
    return this.headHeader.info;
  }

  headDecoded(): DecodedHeader {
    return this.headHeader;
  }

  /** The latest block the consensus layer declared final (genesis until it does). */
  finalized(): Uint8Array {
    return this.finalizedHash;
  }

  safe(): Uint8Array {
    return this.safeHash;
  }

  /** Records the consensus layer's finalized (and optionally safe) block; it must be imported. */
  async setFinalized(hash: Uint8Array, safe: Uint8Array = hash): Promise<void> {
    if (!(await this.headerByHash(hash)) || !(await this.headerByHash(safe))) {
      throw new ChainError('CHAIN_UNKNOWN_BLOCK', 'finalized block is not imported', {
        details: { hash: bytesToHex(hash) },
      });
    }
    this.finalizedHash = hash;
    this.safeHash = safe;
    await this.store.putMeta('finalized', hash);
    await this.store.putMeta('safe', safe);
  }

  onHead(listener: HeadListener): () => void {
    this.headListeners.add(listener);
    return () => this.headListeners.delete(listener);
  }

  /** Validates a signed transaction and adds it to the pool; returns its hash. */
  addRawTransaction(raw: Uint8Array): Promise<Hex> {
    return this.admission.add(raw);
  }

  /** Builds an unsealed block on `parentHash` (the head) from the pool; its state is kept, it is not imported yet. */
  buildBlock(options: BuildOptions): Promise<PovBlock> {
    return this.exclusive(async () => {
      const parent = await this.requireHeader(options.parentHash ?? this.head().hash, 'CHAIN_UNKNOWN_PARENT');
      const built = await buildOnParent(this.vm, parent, this.pool, {
        timestampSec: options.timestampSec,
        coinbase: createAddressFromString(options.coinbase),
        extraData: options.extraData ?? new Uint8Array(),
        maxTxs: options.maxTxs ?? Number.POSITIVE_INFINITY,
      }).finally(() => this.stateNodes.persist());
      this.built.set(bytesToHex(povBlockHash(built.block)), built.receipts);
      return built.block;
    });
  }

  /**
   * Imports a block: header rules against its parent, the seal (consensus's callback), then re-execution with
   * stateRoot/receiptsRoot/gasUsed/txRoot checks. A block whose parent is the head becomes the head; any other
   * block waits for the consensus layer's `setHead`. Re-importing a known block is a no-op (`isNew: false`).
   */
  importBlock(block: PovBlock, options: ImportOptions = {}): Promise<ImportResult> {
    return this.exclusive(async () => {
      const known = await this.headerByHash(povBlockHash(block));
      if (known && (await this.store.getReceipts(known.info.hash))) return { header: known.info, isNew: false };
      const decoded = decodeHeader(block.header, this.common);
      const parent = await this.requireHeader(decoded.header.parentHash, 'CHAIN_UNKNOWN_PARENT');
      const cached = this.built.get(bytesToHex(decoded.info.hash));
      const receipts = await executeImport(this.vm, {
        block,
        decoded,
        parent,
        cached,
        options,
        txCommon: this.txCommon,
        admitted: (raw) => this.admittedTx(raw),
      }).finally(() => this.stateNodes.persist());
      this.built.delete(bytesToHex(decoded.info.hash));
      await this.store.putBlock(decoded.info.hash, block, receipts);
      this.remember(decoded);
      if (bytesToHex(decoded.info.parentHash) === bytesToHex(this.head().hash)) await this.moveHead(decoded);
      return { header: decoded.info, isNew: true };
    });
  }

  /** Makes the imported block `hash` the head (fork choice's decision): rewrites the canonical index, no replay. */
  setHead(hash: Uint8Array): Promise<void> {
    return this.exclusive(async () => {
      const target = await this.requireHeader(hash, 'CHAIN_UNKNOWN_BLOCK');
      if (!(await this.store.getReceipts(hash))) {
        throw new ChainError('CHAIN_UNKNOWN_BLOCK', 'the block is not imported', {
          details: { hash: bytesToHex(hash) },
        });
      }
      await this.moveHead(target);
    });
  }

  private async moveHead(target: DecodedHeader): Promise<void> {
    const entries: Array<{ number: bigint; hash: Uint8Array; txHashes: Uint8Array[] }> = [];
    let cursor: DecodedHeader | undefined = target;
    // Walk back until the branch meets the canonical chain.
    while (cursor) {
      const canonical = await this.store.canonicalHash(cursor.info.number);
      if (canonical && bytesToHex(canonical) === bytesToHex(cursor.info.hash)) break;
      const block = await this.store.getBlock(cursor.info.hash);
      const txHashes = (block?.txs ?? []).map((raw) => txHashOf(raw));
      entries.push({ number: cursor.info.number, hash: cursor.info.hash, txHashes });
      if (cursor.info.number === 0n) break;
      cursor = await this.headerByHash(cursor.info.parentHash);
    }
    const drop: bigint[] = [];
    for (let n = target.info.number + 1n; n <= this.head().number; n++) drop.push(n);
    await this.store.setCanonical({ entries, drop, head: target.info.hash });
    this.headHeader = target;
    const state = await openState(this.stateNodes, target.header.stateRoot, this.common);
    await this.pool.prune(async (sender) => (await state.getAccount(createAddressFromString(sender)))?.nonce ?? 0n);
    for (const listener of this.headListeners) listener(target.info);
  }

  /** The pooled transaction with exactly the bytes `raw` (admitted here: decoded, sender recovered, checked). */
  private admittedTx(raw: Uint8Array) {
    const entry = this.pool.get(bytesToHex(txHashOf(raw)));
    if (entry === undefined || entry.raw.length !== raw.length) return undefined;
    return entry.raw.every((byte, i) => byte === raw[i]) ? entry.tx : undefined;
  }

  /** A header by hash (imported blocks only), from the cache or the store. */
  async headerByHash(hash: Uint8Array): Promise<DecodedHeader | undefined> {
    const key = bytesToHex(hash);
    const cached = this.headers.get(key);
    if (cached) return cached;
    const block = await this.store.getBlock(hash);
    if (!block) return undefined;
    const decoded = decodeHeader(block.header, this.common);
    this.remember(decoded);
    return decoded;
  }

  /** The canonical header at `number`, if the chain is that long. */
  async headerByNumber(number: bigint): Promise<DecodedHeader | undefined> {
    if (number > this.head().number) return undefined;
    const hash = await this.store.canonicalHash(number);
    return hash ? this.headerByHash(hash) : undefined;
  }

  async isCanonical(info: PovHeaderInfo): Promise<boolean> {
    const hash = await this.store.canonicalHash(info.number);
    return hash !== undefined && bytesToHex(hash) === bytesToHex(info.hash);
  }

  /** The state at the block `header` (read-only). */
  stateAt(header: BlockHeader): Promise<MerkleStateManager> {
    return openState(this.stateNodes, header.stateRoot, this.common);
  }

  /** Waits for work in progress, then closes the store. */
  async close(): Promise<void> {
    await this.exclusive(async () => {});
    this.headListeners.clear();
    await this.store.close();
  }

  private async requireHeader(
    hash: Uint8Array,
    code: 'CHAIN_UNKNOWN_PARENT' | 'CHAIN_UNKNOWN_BLOCK',
  ): Promise<DecodedHeader> {
    const header = await this.headerByHash(hash);
    if (!header) throw new ChainError(code, 'unknown block', { details: { hash: bytesToHex(hash) } });
    return header;
  }

  private remember(decoded: DecodedHeader): void {
    const key = bytesToHex(decoded.info.hash);
    this.headers.delete(key);
    this.headers.set(key, decoded);
    if (this.headers.size > CHAIN_EXEC_DEFAULTS.headerCacheSize) {
      const oldest = this.headers.keys().next().value;
      if (oldest !== undefined) this.headers.delete(oldest);
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => {});
    return run;
  }
}

function txHashOf(raw: Uint8Array): Uint8Array {
  return keccak_256(raw);
}

/** BLOCKHASH for the EVM: the canonical hash at a number (zero when unknown, as the EVM expects). */
function blockHashes(store: ChainStore) {
  const api = {
    async getBlock(number: number) {
      const hash = (await store.canonicalHash(BigInt(number))) ?? new Uint8Array(32);
      return { hash: () => hash };
    },
    async putBlock() {},
    shallowCopy() {
      return api;
    },
  };
  return api;
}
