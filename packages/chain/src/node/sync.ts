/**
 * Sync by range over `/aic/pov/sync/1.0.0`: a node that joins late, restarts from its store, or hears a block whose
 * parent it lacks asks a peer for canonical blocks from its own head on, imports each (the same checks as gossip)
 * and counts the attestations that come with them. When the peer's chain forks below our head, it steps back
 * towards our finalized block (never below it: a finalized block is never reverted). It serves the same requests
 * from its own canonical chain.
 */
import type { AicNetwork } from '@aic/network';
import type { PovBlock } from '../exec/block-types.ts';
import { decodePovBlock, encodePovBlock } from '../exec/block-types.ts';
import type { ValidatorChain } from './ports.ts';
import type { PovValidatorLogger } from './validator.ts';
import { MAX_SYNC_BLOCKS, type PovAttestationWire, povSyncProtocol } from './wire.ts';

export interface ChainSyncInit {
  network: AicNetwork;
  chain: ValidatorChain;
  log: PovValidatorLogger;
  importBlock(block: PovBlock, from: string): Promise<boolean>;
  addAttestation(att: PovAttestationWire, from: string): Promise<void>;
  attestationsFor(hash: Uint8Array): PovAttestationWire[];
}

/** Response bytes budget (the protocol allows 8 MiB; leave room for the envelope). */
const RESPONSE_BUDGET_BYTES = 7 * 1024 * 1024;

export class ChainSync {
  readonly #c: ChainSyncInit;
  /** One sync per peer at a time; a request while one runs joins it. */
  readonly #inFlight = new Map<string, Promise<number>>();
  #running = false;
  readonly #onConnect = (e: CustomEvent<{ peerId: string }>) => void this.syncFrom(e.detail.peerId);

  constructor(init: ChainSyncInit) {
    this.#c = init;
  }

  async start(): Promise<void> {
    this.#running = true;
    await this.#c.network.handle(povSyncProtocol, async ({ from, count }) => this.#serve(from, count));
    this.#c.network.addEventListener('peer:connect', this.#onConnect as EventListener);
    await Promise.all(this.#c.network.getPeers().map((p) => this.syncFrom(p.peerId)));
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#c.network.removeEventListener('peer:connect', this.#onConnect as EventListener);
    await this.#c.network.unhandle(povSyncProtocol).catch(() => {});
    await Promise.all([...this.#inFlight.values()].map((p) => p.catch(() => 0)));
  }

  /** Catches up from `peer`; resolves to the number of blocks imported (0 when it had nothing new, or failed). */
  syncFrom(peer: string): Promise<number> {
    const running = this.#inFlight.get(peer);
    if (running !== undefined) return running;
    const run = this.#syncLoop(peer)
      .catch((err: unknown) => {
        this.#c.log.debug({ err, peer }, 'pov sync failed');
        return 0;
      })
      .finally(() => this.#inFlight.delete(peer));
    this.#inFlight.set(peer, run);
    return run;
  }

  async #syncLoop(peer: string): Promise<number> {
    const { chain } = this.#c;
    let from = chain.head().number + 1n;
    let imported = 0;
    while (this.#running) {
      const res = await this.#c.network.request(peer, povSyncProtocol, { from: Number(from), count: MAX_SYNC_BLOCKS });
      if (res.blocks.length === 0) return imported;
      let progressed = false;
      for (const item of res.blocks) {
        const block = decodePovBlock(item.block);
        const ok = await this.#c.importBlock(block, peer);
        if (!ok) break;
        progressed = true;
        imported += 1;
        for (const att of item.attestations) await this.#c.addAttestation(att, peer);
      }
      if (!progressed) {
        // The peer's block at `from` does not extend what we hold: its chain forks lower. Step back, but never
        // below our finalized block.
        const floor = chain.finalized().number + 1n;
        if (from <= floor) return imported;
        from = from - BigInt(MAX_SYNC_BLOCKS) > floor ? from - BigInt(MAX_SYNC_BLOCKS) : floor;
        continue;
      }
      from += BigInt(res.blocks.length);
      if (BigInt(res.head) < from) return imported;
    }
    return imported;
  }

  async #serve(from: number, count: number) {
    const { chain } = this.#c;
    const head = chain.head().number;
    const blocks: { block: Uint8Array; attestations: PovAttestationWire[] }[] = [];
    let bytes = 0;
    for (let n = BigInt(from); n <= head && blocks.length < count; n++) {
      const block = await chain.canonicalBlock(n);
      if (block === undefined) break;
      const encoded = encodePovBlock(block);
      bytes += encoded.length + 200;
      if (bytes > RESPONSE_BUDGET_BYTES && blocks.length > 0) break;
      const header = chain.decodeHeader(block);
      blocks.push({ block: encoded, attestations: this.#c.attestationsFor(header.hash) });
    }
    return { head: Number(head), blocks };
  }
}
