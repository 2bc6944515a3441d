/**
 * Blocks and attestations coming in (gossip, sync, this node's own): decode, import with the seal check, spot two
 * blocks of one proposer for one slot, attest when in the committee, count attestations to finality and move the
 * head by fork choice. A block or attestation that fails costs its relayer peer score; nothing here throws at the
 * network.
 */
import { isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import { bytesToHex } from 'viem';
import { decodePovBlock, type PovBlock, type PovHeaderInfo, povBlockHash } from '../exec/block-types.ts';
import type { EvidenceSink, ValidatorChain, ValidatorConsensus } from './ports.ts';
import type { PovValidatorLogger } from './validator.ts';
import { type PovAttestationWire, povAttestationSpec } from './wire.ts';

export type IntakeEvents = {
  imported: { number: bigint; hash: string; head: boolean; from: string | undefined };
  rejected: { hash: string; code: string; from: string | undefined };
  finalized: { number: bigint; hash: string };
  evidence: { kind: 'equivocation' | 'invalid-block'; proposer: string; slot: bigint };
};

export interface BlockIntakeInit {
  network: AicNetwork;
  chain: ValidatorChain;
  consensus: ValidatorConsensus;
  evidence?: EvidenceSink;
  log: PovValidatorLogger;
  serial<T>(fn: () => Promise<T>): Promise<T>;
  emit<K extends keyof IntakeEvents>(type: K, detail: IntakeEvents[K]): void;
  requestSync(peer: string): void;
}

/** Attestations kept per block (for sync responses and late blocks), and blocks remembered per (slot, proposer). */
const MAX_TRACKED = 4096;

export class BlockIntake {
  readonly #c: BlockIntakeInit;
  /** Attestations seen per block hash (hex), including ones that arrived before their block. */
  readonly #attestations = new Map<string, PovAttestationWire[]>();
  /** `${slot}:${proposer}` → the first block's hash and proposal signature. */
  readonly #proposals = new Map<string, [Uint8Array, Uint8Array]>();
  /** Blocks refused (hex hash → their proposer, slot, signature), for invalid-block evidence. */
  readonly #refused = new Map<string, { slot: bigint; proposer: `0x${string}`; sig: Uint8Array }>();
  readonly #reported = new Set<string>();
  #finalEmitted = -1n;
  /** Height → the block this node attested valid there. */
  readonly #votedAt = new Map<bigint, string>();

  constructor(init: BlockIntakeInit) {
    this.#c = init;
  }

  attestationsFor(hash: Uint8Array): PovAttestationWire[] {
    return this.#attestations.get(bytesToHex(hash)) ?? [];
  }

  async onBlockMessage(bytes: Uint8Array, relayedBy: string): Promise<void> {
    let block: PovBlock;
    try {
      block = decodePovBlock(bytes);
    } catch (error) {
      this.#penalize(relayedBy, error);
      return;
    }
    await this.importBlock(block, relayedBy).catch(() => {});
  }

  /** Imports one block (serialised with the slot clock); resolves true when it is (now) known and valid. */
  importBlock(block: PovBlock, from: string | undefined): Promise<boolean> {
    return this.#c.serial(() => this.#import(block, from));
  }

  /** The same, for a caller that already holds the serial queue (the slot clock's own block). */
  importHeld(block: PovBlock, from: string | undefined): Promise<boolean> {
    return this.#import(block, from);
  }

  async #import(block: PovBlock, from: string | undefined): Promise<boolean> {
    const { chain, consensus } = this.#c;
    const hash = povBlockHash(block);
    const hex = bytesToHex(hash);
    if (this.#refused.has(hex)) return false;
    if ((await chain.header(hash)) !== undefined) return true;
    let header: PovHeaderInfo;
    try {
      header = chain.decodeHeader(block);
      this.#checkEquivocation(block, header);
      header = (await chain.import(block, consensus.validateSeal)).header;
    } catch (error) {
      const code = isAicError(error) ? error.code : 'UNKNOWN';
      if (code === 'CHAIN_UNKNOWN_PARENT') {
        // Not bad, just ahead of us: catch up from whoever sent it.
        if (from !== undefined) this.#c.requestSync(from);
        return false;
      }
      this.#c.log.info({ hash: hex, code, from }, 'pov block rejected');
      this.#c.emit('rejected', { hash: hex, code, from });
      if (from !== undefined) this.#penalize(from, error);
      await this.#refuse(block, hex, code);
      return false;
    }
    const head = chain.head();
    // The executor already moves its head onto a child of the head; any other branch waits for fork choice here.
    const isHead = bytesToHex(head.hash) === hex;
    const becameHead = isHead || consensus.prefer(header, head);
    if (!isHead && becameHead) await chain.setHead(header.hash);
    this.#c.emit('imported', { number: header.number, hash: hex, head: becameHead, from });
    const { slot } = consensus.sealInfo(block, header);
    // One valid vote per height, and only for the block fork choice put at our head: votes for every valid fork
    // block would let two branches both reach 2/3 (a rejoining node's stale branch did, before this rule).
    const voted = this.#votedAt.get(header.number);
    if (becameHead && voted === undefined && (await consensus.inCommittee(slot, header, block))) {
      this.#votedAt.set(header.number, hex);
      if (this.#votedAt.size > MAX_TRACKED) this.#votedAt.delete(this.#votedAt.keys().next().value as bigint);
      await this.#publishAttestation(consensus.attest(slot, hash, true), header);
    }
    for (const att of this.#attestations.get(hex) ?? []) await this.#count(att, header);
    return true;
  }

  /** A refused block: remembered (never re-imported), and rejected by this node's vote when it is on the committee. */
  async #refuse(block: PovBlock, hex: string, code: string): Promise<void> {
    const { chain, consensus } = this.#c;
    let info: ReturnType<ValidatorConsensus['sealInfo']>;
    let header: PovHeaderInfo;
    try {
      header = chain.decodeHeader(block);
      info = consensus.sealInfo(block, header);
    } catch {
      return; // no readable seal: nobody to blame on chain, the relayer already lost score
    }
    if (this.#refused.size >= MAX_TRACKED) this.#refused.clear();
    this.#refused.set(hex, { slot: info.slot, proposer: info.proposer, sig: info.proposalSig });
    // Only a block that was sealed correctly but does not execute (bad state root, bad tx) is the proposer's
    // provable fault; a bad seal may be anyone's forgery.
    if (code === 'CHAIN_BAD_SEAL' || code.startsWith('CHAIN_SEAL_')) return;
    if (await consensus.inCommittee(info.slot, header, block).catch(() => false)) {
      const att = consensus.attest(info.slot, header.hash, false);
      this.#remember(att);
      await this.#c.network.publish(povAttestationSpec, { attestation: att }).catch(() => {});
      await this.#maybeReportInvalid(hex);
    }
  }

  #checkEquivocation(block: PovBlock, header: PovHeaderInfo): void {
    const info = this.#c.consensus.sealInfo(block, header);
    const key = `${info.slot}:${info.proposer}`;
    const first = this.#proposals.get(key);
    if (first === undefined) {
      if (this.#proposals.size >= MAX_TRACKED) this.#proposals.clear();
      this.#proposals.set(key, [header.hash, info.proposalSig]);
      return;
    }
    if (bytesToHex(first[0]) === bytesToHex(header.hash) || this.#reported.has(key)) return;
    this.#reported.add(key);
    this.#c.log.warn({ slot: Number(info.slot), proposer: info.proposer }, 'pov proposer equivocated');
    this.#c.emit('evidence', { kind: 'equivocation', proposer: info.proposer, slot: info.slot });
    this.#c.evidence?.equivocation({
      slot: info.slot,
      proposer: info.proposer,
      a: first,
      b: [header.hash, info.proposalSig],
    });
  }

  async onAttestation(att: PovAttestationWire, relayedBy: string | undefined): Promise<void> {
    this.#remember(att);
    const hex = bytesToHex(att.blockHash);
    if (!att.valid) {
      await this.#maybeReportInvalid(hex);
      return;
    }
    const header = await this.#c.chain.header(att.blockHash);
    if (header === undefined) return; // counted when the block arrives
    try {
      await this.#count(att, header);
    } catch (error) {
      if (relayedBy !== undefined) this.#penalize(relayedBy, error);
    }
  }

  async #count(att: PovAttestationWire, header: PovHeaderInfo): Promise<void> {
    const outcome = await this.#c.consensus.addAttestation(att, header);
    if (outcome.finalized === undefined) return;
    // Finality only on our canonical chain: a quorum for a side branch waits until fork choice moves there.
    const canonical = await this.#c.chain.canonicalBlock(header.number);
    if (canonical === undefined || bytesToHex(this.#c.chain.decodeHeader(canonical).hash) !== bytesToHex(header.hash))
      return;
    // Not through the serial queue: this runs inside imports too. Marking finality moves no head.
    await this.#c.chain.setFinalized(outcome.finalized);
    const after = this.#c.chain.finalized();
    if (after.number <= this.#finalEmitted) return;
    this.#finalEmitted = after.number;
    this.#c.emit('finalized', { number: after.number, hash: bytesToHex(after.hash) });
  }

  async #publishAttestation(att: PovAttestationWire, header: PovHeaderInfo): Promise<void> {
    this.#remember(att);
    this.#c.log.debug({ slot: att.slot, hash: bytesToHex(att.blockHash), valid: att.valid }, 'pov attestation sent');
    await this.#count(att, header).catch((err: unknown) => this.#c.log.debug({ err }, 'own attestation not counted'));
    await this.#c.network.publish(povAttestationSpec, { attestation: att }).catch(() => {});
  }

  #remember(att: PovAttestationWire): void {
    const hex = bytesToHex(att.blockHash);
    if (!this.#attestations.has(hex) && this.#attestations.size >= MAX_TRACKED) {
      const oldest = this.#attestations.keys().next().value;
      if (oldest !== undefined) this.#attestations.delete(oldest);
    }
    const list = this.#attestations.get(hex) ?? [];
    if (list.some((a) => bytesToHex(a.signature) === bytesToHex(att.signature)) || list.length >= 64) return;
    list.push(att);
    this.#attestations.set(hex, list);
  }

  /** Rejections of a refused block: once this node holds enough, it submits invalid-block evidence (once). */
  async #maybeReportInvalid(hex: string): Promise<void> {
    const refused = this.#refused.get(hex);
    if (refused === undefined || this.#reported.has(hex) || this.#c.evidence === undefined) return;
    const rejections = (this.#attestations.get(hex) ?? []).filter((a) => !a.valid);
    const submitted = await Promise.resolve(
      this.#c.evidence.invalidBlock({
        slot: refused.slot,
        proposer: refused.proposer,
        blockHash: rejections[0]?.blockHash ?? new Uint8Array(),
        proposalSig: refused.sig,
        rejections,
      }),
    ).catch((err: unknown) => {
      this.#c.log.warn({ err }, 'invalid-block evidence not taken');
      return false;
    });
    // Checked again: two rejections may arrive while the sink reads the chain.
    if (!submitted || this.#reported.has(hex)) return;
    this.#reported.add(hex);
    this.#c.emit('evidence', { kind: 'invalid-block', proposer: refused.proposer, slot: refused.slot });
  }

  #penalize(peer: string, error: unknown): void {
    const code = isAicError(error) ? error.code : 'CHAIN_INVALID_BLOCK';
    this.#c.network.penalizePeer(peer, 'protocol-violation', code);
  }
}
