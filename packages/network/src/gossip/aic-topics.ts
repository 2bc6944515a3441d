import type { CoordinateService } from '../coordinates/coordinate-service.ts';
import type { ConnectionKeeper } from '../discovery/connection-keeper.ts';
import type { AicNetworkEvents } from '../events.ts';
import { addressOfPeerIdString } from '../peers.ts';
import { handleHoldings, holdingsSpec } from '../wire/messages/holdings.ts';
import { handleJobAnnouncement, jobAnnouncementSpec } from '../wire/messages/job-announcement.ts';
import { handleProviderOffer, providerOfferSpec } from '../wire/messages/provider-offer.ts';
import { handleResultNotice, resultNoticeSpec } from '../wire/messages/result-notice.ts';
import type { GossipRouter } from './gossip-router.ts';

export interface AicTopicSinks {
  coordinates: CoordinateService;
  keeper: ConnectionKeeper | undefined;
  emit<K extends 'offer' | 'job-announcement' | 'result-notice' | 'holdings'>(
    type: K,
    detail: AicNetworkEvents[K]['detail'] | undefined,
  ): void;
}

/** Routes AIC's three gossip topics to their handlers and the network's events. */
export function routeAicTopics(gossip: GossipRouter, sinks: AicTopicSinks): void {
  const now = () => Date.now();
  gossip.route({
    spec: providerOfferSpec,
    deliver: (m, relayedBy) => {
      if (m.payload.coordinate !== undefined) sinks.coordinates.rememberAdvertised(m.sender, m.payload.coordinate);
      const origin = m.payload.peer;
      // The origin's dial hint counts only when its PeerId is the signer's key (else anyone could aim dials at a
      // victim by naming it in their offers).
      if (origin !== undefined && addressOfPeerIdString(origin.id) === m.sender) {
        sinks.keeper?.learn(origin.id, origin.addrs, 'gossip');
      }
      sinks.emit('offer', handleProviderOffer(m, relayedBy, now()));
    },
  });
  gossip.route({
    spec: jobAnnouncementSpec,
    deliver: (m, relayedBy) => sinks.emit('job-announcement', handleJobAnnouncement(m, relayedBy, now())),
  });
  gossip.route({
    spec: resultNoticeSpec,
    deliver: (m, relayedBy) => sinks.emit('result-notice', handleResultNotice(m, relayedBy)),
  });
  gossip.route({
    spec: holdingsSpec,
    deliver: (m, relayedBy) => {
      if (m.payload.coordinate !== undefined) sinks.coordinates.rememberAdvertised(m.sender, m.payload.coordinate);
      sinks.emit('holdings', handleHoldings(m, relayedBy, now(), addressOfPeerIdString));
    },
  });
}
