/**
 * One holder of `npm run bench -- data`, in a worker thread of its own (a holder is another machine in real use, so
 * its Noise encryption must not share the fetcher's thread): a libp2p node serving the sealed chunks over
 * `/aic/data-chunk/2.0.0` and, as every node's `serveDataset` does, on its bulk path (`/aic/data-bulk/1.0.0` grants a
 * TCP port beside libp2p), the same bytes on one plain libp2p stream (TCP + Noise + Yamux, no exchange protocol:
 * where the gap to raw TCP lies) and a plain TCP server sending them for the raw baseline.
 */
import '@aic/core/polyfills';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { type Hex, sealedChunkStore, serveDataset } from '@aic/data-vessel';
import { type AicNetworkInit, createAicNetwork } from '@aic/network';
import { serveBulkStream } from './bulk-stream.ts';

export interface HolderData {
  readonly roots: Hex[];
  readonly sealed: Uint8Array[][];
  /** Yamux settings, the same as the fetcher's (createAicNetwork's defaults when absent). */
  readonly streamMuxer?: AicNetworkInit['streamMuxer'];
}

const { roots, sealed, streamMuxer } = workerData as HolderData;
const net = await createAicNetwork({
  privateKey: randomBytes(32),
  listen: ['/ip4/127.0.0.1/tcp/0'],
  targetPeers: 0,
  ...(streamMuxer ? { streamMuxer } : {}),
});
await net.start();
await serveDataset(net, sealedChunkStore({ shards: roots.map((root) => ({ root })) }, sealed));

const chunks = sealed.flat();
await serveBulkStream(net, chunks);
const raw = createServer((socket) => {
  socket.on('error', () => socket.destroy());
  // Written as the chunk server does, one sealed chunk per write, with the socket's own backpressure.
  let next = 0;
  const pump = () => {
    while (next < chunks.length) {
      if (!socket.write(chunks[next++] as Uint8Array)) return void socket.once('drain', pump);
    }
    socket.end();
  };
  pump();
});
await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
const address = raw.address();
if (address === null || typeof address === 'string') throw new Error('no TCP port');

parentPort?.on('message', async (message) => {
  if (message === 'stop') {
    raw.close();
    await net.stop();
    parentPort?.close();
  }
});
parentPort?.postMessage({ multiaddr: net.multiaddrs()[0], rawPort: address.port });
