/**
 * Finality and fork choice, as a pure state machine chain-node feeds blocks (after their seal checked) and
 * attestations into, and asks for the head, the finalized head, what to attest, and any slashing evidence.
 *
 * - A block is final once ⌈2/3⌉ of its committee attested it and it descends from the finalized head; finalizing a
 *   block finalizes its ancestors. A block with no committee (a single validator) is final on arrival.
 * - Fork choice: from the finalized head, step to the child whose subtree holds the most attestations, then the
 *   lowest VRF output (the slot's winning ticket), then the lowest hash — until a leaf.
 * - Voting rules for the local validator (`shouldAttest`): only blocks on the finalized chain, one block per slot,
 *   and only descendants (or ancestors) of its last vote unless that vote's branch died (conflicts with finality)
 *   or `unlockAfterSlots` passed (liveness over a lost vote; safe unless messages are that late).
 * - Rejections (`valid = false`) from ⌈2/3⌉ of a committee mark the block and its descendants invalid.
 */
import { type Address, bytesToHex, getAddress, type Hex } from 'viem';
import { type Attestation, verifyAttestation } from './attestation.ts';
import { quorumOf } from './committee.ts';
import type { EquivocationEvidence, InvalidBlockEvidence } from './evidence.ts';
import { compareVrfOutputs } from './ticket.ts';

export interface TrackedBlock {
  readonly hash: Uint8Array;
  readonly parentHash: Uint8Array;
  readonly number: bigint;
  readonly slot: bigint;
  readonly proposer: Address;
  readonly vrfOutput: Uint8Array;
  /** The seal's signature (kept for equivocation evidence). */
  readonly proposerSignature: Uint8Array;
  readonly committee: readonly Address[];
  /** The header RLP, kept for invalid-block evidence (optional). */
  readonly header?: Uint8Array;
}

export interface FinalityTrackerInit {
  readonly chainId: bigint;
  /** Where finality starts: the genesis block, or the last finalized block a restarted node has on disk. */
  readonly genesis: { hash: Uint8Array; number?: bigint; slot?: bigint };
  /** The local validator (for `shouldAttest`), if this node validates. */
  readonly self?: Address;
  /** Slots after which the local validator's vote lock lapses (default 64). */
  readonly unlockAfterSlots?: bigint;
  /** Attestations kept for blocks not seen yet (default 4096; older ones are dropped). */
  readonly maxPendingAttestations?: number;
  /** Finalized blocks kept below the finalized head (default 256). */
  readonly retainFinalized?: bigint;
}

interface Node {
  readonly block: TrackedBlock;
  readonly key: Hex;
  readonly parent: Hex;
  readonly children: Set<Hex>;
  readonly accepts: Map<Address, Attestation>;
  readonly rejects: Map<Address, Attestation>;
  subtreeAccepts: number;
  invalid: boolean;
}

export type AttestationStatus = 'counted' | 'pending' | 'duplicate' | 'not-in-committee';

/** See the file comment. */
export class FinalityTracker {
  private readonly nodes = new Map<Hex, Node>();
  private readonly pending = new Map<string, Attestation>();
  private readonly proposals = new Map<string, { hash: Uint8Array; signature: Uint8Array }>();
  private readonly votes = new Map<bigint, Hex>();
  private readonly equivocations: EquivocationEvidence[] = [];
  private lastVote: Hex | undefined;
  private finalizedKey: Hex;

  constructor(private readonly init: FinalityTrackerInit) {
    const g = init.genesis;
    const genesis: TrackedBlock = {
      hash: g.hash,
      parentHash: new Uint8Array(32),
      number: g.number ?? 0n,
      slot: g.slot ?? 0n,
      proposer: '0x0000000000000000000000000000000000000000',
      vrfOutput: new Uint8Array(32),
      proposerSignature: new Uint8Array(),
      committee: [],
    };
    this.finalizedKey = bytesToHex(g.hash);
    this.nodes.set(this.finalizedKey, this.nodeOf(genesis));
  }

  /** Adds a block whose seal was checked; returns whether it was new and any equivocation it revealed. */
  addBlock(block: TrackedBlock): { isNew: boolean; equivocation?: EquivocationEvidence } {
    const key = bytesToHex(block.hash);
    if (this.nodes.has(key)) return { isNew: false };
    const node = this.nodeOf({
      ...block,
      proposer: getAddress(block.proposer),
      committee: block.committee.map((a) => getAddress(a)),
    });
    this.nodes.set(key, node);
    const parent = this.nodes.get(node.parent);
    parent?.children.add(key);
    if (parent?.invalid) node.invalid = true;
    // Children that arrived first (sync out of order) hang under their parent now.
    const adopted = [...this.nodes.values()].filter((other) => other.parent === key);
    for (const child of adopted) {
      node.children.add(child.key);
      node.subtreeAccepts += child.subtreeAccepts;
    }
    const equivocation = this.noteProposal(node.block);
    for (const [pendingKey, attestation] of this.pending) {
      if (bytesToHex(attestation.blockHash) !== key) continue;
      this.pending.delete(pendingKey);
      this.count(node, attestation);
    }
    this.tryFinalize(node);
    for (const child of adopted) this.tryFinalize(child);
    return equivocation === undefined ? { isNew: true } : { isNew: true, equivocation };
  }

  /** Counts an attestation (its signature verified unless `verified`); keeps it pending until its block arrives. */
  addAttestation(attestation: Attestation, options: { verified?: boolean } = {}): AttestationStatus {
    if (options.verified !== true) verifyAttestation(attestation, this.init.chainId);
    const node = this.nodes.get(bytesToHex(attestation.blockHash));
    if (node === undefined) {
      const pendingKey = `${bytesToHex(attestation.blockHash)}:${attestation.validator}:${attestation.valid}`;
      if (this.pending.has(pendingKey)) return 'duplicate';
      if (this.pending.size >= (this.init.maxPendingAttestations ?? 4096)) {
        const oldest = this.pending.keys().next().value;
        if (oldest !== undefined) this.pending.delete(oldest);
      }
      this.pending.set(pendingKey, attestation);
      return 'pending';
    }
    const status = this.count(node, attestation);
    if (status === 'counted') this.tryFinalize(node);
    return status;
  }

  /** The head by fork choice (see the file comment). */
  head(): TrackedBlock {
    let node = this.nodes.get(this.finalizedKey) as Node;
    for (;;) {
      let best: Node | undefined;
      for (const childKey of node.children) {
        const child = this.nodes.get(childKey);
        if (child === undefined || child.invalid) continue;
        if (best === undefined || this.better(child, best)) best = child;
      }
      if (best === undefined) return node.block;
      node = best;
    }
  }

  /** The latest finalized block. */
  finalized(): TrackedBlock {
    return (this.nodes.get(this.finalizedKey) as Node).block;
  }

  /** Is `hash` final (the finalized head or one of its ancestors still kept)? */
  isFinalized(hash: Uint8Array): boolean {
    const node = this.nodes.get(bytesToHex(hash));
    return node !== undefined && this.isAncestorOrSelf(node.key, this.finalizedKey);
  }

  /** Blocks between the head and the finalized head. */
  finalityLagBlocks(): bigint {
    return this.head().number - this.finalized().number;
  }

  /** Should the local validator attest `hash` now (see the voting rules)? */
  shouldAttest(hash: Uint8Array): boolean {
    const self = this.init.self;
    const node = this.nodes.get(bytesToHex(hash));
    if (self === undefined || node === undefined || node.invalid) return false;
    const me = getAddress(self);
    if (me === node.block.proposer || !node.block.committee.includes(me) || node.accepts.has(me)) return false;
    if (!this.isAncestorOrSelf(this.finalizedKey, node.key)) return false;
    const sameSlot = this.votes.get(node.block.slot);
    if (sameSlot !== undefined && sameSlot !== node.key) return false;
    const last = this.lastVote === undefined ? undefined : this.nodes.get(this.lastVote);
    if (last === undefined || !this.isAncestorOrSelf(this.finalizedKey, last.key)) return true;
    if (this.isAncestorOrSelf(last.key, node.key) || this.isAncestorOrSelf(node.key, last.key)) return true;
    return node.block.slot >= last.block.slot + (this.init.unlockAfterSlots ?? 64n);
  }

  /** Records that the local validator attested `hash` (call before gossiping the attestation). */
  markAttested(hash: Uint8Array): void {
    const node = this.nodes.get(bytesToHex(hash));
    if (node === undefined) return;
    this.votes.set(node.block.slot, node.key);
    if (this.lastVote === undefined || node.block.slot >= (this.nodes.get(this.lastVote)?.block.slot ?? -1n)) {
      this.lastVote = node.key;
    }
  }

  /** Is the block marked invalid by a committee's rejections (or a descendant of one)? */
  isInvalid(hash: Uint8Array): boolean {
    return this.nodes.get(bytesToHex(hash))?.invalid ?? false;
  }

  /** Invalid-block evidence for a block its committee rejected, or undefined while it has too few rejections. */
  invalidBlockEvidence(hash: Uint8Array, reason: string): InvalidBlockEvidence | undefined {
    const node = this.nodes.get(bytesToHex(hash));
    if (node === undefined || node.rejects.size < Math.max(1, quorumOf(node.block.committee.length))) return undefined;
    const b = node.block;
    return {
      proposer: b.proposer,
      slot: b.slot,
      blockHash: b.hash,
      header: b.header ?? new Uint8Array(),
      proposerSignature: b.proposerSignature,
      reason,
      rejections: [...node.rejects.values()],
    };
  }

  /** Equivocations seen so far (two signed blocks of one proposer for one slot), oldest first. */
  equivocationEvidence(): readonly EquivocationEvidence[] {
    return this.equivocations;
  }

  /** Accept attestations counted for a block. */
  attestationsOf(hash: Uint8Array): readonly Attestation[] {
    return [...(this.nodes.get(bytesToHex(hash))?.accepts.values() ?? [])];
  }

  private nodeOf(block: TrackedBlock): Node {
    return {
      block,
      key: bytesToHex(block.hash),
      parent: bytesToHex(block.parentHash),
      children: new Set(),
      accepts: new Map(),
      rejects: new Map(),
      subtreeAccepts: 0,
      invalid: false,
    };
  }

  private count(node: Node, attestation: Attestation): AttestationStatus {
    const who = getAddress(attestation.validator);
    if (attestation.slot !== node.block.slot || !node.block.committee.includes(who)) return 'not-in-committee';
    const into = attestation.valid ? node.accepts : node.rejects;
    if (into.has(who)) return 'duplicate';
    into.set(who, attestation);
    if (attestation.valid) {
      // Walk up to the finalized head only: siblings below it are all fork choice compares.
      for (let at: Node | undefined = node; at !== undefined; at = this.nodes.get(at.parent)) {
        at.subtreeAccepts++;
        if (at.key === this.finalizedKey) break;
      }
    } else if (node.rejects.size >= Math.max(1, quorumOf(node.block.committee.length))) {
      this.markInvalid(node);
    }
    return 'counted';
  }

  private markInvalid(node: Node): void {
    node.invalid = true;
    for (const child of node.children) {
      const c = this.nodes.get(child);
      if (c !== undefined && !c.invalid) this.markInvalid(c);
    }
  }

  private tryFinalize(node: Node): void {
    const quorum = quorumOf(node.block.committee.length);
    if (node.invalid || node.accepts.size < quorum) return;
    if (node.block.number <= this.finalized().number) return;
    if (!this.isAncestorOrSelf(this.finalizedKey, node.key)) return; // a conflicting branch: never final here
    this.finalizedKey = node.key;
    this.prune();
    for (const child of node.children) {
      const c = this.nodes.get(child);
      if (c !== undefined) this.tryFinalize(c);
    }
  }

  /** Is `ancestor` on the parent chain of `descendant` (or the same block)? */
  private isAncestorOrSelf(ancestor: Hex, descendant: Hex): boolean {
    const target = this.nodes.get(ancestor);
    if (target === undefined) return false;
    for (let at = this.nodes.get(descendant); at !== undefined; at = this.nodes.get(at.parent)) {
      if (at.key === ancestor) return true;
      if (at.block.number <= target.block.number) return false;
    }
    return false;
  }

  private better(a: Node, b: Node): boolean {
    if (a.subtreeAccepts !== b.subtreeAccepts) return a.subtreeAccepts > b.subtreeAccepts;
    const byVrf = compareVrfOutputs(a.block.vrfOutput, b.block.vrfOutput);
    if (byVrf !== 0) return byVrf < 0;
    return a.key < b.key;
  }

  private noteProposal(block: TrackedBlock): EquivocationEvidence | undefined {
    const slotKey = `${block.proposer}:${block.slot}`;
    const first = this.proposals.get(slotKey);
    if (first === undefined) {
      this.proposals.set(slotKey, { hash: block.hash, signature: block.proposerSignature });
      return undefined;
    }
    const evidence: EquivocationEvidence = {
      proposer: block.proposer,
      slot: block.slot,
      blockHashA: first.hash,
      signatureA: first.signature,
      blockHashB: block.hash,
      signatureB: block.proposerSignature,
    };
    this.equivocations.push(evidence);
    return evidence;
  }

  /** Drops branches that conflict with finality and finalized blocks older than the retention. */
  private prune(): void {
    const finalized = this.finalized();
    const keepFrom = finalized.number - (this.init.retainFinalized ?? 256n);
    for (const [key, node] of this.nodes) {
      const n = node.block.number;
      // Neither an ancestor nor a descendant of the finalized head: a branch that can never be final.
      const dead = !this.isAncestorOrSelf(key, this.finalizedKey) && !this.isAncestorOrSelf(this.finalizedKey, key);
      if (dead || n < keepFrom) {
        this.nodes.delete(key);
        this.nodes.get(node.parent)?.children.delete(key);
      }
    }
    for (const [slotKey] of this.proposals) {
      const slot = BigInt(slotKey.split(':')[1] ?? '0');
      if (slot + 4096n < finalized.slot) this.proposals.delete(slotKey);
    }
    for (const slot of this.votes.keys()) if (slot + 4096n < finalized.slot) this.votes.delete(slot);
  }
}
