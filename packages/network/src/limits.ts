/**
 * Every limit of the AIC wire, in one place (also listed in packages/network/README.md).
 * Sizes are encoded CBOR bytes of a whole signed envelope; times are milliseconds.
 */
export const WIRE_LIMITS = {
  /** Largest provider offer on the gossip topic. */
  offerBytes: 16 * 1024,
  /** Largest job announcement on the gossip topic. */
  jobAnnouncementBytes: 64 * 1024,
  /** Largest result notice on the gossip topic. */
  resultNoticeBytes: 16 * 1024,
  /** Largest holdings announcement on the gossip topic (up to 256 holdings). */
  holdingsBytes: 48 * 1024,
  /** Largest gossipsub RPC frame accepted from a peer (several messages may share one frame). */
  gossipRpcBytes: 1024 * 1024,
  /** Default largest request or response on a request/response protocol (protocols may lower or raise it). */
  rpcMessageBytes: 1024 * 1024,
  /** Longest `type` string of an envelope. */
  typeChars: 128,
  /** A message older than this (by its signed timestamp) is rejected as stale. */
  maxMessageAgeMs: 5 * 60_000,
  /** A message dated further than this into the future is rejected (clock skew allowance). */
  maxClockSkewMs: 30_000,
  /** (sender, seq) pairs remembered for replay detection; the oldest are forgotten first beyond this. */
  replayCacheEntries: 100_000,
} as const;

export const STREAM_LIMITS = {
  /** Default time for a whole request/response exchange (open, write, read). */
  requestTimeoutMs: 10_000,
  /** Time an inbound stream may take to deliver its request. */
  inboundReadTimeoutMs: 10_000,
  /** Concurrent inbound request streams one peer may hold open across all AIC protocols. */
  maxInboundStreamsPerPeer: 16,
  /** Per-connection, per-protocol cap handed to libp2p (above ours, so that ours sees and scores the abuse). */
  libp2pMaxInboundStreamsPerProtocol: 64,
  /** Outbound streams per connection and protocol. */
  libp2pMaxOutboundStreamsPerProtocol: 64,
} as const;

export const RATE_LIMITS = {
  /** Inbound requests one peer may start per second (sustained) across all AIC protocols… */
  requestsPerSecondPerPeer: 20,
  /** …and in a burst. Over it, the stream is reset and the peer loses points ('rate-limited'). */
  requestBurstPerPeer: 50,
  /** Gossip messages accepted per second from one neighbour (it relays others' messages too, so generous)… */
  gossipPerSecondPerPeer: 200,
  /** …and in a burst. Over it, messages are ignored (not forwarded, no penalty). */
  gossipBurstPerPeer: 400,
} as const;
