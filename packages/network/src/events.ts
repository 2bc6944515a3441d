import type { Address } from 'viem';
import type { Connectivity } from './discovery/connection-keeper.ts';
import type { Offence } from './scoring/offences.ts';
import type { HoldingsEventDetail } from './wire/messages/holdings.ts';
import type { JobAnnouncementEventDetail } from './wire/messages/job-announcement.ts';
import type { OfferEventDetail } from './wire/messages/provider-offer.ts';
import type { ResultNoticeEventDetail } from './wire/messages/result-notice.ts';

/** A peer as the network events describe it. */
export interface PeerEventDetail {
  peerId: string;
  /** Its Ethereum address (undefined for a non-secp256k1 peer, which AIC nodes never are). */
  address: Address | undefined;
}

/** A peer lost points; `banned` is true on the offence that got it disconnected and refused. */
export interface PenaltyEventDetail extends PeerEventDetail {
  offence: Offence;
  /** The wire error code behind the offence. */
  code: string;
  score: number;
  banned: boolean;
}

/** Events of an AicNetwork (`network.addEventListener(name, (e) => e.detail)`). */
export interface AicNetworkEvents {
  offer: CustomEvent<OfferEventDetail>;
  'job-announcement': CustomEvent<JobAnnouncementEventDetail>;
  'result-notice': CustomEvent<ResultNoticeEventDetail>;
  /** A holder's current holdings (datasets, models), signed by it; each replaces its previous announcement. */
  holdings: CustomEvent<HoldingsEventDetail>;
  'peer:connect': CustomEvent<PeerEventDetail>;
  'peer:disconnect': CustomEvent<PeerEventDetail>;
  'peer:penalized': CustomEvent<PenaltyEventDetail>;
  /** `underconnected` changed (see AicNetwork.connectivity()). */
  connectivity: CustomEvent<Connectivity>;
}
