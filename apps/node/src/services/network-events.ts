import type { Logger } from 'pino';
import type { JobAnnouncement, Offer } from '../api/schemas.ts';
import type { NodeMetrics } from '../metrics.ts';
import type { NodeNetwork } from '../network-port.ts';
import type { ItemBook } from './item-book.ts';
import type { PeerBook } from './peer-book.ts';

export interface NodeBooks {
  offers: ItemBook<Offer>;
  jobs: ItemBook<JobAnnouncement>;
  peers: PeerBook;
}

/** Records what the network delivers (offers, announcements, peers) in the books, metrics and logs. */
export function wireNetworkEvents(
  network: NodeNetwork,
  books: NodeBooks,
  c: { metrics: NodeMetrics; log: Logger },
): void {
  const persistFailed = (err: unknown) => c.log.error({ err }, 'could not persist received item');
  network.onOffer((offer) => {
    c.metrics.offersReceivedTotal.inc();
    c.log.debug({ offerId: offer.offerId, provider: offer.provider }, 'offer received');
    books.offers.addReceived(offer).catch(persistFailed);
  });
  network.onJobAnnouncement((job) => {
    c.metrics.jobAnnouncementsReceivedTotal.inc();
    c.log.debug({ jobId: job.jobId, requester: job.requester }, 'job announcement received');
    books.jobs.addReceived(job).catch(persistFailed);
  });
  const countPeers = () => c.metrics.peersConnected.set(network.getPeers().filter((p) => p.connected).length);
  network.onPeerDisconnected((peerId) => {
    countPeers();
    c.log.info({ peerId }, 'peer disconnected');
  });
  network.onPeerConnected((peer) => {
    countPeers();
    c.log.info({ peerId: peer.peerId }, 'peer connected');
    books.peers
      .remember({
        peerId: peer.peerId,
        multiaddrs: peer.multiaddrs,
        ...(peer.address === undefined ? {} : { address: peer.address }),
      })
      .catch(persistFailed);
  });
}

/** Dials peers remembered from earlier runs (best effort; failures are debug-level). */
export function redialKnownPeers(network: NodeNetwork, peers: PeerBook, log: Logger): void {
  for (const peer of peers.known()) {
    for (const addr of peer.multiaddrs) {
      const full = addr.includes('/p2p/') ? addr : `${addr}/p2p/${peer.peerId}`;
      network.dial(full).catch((err: unknown) => log.debug({ err, peerId: peer.peerId }, 'known peer not reachable'));
    }
  }
}
