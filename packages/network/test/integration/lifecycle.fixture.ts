/**
 * Run as a child process by lifecycle.test.ts: two networks gossip, sample coordinates, answer a request and stop.
 * The process must then exit by itself (no timer, socket or handle left behind); it never calls process.exit.
 */
import '@aic/core/polyfills';
import { generatePrivateKey } from 'viem/accounts';
import { coordinatesProtocol, createAicNetwork } from '../../src/index.ts';

const controller = new AbortController();
const a = await createAicNetwork({ privateKey: generatePrivateKey(), coordinatesIntervalMs: 50 });
await a.start();
const b = await createAicNetwork({
  privateKey: generatePrivateKey(),
  bootstrap: a.multiaddrs(),
  signal: controller.signal,
});
const connected = new Promise((resolve) => b.addEventListener('peer:connect', resolve, { once: true }));
await b.start();
await connected;
await b.request(a.peerId, coordinatesProtocol, {});
await b.refreshCoordinates();
await a.stop();
controller.abort(); // b stops through its AbortSignal; stop() then joins that same in-flight stop
await b.stop();
await expectRejects(() => b.request(a.peerId, coordinatesProtocol, {}), 'NETWORK_NOT_STARTED');
console.log('stopped');

async function expectRejects(call: () => Promise<unknown>, code: string): Promise<void> {
  try {
    await call();
  } catch (error) {
    if ((error as { code?: string }).code === code) return;
    throw error;
  }
  throw new Error(`expected ${code}`);
}
