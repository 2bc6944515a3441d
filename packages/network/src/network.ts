import type { Libp2p, PeerId, Stream } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { TypedEventEmitter } from 'main-event';
import type { Address } from 'viem';
import type { AicNetworkComponents, AicNetworkInit } from './config.ts';
import type { CoordinateService } from './coordinates/coordinate-service.ts';
import type { VivaldiCoordinate } from './coordinates/vivaldi.ts';
import type { BootstrapDialer } from './discovery/bootstrap-dialer.ts';
import type { ConnectionKeeper, Connectivity } from './discovery/connection-keeper.ts';
import type { PeerExchange } from './discovery/peer-exchange.ts';
import { NetworkError } from './errors.ts';
import type { AicNetworkEvents } from './events.ts';
import type { GossipRouter, TopicRoute } from './gossip/gossip-router.ts';
import type { GossipTopic } from './gossip/topics.ts';
import { type AicLibp2pServices, createAicLibp2p } from './libp2p-node.ts';
import { type NetworkLogger, silentLogger } from './logger.ts';
import {
  createNetworkServices,
  createOffenceReporter,
  createPeerEventHandlers,
  type NetworkEmit,
  type ReportOffence,
} from './network-services.ts';
import {
  addressOfPeerIdString,
  collectPeerScores,
  connectedPeerIds,
  type NetworkPeer,
  type PeerScore,
  safeAddress,
  toDialTarget,
} from './peers.ts';
import { handleRawStream, openRawStream, type RawStreamHandler } from './raw-streams.ts';
import type { ProtocolDefinition } from './rpc/protocol.ts';
import type { RequestHandler, RpcService } from './rpc/rpc-service.ts';
import type { Offence } from './scoring/offences.ts';
import { PeerScoreBook } from './scoring/peer-score-book.ts';
import type { MessageSpec } from './wire/message-spec.ts';
import { type HoldingsAnnouncement, holdingsSpec } from './wire/messages/holdings.ts';
import { type JobAnnouncement, jobAnnouncementSpec } from './wire/messages/job-announcement.ts';
import { type ProviderOffer, providerOfferSpec } from './wire/messages/provider-offer.ts';
import { type ResultNotice, resultNoticeSpec } from './wire/messages/result-notice.ts';
import { createWireSigner } from './wire/signature.ts';
import { WireCodec } from './wire/wire-codec.ts';

export type { Connectivity } from './discovery/connection-keeper.ts';
export type { NetworkPeer, PeerScore } from './peers.ts';

/**
 * The AIC peer-to-peer node: libp2p (TCP + WebSockets, Noise, Yamux, Identify, Ping, Gossipsub), the signed CBOR
 * wire, the gossip topics, typed request/response protocols, peer scoring and Vivaldi coordinates, under one
 * start()/stop() lifecycle. Its services are built in network-services.ts; this class owns their lifecycle and the
 * public methods over them.
 */
export class AicNetwork extends TypedEventEmitter<AicNetworkEvents> {
  readonly peerId: PeerId;
  /** The Ethereum address of the same key. */
  readonly address: Address;
  readonly #libp2p: Libp2p<AicLibp2pServices>;
  readonly #log: NetworkLogger;
  readonly #scores: PeerScoreBook;
  readonly #codec: WireCodec;
  readonly #rpc: RpcService;
  readonly #gossip: GossipRouter;
  readonly #coordinates: CoordinateService;
  readonly #bootstrap: BootstrapDialer;
  readonly #peerExchange: PeerExchange | undefined;
  readonly #keeper: ConnectionKeeper | undefined;
  /** Scores an offence seen by any service (network-services.ts). */
  readonly #reportOffence: ReportOffence;
  readonly #onConnect: (event: CustomEvent<PeerId>) => void;
  readonly #onDisconnect: (event: CustomEvent<PeerId>) => void;
  readonly #stopController = new AbortController();
  readonly #externalSignal: AbortSignal | undefined;
  #state: 'new' | 'started' | 'stopped' = 'new';
  #stopping: Promise<void> | undefined;

  /** @internal use {@link createAicNetwork} */
  constructor(
    libp2p: Libp2p<AicLibp2pServices>,
    parts: { codec: WireCodec; scores: PeerScoreBook; init: AicNetworkInit; logger: NetworkLogger },
  ) {
    super();
    const { init, logger } = parts;
    this.#libp2p = libp2p;
    this.peerId = libp2p.peerId;
    this.address = parts.codec.address;
    this.#log = logger.child({ module: 'network' });
    this.#scores = parts.scores;
    this.#codec = parts.codec;
    this.#externalSignal = init.signal;
    const emit: NetworkEmit = (type, detail) => this.#emit(type, detail);
    this.#reportOffence = createOffenceReporter({ libp2p, scores: this.#scores, log: this.#log, emit });
    const services = createNetworkServices({
      libp2p,
      codec: this.#codec,
      scores: this.#scores,
      init,
      logger,
      signal: this.#stopController.signal,
      reportOffence: this.#reportOffence,
      emit,
    });
    this.#rpc = services.rpc;
    this.#gossip = services.gossip;
    this.#coordinates = services.coordinates;
    this.#bootstrap = services.bootstrap;
    this.#peerExchange = services.peerExchange;
    this.#keeper = services.keeper;
    const peerEvents = createPeerEventHandlers({ libp2p, scores: this.#scores, emit, ...services });
    this.#onConnect = peerEvents.onConnect;
    this.#onDisconnect = peerEvents.onDisconnect;
  }

  /** Starts listening, subscribes to the topics, dials the bootstrap list. Idempotent. */
  async start(): Promise<void> {
    if (this.#state !== 'new') return;
    this.#state = 'started';
    this.#libp2p.addEventListener('peer:connect', this.#onConnect);
    this.#libp2p.addEventListener('peer:disconnect', this.#onDisconnect);
    await this.#libp2p.start();
    this.#gossip.start();
    await this.#coordinates.start();
    await this.#peerExchange?.start();
    this.#keeper?.start();
    this.#bootstrap.start();
    this.#externalSignal?.addEventListener('abort', this.#onExternalAbort, { once: true });
    if (this.#externalSignal?.aborted) {
      await this.stop();
      return;
    }
    this.#log.info(
      { peerId: this.peerId.toString(), address: this.address, addrs: this.multiaddrs() },
      'network started',
    );
  }

  /**
   * Stops everything; afterwards nothing of this network keeps the process alive. Idempotent: a second call (or the
   * AbortSignal firing) returns the same in-flight stop.
   */
  stop(): Promise<void> {
    if (this.#stopping !== undefined) return this.#stopping;
    if (this.#state === 'new') {
      this.#state = 'stopped';
      return Promise.resolve();
    }
    this.#stopping = this.#stopEverything();
    return this.#stopping;
  }

  async #stopEverything(): Promise<void> {
    this.#state = 'stopped';
    this.#externalSignal?.removeEventListener('abort', this.#onExternalAbort);
    this.#stopController.abort();
    this.#bootstrap.stop();
    this.#keeper?.stop();
    await this.#coordinates.stop();
    this.#gossip.stop();
    await this.#libp2p.stop();
    this.#libp2p.removeEventListener('peer:connect', this.#onConnect);
    this.#libp2p.removeEventListener('peer:disconnect', this.#onDisconnect);
    this.#log.info({ peerId: this.peerId.toString() }, 'network stopped');
  }

  /**
   * The underlying libp2p node, for what this package does not wrap (e.g. Helia, bulk streams). Prefer the typed
   * methods: streams opened here bypass the wire checks and the per-peer stream bound.
   */
  get libp2p(): Libp2p<AicLibp2pServices> {
    return this.#libp2p;
  }

  /** Listening multiaddrs, each ending in /p2p/<peerId> (give them to other nodes as bootstrap). */
  multiaddrs(): string[] {
    return this.#libp2p.getMultiaddrs().map((ma) => ma.toString());
  }

  /** Dials a peer (multiaddr string/object or PeerId already in the peer store). */
  async connect(target: string | Multiaddr | PeerId): Promise<void> {
    this.#assertStarted();
    await this.#libp2p.dial(toDialTarget(target), {
      signal: AbortSignal.any([this.#stopController.signal, AbortSignal.timeout(10_000)]),
    });
  }

  /**
   * Publishes a provider offer on the offers topic (with this node's coordinate, PeerId and listen addresses, so
   * that nodes that hear it through relays can reach the provider); resolves to the number of peers it was sent to.
   */
  async publishOffer(offer: ProviderOffer): Promise<number> {
    this.#assertStarted();
    const whereabouts = this.#whereabouts(offer.coordinate);
    return await this.#gossip.publish(providerOfferSpec, {
      ...offer,
      ...whereabouts,
      peer: offer.peer ?? whereabouts.peer,
    });
  }

  /** Publishes a job announcement; resolves to the number of peers it was sent to. */
  async publishJobAnnouncement(announcement: JobAnnouncement): Promise<number> {
    this.#assertStarted();
    return await this.#gossip.publish(jobAnnouncementSpec, announcement);
  }

  /**
   * Publishes this node's holdings (its full current set; with its coordinate, PeerId and listen addresses so that
   * fetchers can rank and dial it); resolves to the number of peers it was sent to.
   */
  async publishHoldings(announcement: Omit<HoldingsAnnouncement, 'peer'>): Promise<number> {
    this.#assertStarted();
    return await this.#gossip.publish(holdingsSpec, { ...announcement, ...this.#whereabouts(announcement.coordinate) });
  }

  /** What a gossiped offer or holding says about where its sender is: coordinate (a copy), PeerId, addresses. */
  #whereabouts(coordinate: VivaldiCoordinate = this.#coordinates.coordinate) {
    return {
      coordinate: { ...coordinate, vec: [...coordinate.vec] },
      peer: { id: this.peerId.toString(), addrs: this.multiaddrs().slice(0, 8) },
    };
  }

  /** Publishes a result notice; resolves to the number of peers it was sent to. */
  async publishResultNotice(notice: ResultNotice): Promise<number> {
    this.#assertStarted();
    return await this.#gossip.publish(resultNoticeSpec, notice);
  }

  /**
   * Routes a topic whose messages another package defines (its `spec.type` must be one of GOSSIP_TOPICS, e.g. the
   * PoV chain's): inbound messages are opened and checked by the wire codec like the built-in topics (a bad one
   * penalises the peer and is not forwarded), verified ones go to `deliver`. Before start it subscribes on start;
   * after start, at once.
   */
  routeTopic<T>(spec: MessageSpec<T> & { type: GossipTopic }, deliver: TopicRoute<T>['deliver']): void {
    this.#gossip.route({ spec, deliver });
  }

  /** Seals and publishes a message of a topic routed with {@link routeTopic}; resolves to the recipients' count. */
  async publish<T>(spec: MessageSpec<T> & { type: GossipTopic }, value: T): Promise<number> {
    this.#assertStarted();
    return await this.#gossip.publish(spec, value);
  }

  /**
   * Serves a request/response protocol. The handler gets the validated, typed request and the caller's identity.
   * @example net.handle(jobTicketProtocol, async (ticket, { sender }) => ({ accepted: true }))
   */
  handle<Req, Res>(protocol: ProtocolDefinition<Req, Res>, handler: RequestHandler<Req, Res>): Promise<void> {
    return this.#rpc.handle(protocol, handler);
  }

  /** Stops serving a protocol. */
  unhandle(protocol: ProtocolDefinition<unknown, unknown> | string): Promise<void> {
    return this.#rpc.unhandle(protocol);
  }

  /**
   * Sends a typed request and resolves to the peer's typed response.
   * @example const answer = await net.request(peerId, jobTicketProtocol, { jobId, ticket, signature })
   */
  async request<Req, Res>(
    peer: PeerId | string | Multiaddr,
    protocol: ProtocolDefinition<Req, Res>,
    request: Req,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<Res> {
    this.#assertStarted();
    return await this.#rpc.request(toDialTarget(peer), protocol, request, options);
  }

  /**
   * Serves a raw stream protocol, for bulk bytes the receiver checks against a commitment it already holds (dataset
   * chunks, checkpoints): signing megabytes in an envelope would only cost CPU. The handler learns the caller's
   * Noise-authenticated identity (its address, from the PeerId's secp256k1 key).
   */
  handleStream(protocol: string, handler: RawStreamHandler, options: { maxInboundStreams?: number } = {}) {
    return handleRawStream(this.#libp2p, protocol, handler, options);
  }

  /** Opens a raw stream of `protocol` to a peer (dialing it if needed). */
  async openStream(
    peer: PeerId | string | Multiaddr,
    protocol: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<Stream> {
    this.#assertStarted();
    return await openRawStream(this.#libp2p, peer, protocol, options);
  }

  /**
   * Connection health: connected peers against the target and the minimum below which the node is underconnected
   * (a `connectivity` event fires on each change of `underconnected`). Without connection keeping (`targetPeers: 0`)
   * the target and minimum are 0.
   */
  connectivity(): Connectivity {
    if (this.#keeper !== undefined) return this.#keeper.connectivity();
    const count = connectedPeerIds(this.#libp2p).size;
    return { connectedPeers: count, targetPeers: 0, minPeers: 0, underconnected: false, knownPeers: 0 };
  }

  /** Connected peers with their Ethereum addresses. */
  getPeers(): NetworkPeer[] {
    const byPeer = new Map<string, NetworkPeer>();
    for (const c of this.#libp2p.getConnections()) {
      const peerId = c.remotePeer.toString();
      const peer = byPeer.get(peerId) ?? { peerId, address: safeAddress(c.remotePeer), remoteAddrs: [] };
      peer.remoteAddrs.push(c.remoteAddr.toString());
      byPeer.set(peerId, peer);
    }
    return [...byPeer.values()];
  }

  /** Peers known to be subscribed to a gossip topic. */
  topicPeers(topic: GossipTopic): string[] {
    return this.#libp2p.services.pubsub.getSubscribers(topic).map((p) => p.toString());
  }

  /** Peers in this node's gossipsub mesh for a topic (formed at heartbeats after peers subscribe). */
  meshPeers(topic: GossipTopic): string[] {
    const pubsub = this.#libp2p.services.pubsub as unknown as { getMeshPeers(topic: string): string[] };
    return pubsub.getMeshPeers(topic);
  }

  /**
   * Estimated RTT in ms from Vivaldi coordinates to a peer (PeerId, or its string) or to any node by Ethereum
   * address (coordinates arrive in providers' offers); undefined until a coordinate is known.
   */
  estimateRttMs(node: PeerId | string): number | undefined {
    const key = node.toString();
    const direct = this.#coordinates.estimateRttMs(key);
    if (direct !== undefined || key.startsWith('0x')) return direct;
    const address = typeof node === 'string' ? addressOfPeerIdString(node) : safeAddress(node);
    return address === undefined ? undefined : this.#coordinates.estimateRttMs(address);
  }

  /** This node's Vivaldi coordinate. */
  coordinate(): VivaldiCoordinate {
    return this.#coordinates.coordinate;
  }

  /** Samples peers' RTTs and coordinates now instead of waiting for the next period. */
  refreshCoordinates(): Promise<void> {
    return this.#coordinates.sampleRound();
  }

  /** Scores of every connected or penalised peer. */
  peerScores(): PeerScore[] {
    return collectPeerScores(this.#libp2p, this.#scores);
  }

  /** True while `peer` is banned (disconnected and refused). */
  isBanned(peer: PeerId | string): boolean {
    return this.#scores.isBanned(peer.toString(), Date.now());
  }

  /**
   * Lowers a peer's app-level score for misbehaviour seen above the wire (e.g. a data holder that served a chunk
   * failing authentication); enough offences ban it, as for wire offences. `code` names what happened (logged,
   * and carried in the `peer:penalized` event).
   * @example net.penalizePeer(holderPeerId, 'protocol-violation', 'DATA_DECRYPT_FAILED')
   */
  penalizePeer(peer: PeerId | string, offence: Offence, code: string): void {
    this.#reportOffence(peer.toString(), offence, code);
  }

  #emit<K extends keyof AicNetworkEvents>(type: K, detail: AicNetworkEvents[K]['detail'] | undefined): void {
    if (detail !== undefined) this.safeDispatchEvent(type, { detail });
  }

  readonly #onExternalAbort = () => {
    void this.stop();
  };

  #assertStarted(): void {
    if (this.#state !== 'started') throw new NetworkError('NETWORK_NOT_STARTED', 'the network is not started');
  }
}

/**
 * Creates (but does not start) an AIC network node for one secp256k1 key.
 * @example
 * const net = await createAicNetwork({ privateKey, bootstrap: [addr] }, { logger });
 * await net.start();
 * net.addEventListener('offer', (e) => console.log(e.detail.sender, e.detail.payload.priceWeiPerHour));
 */
export async function createAicNetwork(
  init: AicNetworkInit,
  components: AicNetworkComponents = {},
): Promise<AicNetwork> {
  const codec = new WireCodec({
    signer: createWireSigner(init.privateKey),
    ...(init.replay ? { replay: init.replay } : {}),
  });
  const scores = new PeerScoreBook(init.scoring);
  const libp2p = await createAicLibp2p(init, scores);
  return new AicNetwork(libp2p, { codec, scores, init, logger: components.logger ?? silentLogger });
}
