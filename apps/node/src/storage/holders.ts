/** Turning the holder names of a deal request (multiaddrs with /p2p/, or peer ids) into peers to fetch chunks from. */
import type { AicNetwork } from '@aic/network';

type PeerId = ReturnType<AicNetwork['libp2p']['getPeers']>[number];

const PEER_IN_MULTIADDR = /\/p2p\/([1-9A-HJ-NP-Za-km-z]+)$/;

/**
 * The connected PeerIds of `names` (dialled first; a name that cannot be dialled is skipped), `first` leading (the
 * requester itself, already connected), without duplicates.
 */
export async function resolveHolders(net: AicNetwork, first: PeerId, names: readonly string[]): Promise<PeerId[]> {
  const holders = new Map<string, PeerId>([[first.toString(), first]]);
  for (const name of names) {
    const id = name.startsWith('/') ? PEER_IN_MULTIADDR.exec(name)?.[1] : name;
    if (id === undefined || holders.has(id)) continue;
    try {
      await net.connect(name);
    } catch {
      continue; // offline or bad address: the other holders may still have every chunk
    }
    const peer = net.libp2p.getPeers().find((p) => p.toString() === id);
    if (peer) holders.set(id, peer);
  }
  return [...holders.values()];
}
