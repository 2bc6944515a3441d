import { type AicNetwork, createAicNetwork } from '@aic/network';
import { generatePrivateKey } from 'viem/accounts';

/** A started libp2p peer on 127.0.0.1 with a fresh key and no peer target (tests connect it by hand). */
export async function startPeer(): Promise<AicNetwork> {
  const net = await createAicNetwork({
    privateKey: generatePrivateKey(),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    targetPeers: 0,
  });
  await net.start();
  return net;
}
