import type { PeerScoreParams, PeerScoreThresholds } from '@libp2p/gossipsub/score';
import { createPeerScoreParams, createTopicScoreParams } from '@libp2p/gossipsub/score';

/**
 * Gossipsub's own peer score for AIC topics. What matters: every Reject from our topic validators counts as an
 * invalid delivery (P4, weight × count², so three bad messages take a peer below the graylist threshold), and the
 * app-level score is mixed in (P5). Mesh-delivery penalties are off: offers are sparse, and an honest quiet peer
 * must not look lazy. IP colocation is off: many nodes per host (devnet, data centres) is normal here.
 */
export function aicGossipScoreParams(
  topics: readonly string[],
  appSpecificScore: (peerId: string) => number,
): Partial<PeerScoreParams> {
  const topicParams = createTopicScoreParams({
    topicWeight: 1,
    timeInMeshWeight: 0.01,
    timeInMeshQuantum: 1000,
    timeInMeshCap: 3600,
    firstMessageDeliveriesWeight: 1,
    firstMessageDeliveriesDecay: 0.5,
    firstMessageDeliveriesCap: 20,
    meshMessageDeliveriesWeight: 0,
    meshFailurePenaltyWeight: 0,
    invalidMessageDeliveriesWeight: -10,
    invalidMessageDeliveriesDecay: 0.9,
  });
  return createPeerScoreParams({
    topics: Object.fromEntries(topics.map((t) => [t, topicParams])),
    topicScoreCap: 50,
    appSpecificScore,
    appSpecificWeight: 1,
    IPColocationFactorWeight: 0,
    behaviourPenaltyWeight: -10,
    behaviourPenaltyDecay: 0.2,
  });
}

export const AIC_GOSSIP_SCORE_THRESHOLDS: Partial<PeerScoreThresholds> = {
  gossipThreshold: -10,
  publishThreshold: -50,
  graylistThreshold: -80,
  acceptPXThreshold: 10,
  opportunisticGraftThreshold: 5,
};
