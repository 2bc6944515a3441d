import type { Libp2p } from '@libp2p/interface';
import type { AicNetworkInit } from '../config.ts';
import type { NetworkLogger } from '../logger.ts';
import type { RpcService } from '../rpc/rpc-service.ts';
import { BootstrapDialer } from './bootstrap-dialer.ts';
import { ConnectionKeeper, type Connectivity } from './connection-keeper.ts';
import { PeerExchange } from './peer-exchange.ts';

/** The discovery parts of a node: the bootstrap dialer always; peer exchange and connection keeping when on. */
export interface Discovery {
  bootstrap: BootstrapDialer;
  peerExchange: PeerExchange | undefined;
  keeper: ConnectionKeeper | undefined;
}

export function createDiscovery(c: {
  libp2p: Libp2p;
  rpc: RpcService;
  init: AicNetworkInit;
  logger: NetworkLogger;
  signal: AbortSignal;
  isBanned(peerId: string): boolean;
  onChange(connectivity: Connectivity): void;
}): Discovery {
  const bootstrap = new BootstrapDialer(c.libp2p, c.logger, { list: c.init.bootstrap ?? [] });
  const targetPeers = c.init.targetPeers ?? 8;
  if (targetPeers <= 0) return { bootstrap, peerExchange: undefined, keeper: undefined };
  const peerExchange = new PeerExchange(c.libp2p, c.rpc);
  const keeper = new ConnectionKeeper(
    {
      libp2p: c.libp2p,
      exchange: (peer, signal) => peerExchange.exchange(peer, signal),
      isBanned: c.isBanned,
      onChange: c.onChange,
      logger: c.logger,
      signal: c.signal,
    },
    { ...c.init.connections, targetPeers },
  );
  return { bootstrap, peerExchange, keeper };
}
