import { DEFAULT_PRESET } from '@aic/core/params';
import type { PeerId } from '@libp2p/interface';
import type { NetworkLogger } from '../logger.ts';
import { coordinatesProtocol } from '../rpc/protocols/coordinates.ts';
import type { RpcService } from '../rpc/rpc-service.ts';
import { estimateRttMs, originCoordinate, updateCoordinate, type VivaldiCoordinate } from './vivaldi.ts';

export interface CoordinateServiceComponents {
  rpc: RpcService;
  ping(peer: PeerId, signal: AbortSignal): Promise<number>;
  connectedPeers(): PeerId[];
  logger: NetworkLogger;
  signal: AbortSignal;
}

export interface CoordinateServiceInit {
  /** How often to sample peers. Default 10 s. */
  intervalMs?: number;
  /**
   * Peers sampled per round (random subset). Default 3: each sample is a ping and a signed request/response (four
   * signature operations), which at 8 per node every 10 s was most of a 100-node machine's idle CPU.
   */
  peersPerRound?: number;
}

/**
 * Keeps this node's Vivaldi coordinate: each round it pings a few connected peers (libp2p ping gives the RTT),
 * asks each for its coordinate over /aic/coordinates, and feeds the pair to the pure Vivaldi update.
 */
export class CoordinateService {
  readonly #c: CoordinateServiceComponents;
  readonly #intervalMs: number;
  readonly #perRound: number;
  readonly #peerCoordinates = new Map<string, VivaldiCoordinate>();
  readonly #advertised = new Map<string, VivaldiCoordinate>();
  #local: VivaldiCoordinate = originCoordinate();
  #timer: ReturnType<typeof setInterval> | undefined;
  #round: Promise<void> | undefined;

  constructor(components: CoordinateServiceComponents, init: CoordinateServiceInit = {}) {
    this.#c = components;
    this.#intervalMs = init.intervalMs ?? DEFAULT_PRESET.node.coordinatesIntervalMs;
    this.#perRound = init.peersPerRound ?? 3;
  }

  async start(): Promise<void> {
    await this.#c.rpc.handle(coordinatesProtocol, () => ({ ...this.#local, vec: [...this.#local.vec] }));
    this.#timer = setInterval(() => void this.sampleRound(), this.#intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#round;
  }

  /** This node's coordinate. */
  get coordinate(): VivaldiCoordinate {
    return this.#local;
  }

  /** Estimated RTT in ms to a node (PeerId string or Ethereum address), or undefined before its coordinate is known. */
  estimateRttMs(node: string): number | undefined {
    const remote = this.coordinateOf(node);
    return remote === undefined ? undefined : estimateRttMs(this.#local, remote);
  }

  /** The last coordinate known for a node (PeerId string or Ethereum address). */
  coordinateOf(node: string): VivaldiCoordinate | undefined {
    return this.#peerCoordinates.get(node) ?? this.#advertised.get(node.toLowerCase());
  }

  /** Records a coordinate a node advertised about itself (e.g. in a signed offer); bounded, oldest dropped first. */
  rememberAdvertised(address: string, coordinate: VivaldiCoordinate): void {
    const key = address.toLowerCase();
    this.#advertised.delete(key);
    if (this.#advertised.size >= 10_000) this.#advertised.delete(this.#advertised.keys().next().value ?? '');
    this.#advertised.set(key, coordinate);
  }

  /** Runs one sampling round now (also run by the timer); concurrent calls share the round. */
  sampleRound(): Promise<void> {
    this.#round ??= this.#sampleAll().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  async #sampleAll(): Promise<void> {
    const peers = shuffle(this.#c.connectedPeers()).slice(0, this.#perRound);
    await Promise.all(peers.map((peer) => this.#sample(peer)));
  }

  async #sample(peer: PeerId): Promise<void> {
    if (this.#c.signal.aborted) return;
    try {
      const signal = AbortSignal.any([this.#c.signal, AbortSignal.timeout(coordinatesProtocol.timeoutMs)]);
      const rttMs = await this.#c.ping(peer, signal);
      const remote = await this.#c.rpc.request(peer, coordinatesProtocol, {}, { signal });
      this.#peerCoordinates.set(peer.toString(), remote);
      this.#local = updateCoordinate(this.#local, remote, Math.max(rttMs, 0.05), Math.random);
    } catch (error) {
      this.#c.logger.debug({ peer: peer.toString(), err: (error as Error).message }, 'coordinate sample failed');
    }
  }
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
