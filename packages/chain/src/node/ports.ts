/**
 * What the validator service needs of the executor (exec/) and of the consensus code (consensus/), as two narrow
 * ports: the service runs the slot clock, the gossip, sync and the bookkeeping between them, and never executes a
 * transaction or checks a ticket itself. `adapters.ts` builds both ports from exec/'s ChainExecutor and
 * consensus/'s tickets, committee and FinalityTracker.
 */
import type { Address } from 'viem';
import type { ImportResult, PovBlock, PovHeaderInfo, SealValidator } from '../exec/block-types.ts';
import type { PovAttestationWire } from './wire.ts';

export interface ValidatorChain {
  head(): PovHeaderInfo;
  finalized(): PovHeaderInfo;
  header(hash: Uint8Array): Promise<PovHeaderInfo | undefined>;
  block(hash: Uint8Array): Promise<PovBlock | undefined>;
  /** The block at `number` on the current canonical chain. */
  canonicalBlock(number: bigint): Promise<PovBlock | undefined>;
  /** An unsealed block on `parent` from the tx pool; `extraData` is the consensus code's (ticket commitment). */
  build(parent: PovHeaderInfo, timestampSec: bigint, extraData: Uint8Array): Promise<PovBlock>;
  /** Decodes a block's header (shape only: nothing executed). */
  decodeHeader(block: PovBlock): PovHeaderInfo;
  import(block: PovBlock, validateSeal: SealValidator): Promise<ImportResult>;
  setHead(hash: Uint8Array): Promise<void>;
  setFinalized(hash: Uint8Array): Promise<void>;
  /** Adds gossiped transactions to the pool; ones the pool refuses are dropped (the count of those is returned). */
  addTransactions(raw: Uint8Array[]): Promise<number>;
  /** Transactions this node's JSON-RPC accepted (to gossip them). Returns an unsubscribe. */
  onLocalTransaction(listener: (raw: Uint8Array) => void): () => void;
}

/** A won ticket: what the seal will carry (opaque here). */
export interface WonTicket {
  slot: bigint;
  /** The header's extraData (the ticket commitment). */
  extraData: Uint8Array;
  /** Seals the built header (VRF proof, work item, proposer signature over the header hash). */
  seal(header: PovHeaderInfo): Uint8Array | Promise<Uint8Array>;
}

export interface FinalityOutcome {
  /** The block this attestation made final (and with it its ancestors), if any. */
  finalized?: Uint8Array;
}

export interface ValidatorConsensus {
  readonly slotMs: number;
  /** The slot at wall-clock `nowMs`. */
  slotAt(nowMs: number): bigint;
  /** The wall-clock start of a slot, ms. */
  slotStartMs(slot: bigint): number;
  /** This node's ticket for `slot` on `parent`; undefined when it may not propose. */
  ticket(slot: bigint, parent: PovHeaderInfo): Promise<WonTicket | undefined>;
  /** Checks a block's seal during import (before execution). */
  readonly validateSeal: SealValidator;
  /** The slot and proposer a sealed block names (shape only; import checks them). */
  sealInfo(block: PovBlock, header: PovHeaderInfo): { slot: bigint; proposer: Address; proposalSig: Uint8Array };
  /** Whether this node sits in the committee of `block` (imported or refused). */
  inCommittee(slot: bigint, header: PovHeaderInfo, block: PovBlock): Promise<boolean>;
  /** This node's signed attestation. */
  attest(slot: bigint, blockHash: Uint8Array, valid: boolean): PovAttestationWire;
  /** Counts a (verified) attestation towards finality; throws a typed error when it does not verify. */
  addAttestation(attestation: PovAttestationWire, header: PovHeaderInfo): Promise<FinalityOutcome>;
  /** Fork choice: whether `candidate` should replace `head` (both descend from the finalized block). */
  prefer(candidate: PovHeaderInfo, head: PovHeaderInfo): boolean;
}

/** Where slashing evidence goes (ValidatorStakes, through a transaction this node signs). `invalidBlock` returns
 * false while the rejections are fewer than the contract's quorum (it is offered again with each new one). */
export interface EvidenceSink {
  equivocation(e: { slot: bigint; proposer: Address; a: [Uint8Array, Uint8Array]; b: [Uint8Array, Uint8Array] }): void;
  invalidBlock(e: {
    slot: bigint;
    proposer: Address;
    blockHash: Uint8Array;
    proposalSig: Uint8Array;
    rejections: PovAttestationWire[];
  }): boolean | Promise<boolean>;
}
