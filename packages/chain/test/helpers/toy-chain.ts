/**
 * An in-memory chain and consensus behind the validator service's ports, for testing the service's own work (slot
 * clock, gossip, sync, attestations, fork choice, evidence) apart from EVM execution and the VRF: headers are real
 * Ethereum-ordered RLP lists, "execution" is a hash chain over the transactions (so a wrong state root is caught),
 * the ticket is keccak(slot ‖ proposer) under a threshold, seals are secp256k1 signatures over the header hash.
 */

import { RLP } from '@ethereumjs/rlp';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { type Address, bytesToHex, concatBytes, hexToBytes, numberToBytes } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { ChainError } from '../../src/errors.ts';
import type { PovBlock, PovHeaderInfo, SealValidator } from '../../src/exec/block-types.ts';
import { povBlockHash } from '../../src/exec/block-types.ts';
import type { ValidatorChain, ValidatorConsensus, WonTicket } from '../../src/node/ports.ts';
import type { PovAttestationWire } from '../../src/node/wire.ts';

const toBig = (b: Uint8Array) => (b.length === 0 ? 0n : BigInt(bytesToHex(b)));
const big = (n: bigint) => (n === 0n ? new Uint8Array() : numberToBytes(n));
const hexKey = (b: Uint8Array) => bytesToHex(b);

function decodeHeader(bytes: Uint8Array): PovHeaderInfo {
  const f = RLP.decode(bytes) as Uint8Array[];
  if (!Array.isArray(f) || f.length < 13) throw new ChainError('CHAIN_INVALID_BLOCK', 'not a header');
  return {
    hash: keccak_256(bytes),
    parentHash: f[0]!,
    coinbase: f[2]!,
    stateRoot: f[3]!,
    number: toBig(f[8]!),
    gasLimit: toBig(f[9]!),
    gasUsed: toBig(f[10]!),
    timestampSec: toBig(f[11]!),
    extraData: f[12]!,
  };
}

function header(
  parent: PovHeaderInfo | undefined,
  stateRoot: Uint8Array,
  ts: bigint,
  extra: Uint8Array,
  coinbase: Uint8Array,
) {
  const z32 = new Uint8Array(32);
  return RLP.encode([
    parent?.hash ?? z32,
    z32,
    coinbase,
    stateRoot,
    z32,
    z32,
    new Uint8Array(256),
    new Uint8Array(),
    big(parent === undefined ? 0n : parent.number + 1n),
    big(30_000_000n),
    new Uint8Array(),
    big(ts),
    extra,
  ]);
}

const execute = (parentRoot: Uint8Array, txs: Uint8Array[]) => keccak_256(concatBytes([parentRoot, ...txs]));

export const TOY_GENESIS_HEADER = header(undefined, new Uint8Array(32), 0n, new Uint8Array(), new Uint8Array(20));

export class ToyChain implements ValidatorChain {
  readonly blocks = new Map<string, { block: PovBlock; header: PovHeaderInfo }>();
  readonly pool: Uint8Array[] = [];
  readonly #listeners = new Set<(raw: Uint8Array) => void>();
  #head: PovHeaderInfo;
  #finalized: PovHeaderInfo;

  constructor(readonly coinbase: Uint8Array) {
    const g = {
      block: { header: TOY_GENESIS_HEADER, txs: [], seal: new Uint8Array() },
      header: decodeHeader(TOY_GENESIS_HEADER),
    };
    this.blocks.set(hexKey(g.header.hash), g);
    this.#head = g.header;
    this.#finalized = g.header;
  }
  head = () => this.#head;
  finalized = () => this.#finalized;
  header = async (hash: Uint8Array) => this.blocks.get(hexKey(hash))?.header;
  block = async (hash: Uint8Array) => this.blocks.get(hexKey(hash))?.block;
  async canonicalBlock(n: bigint) {
    let cur: PovHeaderInfo | undefined = this.#head;
    while (cur !== undefined && cur.number > n) cur = this.blocks.get(hexKey(cur.parentHash))?.header;
    return cur?.number === n ? this.blocks.get(hexKey(cur.hash))?.block : undefined;
  }
  async build(parent: PovHeaderInfo, ts: bigint, extra: Uint8Array): Promise<PovBlock> {
    const txs = this.pool.splice(0, 100);
    return {
      header: header(parent, execute(parent.stateRoot, txs), ts, extra, this.coinbase),
      txs,
      seal: new Uint8Array(),
    };
  }
  decodeHeader = (block: PovBlock) => decodeHeader(block.header);
  async import(block: PovBlock, validateSeal: SealValidator) {
    const h = decodeHeader(block.header);
    if (this.blocks.has(hexKey(h.hash))) return { header: h, isNew: false };
    const parent = this.blocks.get(hexKey(h.parentHash))?.header;
    if (parent === undefined) throw new ChainError('CHAIN_UNKNOWN_PARENT', 'unknown parent');
    await validateSeal({ block, header: h, parent });
    if (hexKey(execute(parent.stateRoot, block.txs)) !== hexKey(h.stateRoot))
      throw new ChainError('CHAIN_BAD_STATE_ROOT', 'state root differs');
    this.blocks.set(hexKey(h.hash), { block, header: h });
    const inBlock = new Set(block.txs.map(hexKey));
    for (let i = this.pool.length - 1; i >= 0; i--) if (inBlock.has(hexKey(this.pool[i]!))) this.pool.splice(i, 1);
    return { header: h, isNew: true };
  }
  async setHead(hash: Uint8Array) {
    this.#head = this.blocks.get(hexKey(hash))!.header;
  }
  async setFinalized(hash: Uint8Array) {
    const h = this.blocks.get(hexKey(hash))!.header;
    if (h.number > this.#finalized.number) this.#finalized = h;
  }
  async addTransactions(raw: Uint8Array[]) {
    const known = new Set(this.pool.map(hexKey));
    for (const tx of raw) if (!known.has(hexKey(tx))) this.pool.push(tx);
    return 0;
  }
  /** What the node's JSON-RPC would do with eth_sendRawTransaction. */
  submit(raw: Uint8Array) {
    this.pool.push(raw);
    for (const l of this.#listeners) l(raw);
  }
  onLocalTransaction(listener: (raw: Uint8Array) => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** Seal: RLP([proposer address, slot, signature over keccak(header hash ‖ slot)]). */
export class ToyConsensus implements ValidatorConsensus {
  readonly address: Address;
  readonly #finalVotes = new Map<string, Set<string>>();
  constructor(
    readonly key: `0x${string}`,
    readonly validators: Address[],
    readonly slotMs: number,
    readonly genesisMs: number,
    /** Chance per slot that a given validator wins (expected proposers per slot = n × p). */
    readonly winChance: number,
  ) {
    this.address = privateKeyToAddress(key);
  }
  slotAt = (now: number) => BigInt(Math.floor((now - this.genesisMs) / this.slotMs));
  slotStartMs = (slot: bigint) => this.genesisMs + Number(slot) * this.slotMs;
  #wins(slot: bigint, who: Address) {
    const draw = toBig(keccak_256(concatBytes([big(slot + 1n), hexToBytes(who)])));
    return draw < BigInt(Math.floor(this.winChance * 1e6)) * (2n ** 256n / 1_000_000n);
  }
  #sign(digest: Uint8Array) {
    return secp256k1.sign(digest, hexToBytes(this.key), { prehash: false, format: 'recovered' });
  }
  #recover(digest: Uint8Array, sig: Uint8Array): Address {
    const pub = secp256k1.recoverPublicKey(sig, digest, { prehash: false });
    const uncompressed = secp256k1.Point.fromBytes(pub).toBytes(false);
    return `0x${bytesToHex(keccak_256(uncompressed.slice(1)).slice(12)).slice(2)}` as Address;
  }
  async ticket(slot: bigint, _parent: PovHeaderInfo): Promise<WonTicket | undefined> {
    if (!this.#wins(slot, this.address)) return undefined;
    return {
      slot,
      extraData: big(slot),
      seal: (h) =>
        RLP.encode([hexToBytes(this.address), big(slot), this.#sign(keccak_256(concatBytes([h.hash, big(slot)])))]),
    };
  }
  sealInfo(block: PovBlock, h: PovHeaderInfo) {
    const f = RLP.decode(block.seal) as Uint8Array[];
    if (!Array.isArray(f) || f.length !== 3) throw new ChainError('CHAIN_BAD_SEAL', 'seal shape');
    void h;
    return { proposer: bytesToHex(f[0]!) as Address, slot: toBig(f[1]!), proposalSig: f[2]! };
  }
  validateSeal: SealValidator = ({ block, header: h, parent }) => {
    const { proposer, slot, proposalSig } = this.sealInfo(block, h);
    if (toBig(h.extraData) !== slot || h.number !== parent.number + 1n) throw new ChainError('CHAIN_BAD_SEAL', 'slot');
    if (!this.#wins(slot, proposer)) throw new ChainError('CHAIN_BAD_SEAL', 'ticket does not win');
    let signer: Address;
    try {
      signer = this.#recover(keccak_256(concatBytes([h.hash, big(slot)])), proposalSig);
    } catch (cause) {
      throw new ChainError('CHAIN_BAD_SEAL', 'bad signature', { cause });
    }
    if (signer.toLowerCase() !== proposer.toLowerCase()) throw new ChainError('CHAIN_BAD_SEAL', 'signer');
  };
  async inCommittee(_slot: bigint, _h: PovHeaderInfo, _b: PovBlock) {
    return this.validators.some((v) => v.toLowerCase() === this.address.toLowerCase());
  }
  attest(slot: bigint, blockHash: Uint8Array, valid: boolean): PovAttestationWire {
    const digest = keccak_256(concatBytes([blockHash, big(slot), new Uint8Array([valid ? 1 : 0])]));
    return { slot: Number(slot), blockHash: new Uint8Array(blockHash), valid, signature: this.#sign(digest) };
  }
  async addAttestation(att: PovAttestationWire, h: PovHeaderInfo) {
    const digest = keccak_256(concatBytes([att.blockHash, big(BigInt(att.slot)), new Uint8Array([att.valid ? 1 : 0])]));
    const who = this.#recover(digest, att.signature).toLowerCase();
    if (!this.validators.some((v) => v.toLowerCase() === who))
      throw new ChainError('CHAIN_BAD_SEAL', 'not a validator');
    const votes = this.#finalVotes.get(hexKey(h.hash)) ?? new Set<string>();
    votes.add(who);
    this.#finalVotes.set(hexKey(h.hash), votes);
    const committee = this.validators.length;
    return votes.size * 3 >= committee * 2 ? { finalized: h.hash } : {};
  }
  prefer = (c: PovHeaderInfo, h: PovHeaderInfo) =>
    c.number > h.number || (c.number === h.number && hexKey(c.hash) < hexKey(h.hash));
  /** The hash a block is known by. */
  static hashOf = (b: PovBlock) => povBlockHash(b);
}
