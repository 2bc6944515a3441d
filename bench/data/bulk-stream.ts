import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { AicNetwork } from '@aic/network';
import type { Multiaddr } from '@multiformats/multiaddr';

/**
 * The bench's "plain libp2p stream" figure: the same sealed bytes the raw TCP baseline and the chunk exchange move,
 * on one libp2p stream (TCP + Noise + Yamux as createAicNetwork configures them) with no request protocol, no GCM and
 * no Merkle check. raw TCP → this → the exchange splits the gap into transport and protocol.
 */
export const BULK_STREAM_PROTOCOL = '/aic/bench/data-stream/1.0.0';

/** Holder side: every sealed chunk, one send each, with the stream's own backpressure, then close. */
export async function serveBulkStream(net: AicNetwork, chunks: readonly Uint8Array[]): Promise<void> {
  await net.libp2p.handle(
    BULK_STREAM_PROTOCOL,
    async (stream) => {
      for (const chunk of chunks) if (!stream.send(chunk)) await stream.onDrain();
      await stream.close();
    },
    { force: true },
  );
}

/** Fetcher side: reads the whole stream into `file` (as the raw baseline does); resolves with the bytes written. */
export async function readBulkStream(net: AicNetwork, holder: Multiaddr, file: string): Promise<number> {
  const stream = await net.libp2p.dialProtocol(holder, BULK_STREAM_PROTOCOL);
  const out = createWriteStream(file);
  let bytes = 0;
  for await (const data of stream) {
    bytes += data.byteLength;
    // A Uint8ArrayList is written piece by piece (no copy into one buffer), with the file's backpressure.
    for (const piece of data instanceof Uint8Array ? [data] : data) if (!out.write(piece)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
