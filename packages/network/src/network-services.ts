/**
 * The services an AicNetwork runs over its libp2p node, built in one place and in dependency order: typed
 * request/response (RpcService), the gossip router with the AIC topics, Vivaldi coordinates, discovery (bootstrap,
 * peer exchange, connection keeping); how an offence seen by any of them lowers the peer's score (a ban hangs up),
 * and what a peer's connect and disconnect tell them (a banned peer is hung up on). `network.ts` keeps the lifecycle and the public methods over them.
 */
import type { Libp2p, PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import type { AicNetworkInit } from './config.ts';
import { CoordinateService } from './coordinates/coordinate-service.ts';
import type { BootstrapDialer } from './discovery/bootstrap-dialer.ts';
import type { ConnectionKeeper, Connectivity } from './discovery/connection-keeper.ts';
import { createDiscovery } from './discovery/discovery.ts';
import type { PeerExchange } from './discovery/peer-exchange.ts';
import type { AicNetworkEvents } from './events.ts';
import { routeAicTopics } from './gossip/aic-topics.ts';
import { GossipRouter } from './gossip/gossip-router.ts';
import type { AicLibp2pServices } from './libp2p-node.ts';
import type { NetworkLogger } from './logger.ts';
import { connectedPeers, peerDetail } from './peers.ts';
import { RpcService } from './rpc/rpc-service.ts';
import type { Offence } from './scoring/offences.ts';
import type { PeerScoreBook } from './scoring/peer-score-book.ts';
import type { WireCodec } from './wire/wire-codec.ts';

/** Emits a network event (an undefined detail emits nothing). */
export type NetworkEmit = <K extends keyof AicNetworkEvents>(
  type: K,
  detail: AicNetworkEvents[K]['detail'] | undefined,
) => void;

export type ReportOffence = (peer: string, offence: Offence, code: string) => void;

export interface NetworkServices {
  rpc: RpcService;
  gossip: GossipRouter;
  coordinates: CoordinateService;
  bootstrap: BootstrapDialer;
  peerExchange: PeerExchange | undefined;
  keeper: ConnectionKeeper | undefined;
}

/** Builds (does not start) the network's services; each logs under its own `network/<module>` child. */
export function createNetworkServices(c: {
  libp2p: Libp2p<AicLibp2pServices>;
  codec: WireCodec;
  scores: PeerScoreBook;
  init: AicNetworkInit;
  logger: NetworkLogger;
  /** Aborted when the network stops. */
  signal: AbortSignal;
  reportOffence: ReportOffence;
  emit: NetworkEmit;
}): NetworkServices {
  const { libp2p, init, logger, signal, reportOffence } = c;
  const rpc = new RpcService({
    libp2p,
    codec: c.codec,
    reportOffence,
    logger: logger.child({ module: 'network/rpc' }),
    signal,
    ...(init.maxInboundStreamsPerPeer === undefined ? {} : { maxInboundStreamsPerPeer: init.maxInboundStreamsPerPeer }),
  });
  const gossip = new GossipRouter({
    pubsub: libp2p.services.pubsub,
    codec: c.codec,
    reportOffence,
    logger: logger.child({ module: 'network/gossip' }),
  });
  const coordinates = new CoordinateService(
    {
      rpc,
      ping: (peer, s) => libp2p.services.ping.ping(peer, { signal: s }),
      connectedPeers: () => connectedPeers(libp2p),
      logger: logger.child({ module: 'network/coordinates' }),
      signal,
    },
    init.coordinatesIntervalMs === undefined ? {} : { intervalMs: init.coordinatesIntervalMs },
  );
  const discovery = createDiscovery({
    libp2p,
    rpc,
    init,
    logger: logger.child({ module: 'network/discovery' }),
    signal,
    isBanned: (peer) => c.scores.isBanned(peer, Date.now()),
    onChange: (connectivity: Connectivity) => c.emit('connectivity', connectivity),
  });
  routeAicTopics(gossip, { coordinates, keeper: discovery.keeper, emit: (type, detail) => c.emit(type, detail) });
  return { rpc, gossip, coordinates, ...discovery };
}

/** Scores an offence; enough of them ban the peer, which is hung up on (and refused on reconnect by the network). */
export function createOffenceReporter(c: {
  libp2p: Libp2p;
  scores: PeerScoreBook;
  log: NetworkLogger;
  emit: NetworkEmit;
}): ReportOffence {
  return (peer, offence, code) => {
    const outcome = c.scores.penalize(peer, offence, Date.now());
    const detail = { ...peerDetail(peer), offence, code, score: outcome.score, banned: outcome.banned };
    c.log.debug(detail, 'peer penalised');
    c.emit('peer:penalized', detail);
    if (outcome.banned) {
      c.log.warn({ peerId: peer, score: outcome.score }, 'peer banned');
      void c.libp2p.hangUp(peerIdFromString(peer)).catch(() => {});
    }
  };
}

/** libp2p's peer:connect / peer:disconnect, as the network handles them: a banned peer is hung up on at once; the
 * others are announced and fed to discovery (connection keeping re-dials, the bootstrap list retries). */
export function createPeerEventHandlers(c: {
  libp2p: Libp2p;
  scores: PeerScoreBook;
  emit: NetworkEmit;
  bootstrap: BootstrapDialer;
  keeper: ConnectionKeeper | undefined;
}): { onConnect: (event: CustomEvent<PeerId>) => void; onDisconnect: (event: CustomEvent<PeerId>) => void } {
  return {
    onConnect: (event) => {
      const peer = event.detail;
      if (c.scores.isBanned(peer.toString(), Date.now())) {
        void c.libp2p.hangUp(peer).catch(() => {});
        return;
      }
      c.emit('peer:connect', peerDetail(peer.toString()));
      c.keeper?.onConnect(peer);
    },
    onDisconnect: (event) => {
      c.emit('peer:disconnect', peerDetail(event.detail.toString()));
      c.bootstrap.onDisconnect(event.detail);
      c.keeper?.onDisconnect(event.detail);
    },
  };
}
