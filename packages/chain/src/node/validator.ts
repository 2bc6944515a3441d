/**
 * `PovValidator`: one PoV validator on the AIC network, under one start()/stop() lifecycle. Each slot it asks the
 * consensus code for its ticket and, when it won, builds a block from its tx pool, seals it and gossips it; blocks
 * from peers are imported with the seal check (block-intake.ts), attested when this node is in their committee,
 * and counted to finality; a node behind asks peers for blocks by range (sync.ts). Transactions its JSON-RPC takes
 * are gossiped in batches. Every bad message costs its relayer peer score; the service keeps serving.
 */
import { type AicNetwork, GOSSIP_TOPICS } from '@aic/network';
import { bytesToHex } from 'viem';
import { encodePovBlock, type PovHeaderInfo } from '../exec/block-types.ts';
import { BlockIntake, type IntakeEvents } from './block-intake.ts';
import { applyProposerFault, type PovFault } from './faults.ts';
import type { EvidenceSink, ValidatorChain, ValidatorConsensus } from './ports.ts';
import { ChainSync } from './sync.ts';
import { MAX_TXS_PER_BATCH, povAttestationSpec, povBlockSpec, povTxsSpec } from './wire.ts';

export interface PovValidatorLogger {
  info(o: object, msg: string): void;
  debug(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}

export interface PovValidatorInit {
  network: AicNetwork;
  chain: ValidatorChain;
  consensus: ValidatorConsensus;
  evidence?: EvidenceSink;
  log: PovValidatorLogger;
  /** Test-only misbehaviour of this node as a proposer (AIC_FAULT_POV_*). */
  fault?: PovFault;
  /** Transactions are gossiped at most this often, batched (default 100 ms). */
  txFlushMs?: number;
  now?: () => number;
}

export type PovValidatorEvents = IntakeEvents & {
  proposed: { number: bigint; hash: string; slot: bigint; txs: number };
};

export class PovValidator extends EventTarget {
  readonly #c: PovValidatorInit;
  readonly #now: () => number;
  readonly #intake: BlockIntake;
  readonly #sync: ChainSync;
  #timer: NodeJS.Timeout | undefined;
  #txTimer: NodeJS.Timeout | undefined;
  #txBuffer: Uint8Array[] = [];
  #unsubscribeTxs: (() => void) | undefined;
  #running = false;
  /** Serialises everything that touches the executor (imports, builds, head changes). */
  #queue: Promise<unknown> = Promise.resolve();
  #lastProposedSlot = -1n;

  constructor(init: PovValidatorInit) {
    super();
    this.#c = init;
    this.#now = init.now ?? Date.now;
    const emit = <K extends keyof PovValidatorEvents>(type: K, detail: PovValidatorEvents[K]) =>
      this.dispatchEvent(new CustomEvent(type, { detail }));
    this.#intake = new BlockIntake({
      ...init,
      serial: (fn) => this.#serial(fn),
      emit,
      requestSync: (peer) => void this.#sync.syncFrom(peer),
    });
    this.#sync = new ChainSync({
      network: init.network,
      chain: init.chain,
      log: init.log,
      importBlock: (block, from) => this.#intake.importBlock(block, from),
      addAttestation: (att, from) => this.#intake.onAttestation(att, from),
      attestationsFor: (hash) => this.#intake.attestationsFor(hash),
    });
  }

  /** Typed listener (CustomEvent detail). */
  on<K extends keyof PovValidatorEvents>(type: K, listener: (detail: PovValidatorEvents[K]) => void): void {
    this.addEventListener(type, (e) => listener((e as CustomEvent<PovValidatorEvents[K]>).detail));
  }

  get running(): boolean {
    return this.#running;
  }

  /** Routes the PoV topics, serves sync, catches up from connected peers, then starts the slot clock. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    const net = this.#c.network;
    net.routeTopic(povBlockSpec, (m, relayedBy) => void this.#intake.onBlockMessage(m.payload.block, relayedBy));
    net.routeTopic(
      povAttestationSpec,
      (m, relayedBy) => void this.#intake.onAttestation(m.payload.attestation, relayedBy),
    );
    net.routeTopic(povTxsSpec, (m) => void this.#onTxs(m.payload.txs));
    await this.#sync.start();
    this.#unsubscribeTxs = this.#c.chain.onLocalTransaction((raw) => this.#queueTx(raw));
    this.#txTimer = setInterval(() => void this.#flushTxs(), this.#c.txFlushMs ?? 100);
    this.#scheduleNextSlot();
    this.#c.log.info({ head: Number(this.#c.chain.head().number) }, 'pov validator started');
  }

  /** Stops the clock and the sync, and waits for the import or build in flight. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    clearTimeout(this.#timer);
    clearInterval(this.#txTimer);
    this.#unsubscribeTxs?.();
    await this.#sync.stop();
    await this.#queue.catch(() => {});
  }

  /** Catches up from one peer now (what a (re)joining node does on each new connection too). */
  syncFrom(peer: string): Promise<number> {
    return this.#sync.syncFrom(peer);
  }

  head(): PovHeaderInfo {
    return this.#c.chain.head();
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  #scheduleNextSlot(): void {
    if (!this.#running) return;
    const { consensus } = this.#c;
    const next = consensus.slotAt(this.#now()) + 1n;
    const delay = Math.max(0, consensus.slotStartMs(next) - this.#now());
    this.#timer = setTimeout(() => {
      void this.#serial(() => this.#onSlot(next))
        .catch((err: unknown) => this.#c.log.warn({ err, slot: Number(next) }, 'slot failed'))
        .finally(() => this.#scheduleNextSlot());
    }, delay);
  }

  async #onSlot(slot: bigint): Promise<void> {
    if (!this.#running || slot <= this.#lastProposedSlot) return;
    // A slot whose time has passed while we waited in the queue is skipped: a late block would be refused anyway.
    if (this.#c.consensus.slotAt(this.#now()) > slot) return;
    const parent = this.#c.chain.head();
    // A peer's block of this slot (or a later one) became the head while this slot waited in the queue: a block on
    // it would be refused, by this node first ("the slot is not after the parent", CHAIN_BAD_SEAL: seen once per
    // e2e run under load).
    if ((await this.#slotOf(parent)) >= slot) return;
    const ticket = await this.#c.consensus.ticket(slot, parent);
    if (ticket === undefined) return;
    this.#lastProposedSlot = slot;
    const timestampSec = BigInt(Math.floor(this.#c.consensus.slotStartMs(slot) / 1000));
    const ts = timestampSec > parent.timestampSec ? timestampSec : parent.timestampSec + 1n;
    const built = await this.#c.chain.build(parent, ts, ticket.extraData);
    const rebuild = () => this.#c.chain.build(parent, ts + 1n, ticket.extraData);
    const blocks = await applyProposerFault(this.#c.fault, built, this.#c.chain, ticket, rebuild);
    for (const block of blocks) {
      const header = this.#c.chain.decodeHeader(block);
      // Our own honest block is imported (executed and checked like any other) before anyone hears of it.
      if (blocks.length === 1 && this.#c.fault === undefined) await this.#intake.importHeld(block, undefined);
      await this.#c.network.publish(povBlockSpec, { block: encodePovBlock(block) });
      this.dispatchEvent(
        new CustomEvent('proposed', {
          detail: { number: header.number, hash: bytesToHex(header.hash), slot, txs: block.txs.length },
        }),
      );
    }
  }

  /** The slot of a block this node holds (genesis: before slot 0). */
  async #slotOf(header: PovHeaderInfo): Promise<bigint> {
    const block = header.number === 0n ? undefined : await this.#c.chain.block(header.hash);
    return block === undefined || block.seal.length === 0 ? -1n : this.#c.consensus.sealInfo(block, header).slot;
  }

  #queueTx(raw: Uint8Array): void {
    // Bounded: while no peer listens, the oldest unsent ones are dropped (they stay in this node's own pool).
    if (this.#txBuffer.length >= 8 * MAX_TXS_PER_BATCH) this.#txBuffer.shift();
    this.#txBuffer.push(raw);
    if (this.#txBuffer.length >= MAX_TXS_PER_BATCH) void this.#flushTxs();
  }

  async #flushTxs(): Promise<void> {
    if (this.#txBuffer.length === 0 || this.#c.network.topicPeers(GOSSIP_TOPICS.povTxs).length === 0) return;
    const batch = this.#txBuffer.splice(0, MAX_TXS_PER_BATCH);
    await this.#c.network
      .publish(povTxsSpec, { txs: batch })
      .catch((err: unknown) => this.#c.log.debug({ err }, 'tx gossip failed'));
  }

  async #onTxs(txs: Uint8Array[]): Promise<void> {
    const refused = await this.#c.chain.addTransactions(txs).catch(() => txs.length);
    if (refused > 0) this.#c.log.debug({ refused, of: txs.length }, 'gossiped transactions refused by the pool');
  }
}
