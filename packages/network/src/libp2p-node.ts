import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { type GossipSub, gossipsub, StrictNoSign } from '@libp2p/gossipsub';
import { type Identify, identify } from '@libp2p/identify';
import type { Libp2p, PeerId } from '@libp2p/interface';
import { type Ping, ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { webSockets } from '@libp2p/websockets';
import { createLibp2p } from 'libp2p';
import { type AicNetworkInit, GOSSIP_MESH_DEFAULTS, YAMUX_DEFAULTS } from './config.ts';
import { AIC_GOSSIP_SCORE_THRESHOLDS, aicGossipScoreParams } from './gossip/score-params.ts';
import { GOSSIP_TOPICS } from './gossip/topics.ts';
import { libp2pPrivateKeyFromRaw } from './identity.ts';
import { WIRE_LIMITS } from './limits.ts';
import type { PeerScoreBook } from './scoring/peer-score-book.ts';
import { installHalfWindowUpdates } from './yamux-window-updates.ts';

/**
 * libp2p's connection manager, tuned for many nodes per host (a devnet, a data centre): its default refuses more
 * than 5 inbound connections per second from one IP address, which on 127.0.0.1 turned a whole devnet's
 * (re)dials into refusals.
 */
export const CONNECTION_MANAGER_SETTINGS = {
  inboundConnectionThreshold: 50,
  maxIncomingPendingConnections: 32,
  // A Noise handshake on a machine with 20× more runnable threads than cores took longer than libp2p's 10 s.
  dialTimeout: 20_000,
  inboundUpgradeTimeout: 20_000,
};

/**
 * libp2p's connection monitor pings every connection and aborts it when a ping fails; its default deadline (5 s)
 * dropped most connections of nodes whose event loop was held up on a busy machine (a 20-node scale run lost 310
 * connections). A dead peer still shows within a minute; a closed socket at once.
 */
export const CONNECTION_MONITOR_SETTINGS = {
  pingInterval: 20_000,
  pingTimeout: { minTimeout: 20_000, maxTimeout: 60_000 },
};

/** The libp2p services an AIC node runs. */
export type AicLibp2pServices = {
  pubsub: GossipSub;
  ping: Ping;
  identify: Identify;
};

/**
 * The libp2p node of an AIC network (not started): TCP + WebSockets, Noise, Yamux, Identify, Ping, Gossipsub with
 * AIC's topics and scores, and a connection gater that refuses banned peers.
 */
export async function createAicLibp2p(init: AicNetworkInit, scores: PeerScoreBook): Promise<Libp2p<AicLibp2pServices>> {
  const privateKey = libp2pPrivateKeyFromRaw(init.privateKey);
  const isBanned = (peer: PeerId) => scores.isBanned(peer.toString(), Date.now());
  const topics = Object.values(GOSSIP_TOPICS);
  return createLibp2p({
    privateKey,
    start: false,
    addresses: { listen: init.listen ?? ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'] },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamuxWithDefaults(init.streamMuxer)],
    connectionManager: {
      ...CONNECTION_MANAGER_SETTINGS,
      ...(init.maxConnections === undefined ? {} : { maxConnections: init.maxConnections }),
    },
    connectionMonitor: CONNECTION_MONITOR_SETTINGS,
    connectionGater: {
      denyDialPeer: isBanned,
      denyInboundEncryptedConnection: isBanned,
      denyOutboundEncryptedConnection: isBanned,
    },
    services: {
      identify: identify(),
      // libp2p's connection monitor pings too; leave room for the Vivaldi sampler's ping beside it.
      ping: ping({ maxOutboundStreams: 4 }),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictNoSign,
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        allowedTopics: topics,
        maxInboundDataLength: WIRE_LIMITS.gossipRpcBytes,
        // IDONTWANT only pays for large messages; for a ~1 KiB offer the control frame costs what the duplicate does.
        idontwantMinDataSize: 4 * 1024,
        scoreParams: aicGossipScoreParams(topics, (id) => scores.score(id, Date.now())),
        scoreThresholds: AIC_GOSSIP_SCORE_THRESHOLDS,
        ...(init.gossipHeartbeatMs === undefined ? {} : { heartbeatInterval: init.gossipHeartbeatMs }),
        ...GOSSIP_MESH_DEFAULTS,
        ...definedFields(init.gossipMesh ?? {}),
      }),
    },
  });
}

/** The fields of `o` that are set (gossipsub spreads its options over its defaults, so an undefined would win). */
function definedFields<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function yamuxWithDefaults(overrides: Partial<typeof YAMUX_DEFAULTS> = {}) {
  installHalfWindowUpdates();
  const config = { ...YAMUX_DEFAULTS, ...overrides };
  return yamux({
    maxMessageSize: config.maxMessageBytes,
    streamOptions: {
      initialStreamWindowSize: config.initialStreamWindowBytes,
      maxStreamWindowSize: config.maxStreamWindowBytes,
    },
  });
}
