import {
  type AicNetwork,
  createAicNetwork,
  type JobAnnouncementEventDetail,
  type OfferEventDetail,
} from '@aic/network';
import type { JobAnnouncement, Offer } from './api/schemas.ts';
import type { JobBody, NetworkFactory, NetworkPeer, NodeConnectivity, NodeNetwork, OfferBody } from './network-port.ts';

/** GET /v1/peers asks for every peer's score; one snapshot serves them all for this long. */
const PEER_SCORE_CACHE_MS = 1000;

/**
 * The node's view of @aic/network: converts between the API's JSON shapes (amounts as decimal strings) and the
 * wire payloads (amounts as bigint), and flattens events into listener callbacks.
 */
export const createAicNetworkAdapter: NetworkFactory = async (init, { logger }) => {
  const net = await createAicNetwork(
    {
      privateKey: init.privateKey,
      listen: init.listen,
      bootstrap: init.bootstrap,
      ...(init.coordinatesIntervalMs === undefined ? {} : { coordinatesIntervalMs: init.coordinatesIntervalMs }),
      ...(init.targetPeers === undefined ? {} : { targetPeers: init.targetPeers }),
      ...(init.minPeers === undefined ? {} : { connections: { minPeers: init.minPeers } }),
    },
    { logger },
  );
  return new AicNetworkAdapter(net);
};

class AicNetworkAdapter implements NodeNetwork {
  readonly peerId: string;
  readonly address: `0x${string}`;
  #scores: { atMs: number; byPeer: Map<string, number> } = { atMs: 0, byPeer: new Map() };

  constructor(private readonly net: AicNetwork) {
    this.peerId = net.peerId.toString();
    this.address = net.address;
  }

  /** The @aic/network node itself, for the job services' request/response protocols. */
  get aic(): AicNetwork {
    return this.net;
  }

  multiaddrs = () => this.net.multiaddrs();
  start = () => this.net.start();
  stop = () => this.net.stop();

  async publishOffer(body: OfferBody): Promise<Offer> {
    const issuedAtMs = Date.now();
    await this.net.publishOffer({ ...body, priceWeiPerHour: BigInt(body.priceWeiPerHour) });
    return { ...body, provider: this.address, issuedAtMs, expiresAtMs: issuedAtMs + body.ttlSeconds * 1000 };
  }

  async announceJob(body: JobBody): Promise<JobAnnouncement> {
    const issuedAtMs = Date.now();
    // The wire form of a job id is lowercase hex; keep our own record identical to what peers will see.
    const jobId = body.jobId.toLowerCase() as `0x${string}`;
    await this.net.publishJobAnnouncement({ ...body, jobId, maxPriceWeiPerHour: BigInt(body.maxPriceWeiPerHour) });
    return { ...body, jobId, requester: this.address, issuedAtMs };
  }

  onOffer(listener: (offer: Offer) => void): void {
    this.net.addEventListener('offer', (e) => listener(offerFromEvent(e.detail)));
  }

  onJobAnnouncement(listener: (job: JobAnnouncement) => void): void {
    this.net.addEventListener('job-announcement', (e) => listener(jobFromEvent(e.detail)));
  }

  onPeerConnected(listener: (peer: NetworkPeer) => void): void {
    this.net.addEventListener('peer:connect', (e) => {
      const live = this.net.getPeers().find((p) => p.peerId === e.detail.peerId);
      const { peerId, address } = e.detail;
      listener({ peerId, address, multiaddrs: live?.remoteAddrs ?? [], connected: true });
    });
  }

  onPeerDisconnected(listener: (peerId: string) => void): void {
    this.net.addEventListener('peer:disconnect', (e) => listener(e.detail.peerId));
  }

  getPeers(): NetworkPeer[] {
    return this.net
      .getPeers()
      .map((p) => ({ peerId: p.peerId, address: p.address, multiaddrs: p.remoteAddrs, connected: true }));
  }

  estimateRttMs(peerId: string): number | undefined {
    return this.net.estimateRttMs(peerId);
  }

  /** App-level score plus gossipsub's; computed for all peers at once and cached briefly (GET /v1/peers asks per peer). */
  peerScore(peerId: string): number {
    const now = Date.now();
    if (now - this.#scores.atMs > PEER_SCORE_CACHE_MS) {
      const byPeer = new Map(this.net.peerScores().map((s) => [s.peerId, s.score + s.gossipScore]));
      this.#scores = { atMs: now, byPeer };
    }
    return this.#scores.byPeer.get(peerId) ?? 0;
  }

  dial(multiaddr: string): Promise<void> {
    return this.net.connect(multiaddr);
  }

  connectivity(): NodeConnectivity {
    const { connectedPeers, targetPeers, minPeers, underconnected } = this.net.connectivity();
    return { connectedPeers, targetPeers, minPeers, underconnected };
  }
}

// Fields are copied one by one, not spread: a field the wire gains later must not leak into API responses, whose
// schemas are strict (it would turn GET /v1/offers into a 500).
function offerFromEvent(detail: OfferEventDetail): Offer {
  const { payload: p } = detail;
  return {
    offerId: p.offerId,
    capacity: { gpus: p.capacity.gpus, concurrentJobs: p.capacity.concurrentJobs },
    hardware: {
      gpus: p.hardware.gpus.map((g) => ({ model: g.model, memoryBytes: g.memoryBytes })),
      cpuCores: p.hardware.cpuCores,
      memoryBytes: p.hardware.memoryBytes,
      backends: p.hardware.backends,
    },
    cachedDatasetIds: p.cachedDatasetIds,
    ttlSeconds: p.ttlSeconds,
    priceWeiPerHour: p.priceWeiPerHour.toString(),
    provider: detail.sender,
    issuedAtMs: detail.timestampMs,
    expiresAtMs: detail.expiresAtMs,
  };
}

function jobFromEvent(detail: JobAnnouncementEventDetail): JobAnnouncement {
  const { payload: p } = detail;
  return {
    jobId: p.jobId,
    task: p.task,
    modelId: p.modelId,
    datasetIds: p.datasetIds,
    requirements: {
      minGpus: p.requirements.minGpus,
      minGpuMemoryBytes: p.requirements.minGpuMemoryBytes,
      backend: p.requirements.backend,
    },
    deadlineMs: p.deadlineMs,
    maxPriceWeiPerHour: p.maxPriceWeiPerHour.toString(),
    requester: detail.sender,
    issuedAtMs: detail.timestampMs,
  };
}
