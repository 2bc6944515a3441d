/**
 * The PoV block as the executor, the consensus code and the validator service (gossip, sync) exchange it.
 *
 * A block is an ordinary Ethereum header (RLP, Cancun fields) plus its transactions plus a **seal**: one opaque RLP
 * item that the consensus layer writes and checks (VRF ticket, proposer node ID, model/job/session of the verified
 * work, the proposer's signature over the header hash). The seal is outside the header so that it can sign the
 * header hash; the header hash is therefore the block's identity (what `parentHash`, JSON-RPC and fork choice use),
 * and the executor never interprets the seal — it only hands it to the `SealValidator` the consensus code supplies.
 *
 * Wire form (gossip, sync, the store): `RLP([header, [tx, ...], seal])`, see `encodePovBlock`/`decodePovBlock`.
 * This shape is a contract between exec/, consensus/ and node/: keep it stable.
 */
import { RLP } from '@ethereumjs/rlp';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { ChainError } from '../errors.ts';

export interface PovBlock {
  /** RLP of the Ethereum block header (EthereumJS `BlockHeader.serialize()`). */
  header: Uint8Array;
  /** Each transaction's canonical bytes (typed envelope `0x02 || rlp(...)`, or legacy RLP). */
  txs: Uint8Array[];
  /** Opaque PoV seal written by the proposer and checked by the consensus code; empty while unsealed. */
  seal: Uint8Array;
}

/** The header fields a seal validator and fork choice read, decoded once by the executor. */
export interface PovHeaderInfo {
  /** keccak256 of `PovBlock.header`: the block's hash. */
  hash: Uint8Array;
  parentHash: Uint8Array;
  number: bigint;
  timestampSec: bigint;
  /** The proposer's fee recipient (its EVM address). */
  coinbase: Uint8Array;
  /** Free for the consensus code (e.g. slot number or a seal commitment); at most `MAX_EXTRA_DATA_BYTES`. */
  extraData: Uint8Array;
  stateRoot: Uint8Array;
  gasUsed: bigint;
  gasLimit: bigint;
}

/** What a seal validator is given: the block, its decoded header and the parent's header (already imported). */
export interface SealContext {
  block: PovBlock;
  header: PovHeaderInfo;
  parent: PovHeaderInfo;
}

/**
 * Checks a block's seal (VRF ticket, eligibility, signature over `header.hash`); throws a typed error to reject the
 * block. Called by `importBlock` BEFORE the transactions are executed, so an unsealed block costs no execution.
 */
export type SealValidator = (context: SealContext) => void | Promise<void>;

export interface ImportOptions {
  /** The consensus code's check of the seal; omit only for blocks this process built itself or in dev-sealer tests. */
  validateSeal?: SealValidator;
}

/**
 * The outcome of importing a block: its header, and whether it was new (a re-import is a no-op). A new block whose
 * parent is the current head becomes the head; any other block (a sibling, a fork) is stored with its state and
 * waits for the consensus layer's `ChainExecutor.setHead(hash)`.
 */
export interface ImportResult {
  header: PovHeaderInfo;
  /** false when the block was already known (nothing re-executed). */
  isNew: boolean;
}

/** The most bytes `extraData` may hold (Ethereum's own limit, which EthereumJS enforces). */
export const MAX_EXTRA_DATA_BYTES = 32;

/** Encodes a block for the wire or the store: `RLP([header, [tx...], seal])`. */
export function encodePovBlock(block: PovBlock): Uint8Array {
  return RLP.encode([block.header, block.txs, block.seal]);
}

/** Decodes `encodePovBlock`'s bytes; malformed input raises `CHAIN_INVALID_BLOCK` (shape only, nothing executed). */
export function decodePovBlock(bytes: Uint8Array): PovBlock {
  let decoded: unknown;
  try {
    decoded = RLP.decode(bytes);
  } catch (cause) {
    throw new ChainError('CHAIN_INVALID_BLOCK', 'block bytes are not RLP', { cause });
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) {
    throw new ChainError('CHAIN_INVALID_BLOCK', 'a block is RLP([header, txs, seal])');
  }
  const [header, txs, seal] = decoded as unknown[];
  if (!(header instanceof Uint8Array) || !(seal instanceof Uint8Array) || !Array.isArray(txs)) {
    throw new ChainError('CHAIN_INVALID_BLOCK', 'a block is RLP([header, txs, seal])');
  }
  if (!txs.every((tx): tx is Uint8Array => tx instanceof Uint8Array)) {
    throw new ChainError('CHAIN_INVALID_BLOCK', 'each transaction is one RLP byte string');
  }
  return { header, txs, seal };
}

/** The block's hash: keccak256 of its header bytes (the seal is not part of it). */
export function povBlockHash(block: Pick<PovBlock, 'header'>): Uint8Array {
  return keccak_256(block.header);
}
