/**
 * One holder of `npm run bench -- data`, in a worker thread of its own (a holder is another machine in real use, so
 * its Noise encryption must not share the fetcher's thread): a libp2p node serving the sealed chunks over
 * `/aic/data-chunk/2.0.0`, and a plain TCP server sending the same sealed bytes for the raw baseline.
 */
import '@aic/core/polyfills';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { type Hex, sealedChunkStore, serveDataset } from '@aic/data-vessel';
import { createAicNetwork } from '@aic/network';

export interface HolderData {
  readonly roots: Hex[];
  readonly sealed: Uint8Array[][];
}

const { roots, sealed } = workerData as HolderData;
const net = await createAicNetwork({ privateKey: randomBytes(32), listen: ['/ip4/127.0.0.1/tcp/0'], targetPeers: 0 });
await net.start();
await serveDataset(net, sealedChunkStore({ shards: roots.map((root) => ({ root })) }, sealed));

const chunks = sealed.flat();
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
