/**
 * A light-node host for `bench -- scale`: one child process running many AIC network nodes (the network layer
 * only) on one event loop, answering the parent's commands over IPC. Its own entry, importing only the network: as
 * part of bench/scale.ts each child also loaded the devnet, node and ledger modules it never uses, which took
 * minutes per process on a loaded machine and ~150 MB before its first node.
 */
import '@aic/core/polyfills';
import { type AicNetwork, type AicNetworkInit, createAicNetwork, GOSSIP_TOPICS } from '@aic/network';
import { generatePrivateKey } from 'viem/accounts';
import { benchOffer, now } from './bench-offer.ts';
import { type EventLoopDelay, EventLoopDelayMonitor } from './event-loop-delay.ts';

/** What the light nodes run with besides their key, listen address and bootstrap list. */
export type LightNodeInit = Pick<
  AicNetworkInit,
  'targetPeers' | 'maxConnections' | 'gossipHeartbeatMs' | 'gossipMesh' | 'coordinatesIntervalMs'
>;

export type Command =
  | { cmd: 'start'; count: number; bootstrap: string[]; first: boolean; init: LightNodeInit }
  | { cmd: 'loop-reset' }
  | { cmd: 'health' }
  | { cmd: 'publish'; node: number; offerId: string }
  | { cmd: 'report' }
  | { cmd: 'stop' };

export interface Health {
  peers: number[];
  meshed: number;
  underconnected: number;
  /** Connections lost so far (churn). */
  disconnects: number;
  rssBytes: number;
  /** RSS before its first node (the runtime and the modules): what each further node adds is (rss − base) / nodes. */
  baseRssBytes: number;
  /** This process's event-loop delay since the last loop-reset. */
  eventLoop: EventLoopDelay;
}

/** A child process: runs some nodes and answers the parent's commands over IPC. */
export async function runLightNodeHost(): Promise<void> {
  const nets: AicNetwork[] = [];
  const sent: Array<[string, number]> = [];
  const delivered: Array<[string, number]> = [];
  let disconnects = 0;
  const loop = new EventLoopDelayMonitor();
  const baseRssBytes = process.memoryUsage().rss;
  const create = async (bootstrap: string[], init: LightNodeInit) => {
    const net = await createAicNetwork({
      ...init,
      privateKey: generatePrivateKey(),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap,
    });
    net.addEventListener('offer', (e) => delivered.push([e.detail.payload.offerId, now()]));
    net.addEventListener('peer:disconnect', () => {
      disconnects++;
    });
    await net.start();
    nets.push(net);
    return net;
  };
  const handle = async (c: Command): Promise<unknown> => {
    switch (c.cmd) {
      case 'start': {
        let bootstrap = c.bootstrap;
        if (c.first) bootstrap = [(await create([], c.init)).multiaddrs()[0] ?? ''];
        const pick = () => [...bootstrap].sort(() => Math.random() - 0.5).slice(0, 3);
        await Promise.all(Array.from({ length: c.count - (c.first ? 1 : 0) }, () => create(pick(), c.init)));
        return nets.map((n) => n.multiaddrs()[0] ?? '');
      }
      case 'loop-reset':
        return loop.reset();
      case 'health':
        return {
          peers: nets.map((n) => n.connectivity().connectedPeers),
          meshed: nets.filter((n) => n.meshPeers(GOSSIP_TOPICS.offers).length > 0).length,
          underconnected: nets.filter((n) => n.connectivity().underconnected).length,
          disconnects,
          rssBytes: process.memoryUsage().rss,
          baseRssBytes,
          eventLoop: loop.read(),
        } satisfies Health;
      case 'publish':
        sent.push([c.offerId, now()]);
        return nets[c.node]?.publishOffer(benchOffer(c.offerId));
      case 'report':
        return { sent, delivered };
      case 'stop':
        await Promise.all(nets.map((n) => n.stop()));
        return undefined;
    }
  };
  process.on('message', (m: { id: number; command: Command }) => {
    void handle(m.command).then(
      (result) => process.send?.({ id: m.id, ok: true, result }),
      (error: unknown) => process.send?.({ id: m.id, ok: false, error: String(error) }),
    );
  });
  process.send?.({ id: 0, ok: true, result: 'ready' });
}

if (process.argv.includes('--child')) await runLightNodeHost();
