/**
 * @aic/network — the Skeleton's peer-to-peer layer (DESIGN.md §3): one secp256k1 identity, libp2p transport,
 * signed CBOR wire messages validated by zod, gossip topics, typed request/response protocols, peer scoring and
 * Vivaldi network coordinates. See packages/network/README.md for limits, topics and protocol ids.
 */

export {
  type AicNetworkComponents,
  type AicNetworkInit,
  GOSSIP_MESH_DEFAULTS,
  type GossipMeshInit,
  YAMUX_DEFAULTS,
} from './config.ts';
export {
  DEFAULT_VIVALDI_CONFIG,
  estimateRttMs as estimateCoordinateRttMs,
  isValidCoordinate,
  originCoordinate,
  updateCoordinate,
  type VivaldiConfig,
  type VivaldiCoordinate,
} from './coordinates/vivaldi.ts';
export type { ConnectionKeeperInit } from './discovery/connection-keeper.ts';
export { NETWORK_ERROR_CODES, NetworkError, type NetworkErrorCode } from './errors.ts';
export type { AicNetworkEvents, PeerEventDetail, PenaltyEventDetail } from './events.ts';
export { GOSSIP_TOPICS, type GossipTopic } from './gossip/topics.ts';
export {
  addressFromPeerId,
  addressFromPrivateKey,
  addressFromPublicKey,
  libp2pPrivateKeyFromRaw,
  peerIdFromPrivateKey,
  type RawPrivateKey,
} from './identity.ts';
export type { AicLibp2pServices } from './libp2p-node.ts';
export { CONNECTION_MANAGER_SETTINGS, CONNECTION_MONITOR_SETTINGS } from './libp2p-node.ts';
export { RATE_LIMITS, STREAM_LIMITS, WIRE_LIMITS } from './limits.ts';
export { type NetworkLogger, silentLogger } from './logger.ts';
export { AicNetwork, type Connectivity, createAicNetwork, type NetworkPeer, type PeerScore } from './network.ts';
export {
  defineProtocol,
  type ProtocolDefinition,
  type ProtocolInit,
  type RequestOf,
  type ResponseOf,
  type RpcResult,
} from './rpc/protocol.ts';
export * from './rpc/protocols/index.ts';
export type { RequestContext, RequestHandler } from './rpc/rpc-service.ts';
export { OFFENCE_PENALTY, type Offence } from './scoring/offences.ts';
export type { AppPeerScore, PeerScoreBookInit } from './scoring/peer-score-book.ts';
export { identityMessageSpec, type MessageSpec, type VerifiedMessage } from './wire/message-spec.ts';
export {
  type Holding,
  type HoldingsAnnouncement,
  type HoldingsEventDetail,
  holdingsSpec,
  MAX_HOLDINGS_PER_ANNOUNCEMENT,
} from './wire/messages/holdings.ts';
export {
  type JobAnnouncement,
  type JobAnnouncementEventDetail,
  jobAnnouncementSpec,
} from './wire/messages/job-announcement.ts';
export {
  MAX_CACHED_DATASET_ROOTS,
  type OfferEventDetail,
  type ProviderOffer,
  providerOfferSpec,
} from './wire/messages/provider-offer.ts';
export { type ResultNotice, type ResultNoticeEventDetail, resultNoticeSpec } from './wire/messages/result-notice.ts';
export type { ReplayGuardInit } from './wire/replay-guard.ts';
export { createWireSigner, WIRE_SIGNATURE_DOMAIN, type WireSigner } from './wire/signature.ts';
export { WireCodec, type WireCodecInit } from './wire/wire-codec.ts';
