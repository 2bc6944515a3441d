import { type HoldingsAnnouncement, holdingsSpec } from '../wire/messages/holdings.ts';
import { type JobAnnouncement, jobAnnouncementSpec } from '../wire/messages/job-announcement.ts';
import { type ProviderOffer, providerOfferSpec } from '../wire/messages/provider-offer.ts';
import { type ResultNotice, resultNoticeSpec } from '../wire/messages/result-notice.ts';

/**
 * Gossip topics. A topic's name is the envelope `type` of the one message kind it carries, so a message signed
 * for one topic cannot be replayed on another.
 */
export const GOSSIP_TOPICS = {
  offers: providerOfferSpec.type,
  jobAnnouncements: jobAnnouncementSpec.type,
  resultNotices: resultNoticeSpec.type,
  holdings: holdingsSpec.type,
  // The PoV chain's topics (@aic/chain's validator service defines their message specs and routes them with
  // AicNetwork.routeTopic): gossipsub only accepts topics named when the node is created.
  povBlocks: '/aic/pov/blocks/1',
  povAttestations: '/aic/pov/attestations/1',
  povTxs: '/aic/pov/txs/1',
} as const;

export type GossipTopic = (typeof GOSSIP_TOPICS)[keyof typeof GOSSIP_TOPICS];

export type { HoldingsAnnouncement, JobAnnouncement, ProviderOffer, ResultNotice };
