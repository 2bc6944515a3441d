import type { Libp2p, PeerId } from '@libp2p/interface';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import type { NetworkLogger } from '../logger.ts';

/** One bootstrap dial's limit: as libp2p's (CONNECTION_MANAGER_SETTINGS), handshakes are slow on a busy machine. */
const DIAL_TIMEOUT_MS = 20_000;

export interface BootstrapDialerInit {
  /** Multiaddrs that end in /p2p/<peerId>. */
  list: readonly string[];
  /** First retry delay; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * Dials the bootstrap list on start and keeps those connections up: a failed dial or a lost connection is retried
 * with exponential backoff until stop. All timers are unref'd and cleared on stop.
 */
export class BootstrapDialer {
  readonly #libp2p: Libp2p;
  readonly #logger: NetworkLogger;
  readonly #targets: Array<{ addr: Multiaddr; peerId: string | undefined }>;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #controller = new AbortController();

  constructor(libp2p: Libp2p, logger: NetworkLogger, init: BootstrapDialerInit) {
    this.#libp2p = libp2p;
    this.#logger = logger;
    const self = libp2p.peerId.toString();
    this.#targets = init.list
      .map((s) => {
        const addr = multiaddr(s);
        return { addr, peerId: addr.getComponents().findLast((c) => c.name === 'p2p')?.value };
      })
      .filter((t) => t.peerId !== self);
    this.#retryMs = init.retryMs ?? 250;
    this.#maxRetryMs = init.maxRetryMs ?? 10_000;
  }

  start(): void {
    this.#controller = new AbortController();
    for (const target of this.#targets) void this.#dial(target, this.#retryMs);
  }

  stop(): void {
    this.#controller.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Called on every peer disconnect: redials it if it is a bootstrap peer. */
  onDisconnect(peer: PeerId): void {
    const target = this.#targets.find((t) => t.peerId === peer.toString());
    if (target !== undefined && !this.#controller.signal.aborted) this.#schedule(target, this.#retryMs);
  }

  async #dial(target: { addr: Multiaddr; peerId: string | undefined }, delayMs: number): Promise<void> {
    if (this.#controller.signal.aborted) return;
    try {
      await this.#libp2p.dial(target.addr, {
        signal: AbortSignal.any([this.#controller.signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)]),
      });
      this.#logger.debug({ addr: target.addr.toString() }, 'connected to bootstrap peer');
    } catch (error) {
      if (this.#controller.signal.aborted) return;
      this.#logger.debug({ addr: target.addr.toString(), err: (error as Error).message }, 'bootstrap dial failed');
      this.#schedule(target, Math.min(delayMs * 2, this.#maxRetryMs));
    }
  }

  #schedule(target: { addr: Multiaddr; peerId: string | undefined }, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#dial(target, delayMs);
    }, delayMs);
    timer.unref();
    this.#timers.add(timer);
  }
}
