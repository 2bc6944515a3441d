import type { Libp2p, PeerId, Stream } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import type { Address } from 'viem';
import { safeAddress, toDialTarget } from './peers.ts';

/** Handler of a raw stream protocol: the stream and the Noise-authenticated caller. */
export type RawStreamHandler = (
  stream: Stream,
  remote: { peerId: string; address: Address | undefined },
) => Promise<void>;

export async function handleRawStream(
  libp2p: Libp2p,
  protocol: string,
  handler: RawStreamHandler,
  options: { maxInboundStreams?: number },
): Promise<void> {
  await libp2p.handle(
    protocol,
    async (stream, connection) => {
      const peer = connection.remotePeer;
      await handler(stream, { peerId: peer.toString(), address: safeAddress(peer) });
    },
    { maxInboundStreams: options.maxInboundStreams ?? 32, force: true },
  );
}

export async function openRawStream(
  libp2p: Libp2p,
  peer: PeerId | string | Multiaddr,
  protocol: string,
  options: { signal?: AbortSignal },
): Promise<Stream> {
  const connection = await libp2p.dial(toDialTarget(peer), options);
  return await connection.newStream(protocol, options);
}
