import { generatePrivateKey } from 'viem/accounts';
import {
  type AicNetwork,
  type AicNetworkEvents,
  type AicNetworkInit,
  createAicNetwork,
  GOSSIP_TOPICS,
} from '../../src/index.ts';

/** Resolves with the first event of `type` whose detail satisfies `accept`; rejects after `timeoutMs`. */
export function nextEvent<K extends keyof AicNetworkEvents>(
  net: AicNetwork,
  type: K,
  accept: (detail: AicNetworkEvents[K]['detail']) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<AicNetworkEvents[K]['detail']> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      net.removeEventListener(type, listener);
      reject(new Error(`no ${String(type)} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (event: AicNetworkEvents[K]) => {
      if (!accept(event.detail)) return;
      clearTimeout(timer);
      net.removeEventListener(type, listener);
      resolve(event.detail);
    };
    net.addEventListener(type, listener);
  });
}

/** Polls `condition` every 25 ms until true; rejects after `timeoutMs` (a bounded wait, not a sleep). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Starts `count` networks on 127.0.0.1: the first alone, the others bootstrapping to it (peer exchange then links
 * them to each other). Resolves once every node has a gossipsub mesh on the offers topic.
 */
export async function startPeers(count: number, init: Partial<AicNetworkInit> = {}): Promise<AicNetwork[]> {
  const first = await createAicNetwork({ privateKey: generatePrivateKey(), listen: ['/ip4/127.0.0.1/tcp/0'], ...init });
  await first.start();
  const rest = await Promise.all(
    Array.from({ length: count - 1 }, () =>
      createAicNetwork({
        privateKey: generatePrivateKey(),
        listen: ['/ip4/127.0.0.1/tcp/0'],
        bootstrap: first.multiaddrs(),
        ...init,
      }),
    ),
  );
  await Promise.all(rest.map((net) => net.start()));
  const all = [first, ...rest];
  await waitUntil(() => all.every((net) => net.meshPeers(GOSSIP_TOPICS.offers).length > 0), 'gossip meshes');
  return all;
}

export async function stopAll(nets: AicNetwork[]): Promise<void> {
  await Promise.all(nets.map((net) => net.stop()));
}
